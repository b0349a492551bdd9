import React from 'react';

import FieldNotes from './field_notes';
import SettingRow from './setting_row';
import {stringValue, useConsoleSetting} from './use_console_setting';

import {useFieldCheck} from '../settings_check';
import type {CustomSettingProps} from '../types';

// EndpointURL shows, as the admin types, the server's sentence about the endpoint on screen: why
// it is refused, or what to watch out for.
export default function EndpointURL(props: CustomSettingProps) {
    const value = stringValue(props.value);
    const set = useConsoleSetting(props, value);
    const {field: error, hint: warning, check} = useFieldCheck(props.id, value);
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
            <FieldNotes
                error={error}
                checkError={check.error}
                warning={warning}
            />
        </SettingRow>
    );
}
