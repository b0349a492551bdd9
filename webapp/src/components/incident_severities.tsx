import React from 'react';

import FieldNotes from './field_notes';
import SettingRow from './setting_row';
import {stringValue, useConsoleSetting} from './use_console_setting';

import {useFieldCheck} from '../settings_check';
import type {CustomSettingProps} from '../types';

// IncidentSeverities edits the words that make a page an incident ("sev-1=SEV-1 critical", one
// per line or comma-separated). Whether an item is acceptable, and whether the format on screen
// can send incidents at all, is the server's word (its settings check), shown under the field.
export default function IncidentSeverities(props: CustomSettingProps) {
    const value = stringValue(props.value);
    const set = useConsoleSetting(props, value);
    const {field: error, hint: warning, check} = useFieldCheck(props.id, value);
    return (
        <SettingRow setting={props}>
            <textarea
                id={props.id}
                className={'form-control' + (error ? ' pagertree-input--error' : '')}
                rows={3}
                value={value}
                disabled={props.disabled || props.setByEnv}
                placeholder={'sev-1=SEV-1 critical\nsev-2=SEV-2 high'}
                aria-invalid={Boolean(error)}
                onChange={(e) => set(e.target.value)}
            />
            <FieldNotes
                error={error}
                checkError={check.error}
                warning={warning}
            />
        </SettingRow>
    );
}
