import React from 'react';

import SettingRow from './setting_row';
import {stringValue, useConsoleSetting} from './use_console_setting';

import {checkEndpoint} from '../text';
import type {CustomSettingProps} from '../types';

// EndpointURL validates the PagerTree endpoint as the admin types it.
export default function EndpointURL(props: CustomSettingProps) {
    const value = stringValue(props.value);
    const set = useConsoleSetting(props, value);
    const {error, warning} = checkEndpoint(value);
    return (
        <SettingRow
            setting={props}
            defaultHelp={(
                <span>
                    {'In PagerTree, open '}<strong>{'Integrations'}</strong>{', choose your '}
                    <strong>{'Mattermost (Outgoing Webhook)'}</strong>{' integration and copy the '}
                    <strong>{'Endpoint URL'}</strong>{' shown on its page.'}
                </span>
            )}
        >
            <input
                id={props.id}
                type='url'
                className={'form-control' + (error ? ' pagertree-input--error' : '')}
                value={value}
                disabled={props.disabled || props.setByEnv}
                placeholder='https://api.pagertree.com/integration/int_…'
                aria-invalid={Boolean(error)}
                onChange={(e) => set(e.target.value.trim())}
            />
            {error && (
                <div
                    className='pagertree-error'
                    role='alert'
                >
                    {error}
                </div>
            )}
            {warning && (
                <div
                    className='pagertree-warning'
                    role='status'
                >
                    {warning}
                </div>
            )}
        </SettingRow>
    );
}
