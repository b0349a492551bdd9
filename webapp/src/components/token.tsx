import React, {useState} from 'react';

import SettingRow from './setting_row';
import {stringValue, useConsoleSetting} from './use_console_setting';

import type {CustomSettingProps} from '../types';

// Token is a password field. A saved token comes back from the server as a placeholder,
// never as its value; the test button sends the placeholder and the server uses the saved token.
export default function Token(props: CustomSettingProps) {
    const value = stringValue(props.value);
    const set = useConsoleSetting(props, value);
    const [shown, setShown] = useState(false);
    return (
        <SettingRow setting={props}>
            <div className='input-group'>
                <input
                    id={props.id}
                    type={shown ? 'text' : 'password'}
                    className='form-control'
                    autoComplete='off'
                    value={value}
                    disabled={props.disabled || props.setByEnv}
                    onChange={(e) => set(e.target.value.trim())}
                />
                <span className='input-group-btn'>
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        onClick={() => setShown(!shown)}
                    >
                        {shown ? 'Hide' : 'Show'}
                    </button>
                </span>
            </div>
        </SettingRow>
    );
}
