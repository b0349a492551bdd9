import React, {useEffect, useRef, useState, useSyncExternalStore} from 'react';

import SettingRow from './setting_row';
import {stringValue, useConsoleSetting} from './use_console_setting';

import {currentFieldRequest, settingKey, subscribeFieldRequests} from '../screen_state';
import {useFieldCheck} from '../settings_check';
import type {CustomSettingProps} from '../types';

// Token is a password field. A saved token comes back from the server as a placeholder,
// never as its value; the test button sends the placeholder and the server uses the saved
// token, but only with the saved endpoint. When the endpoint on screen differs, the server asks
// for the token again: this field then shows that sentence and takes the focus. Before that, the
// settings check says so as soon as the URL on screen is not the saved one.
export default function Token(props: CustomSettingProps) {
    const value = stringValue(props.value);
    const set = useConsoleSetting(props, value);
    const {hint} = useFieldCheck(props.id, value);
    const [shown, setShown] = useState(false);
    const input = useRef<HTMLInputElement>(null);
    const request = useSyncExternalStore(subscribeFieldRequests, currentFieldRequest);
    const [answered, setAnswered] = useState(0);
    const asking = request && request.key === settingKey(props.id) && request.seq > answered ? request : null;
    const askingSeq = asking?.seq;
    useEffect(() => {
        if (askingSeq) {
            input.current?.focus();
        }
    }, [askingSeq]);
    return (
        <SettingRow setting={props}>
            <div className='input-group'>
                <input
                    id={props.id}
                    ref={input}
                    type={shown ? 'text' : 'password'}
                    className='form-control'
                    autoComplete='off'
                    value={value}
                    aria-invalid={Boolean(asking)}
                    aria-describedby={asking ? `${props.id}-ask` : undefined}
                    disabled={props.disabled || props.setByEnv}
                    onChange={(e) => {
                        set(e.target.value.trim());
                        if (asking) {
                            setAnswered(asking.seq);
                        }
                    }}
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
            {asking && (
                <div
                    id={`${props.id}-ask`}
                    role='alert'
                    className='pagertree-field-error'
                >
                    {asking.message}
                </div>
            )}
            {hint && !asking && (
                <div
                    className='pagertree-warning'
                    role='status'
                >
                    {hint}
                </div>
            )}
        </SettingRow>
    );
}
