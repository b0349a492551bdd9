import React from 'react';

type Props = {
    id: string;
    label?: React.ReactNode;
    helpText?: React.ReactNode;
    setByEnv?: boolean;
    children: React.ReactNode;
};

// SettingRow lays a custom setting out like the System Console's own rows (Bootstrap grid).
export default function SettingRow({id, label, helpText, setByEnv, children}: Props) {
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
