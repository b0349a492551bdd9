import React from 'react';

import type {CustomSettingProps} from '../types';

type Props = {
    setting: CustomSettingProps;
    defaultHelp?: React.ReactNode; // shown when the console passes no help text
    children: React.ReactNode;
};

// SettingRow lays a custom setting out like the System Console's own rows (Bootstrap grid).
export default function SettingRow({setting, defaultHelp, children}: Props) {
    const {id, label, setByEnv} = setting;
    const helpText = setting.helpText || defaultHelp;
    return (
        <div
            className='form-group pagertree-setting'
            data-testid={`pagertree-${id}`}
        >
            <label
                className='control-label col-sm-4'
                htmlFor={id}
            >
                {label}
            </label>
            <div className='col-sm-8'>
                {children}
                {helpText ? <div className='help-text'>{helpText}</div> : null}
                {setByEnv ? (
                    <div className='alert alert-warning'>
                        {'This setting has been set through an environment variable. It cannot be changed through the System Console.'}
                    </div>
                ) : null}
            </div>
        </div>
    );
}
