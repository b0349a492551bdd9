import React, {useRef, useState} from 'react';

import SettingRow from './setting_row';
import {stringValue, useConsoleSetting} from './use_console_setting';

import {optionLabel} from '../manifest_options';
import {useFieldCheck} from '../settings_check';
import type {CustomSettingProps} from '../types';

type Row = {key: string; alias: string; urgency: string};

// formatAliases writes the rows as the setting stores them ("sev-1=critical, p1=high"); a row
// left empty is not written. Whether a row is acceptable is the server's word.
function formatAliases(rows: Row[]): string {
    return rows.filter((r) => r.alias !== '' || r.urgency !== '').map((r) => `${r.alias}=${r.urgency}`).join(', ');
}

// UrgencyAliases edits rows of alias → urgency. The rows come from the server's reading of the
// stored value; what is wrong with a row, and the urgencies to choose from, are the server's.
export default function UrgencyAliases(props: CustomSettingProps) {
    const value = stringValue(props.value);
    const set = useConsoleSetting(props, value);
    const {field, fresh, check} = useFieldCheck(props.id, value);

    // Until the admin edits, the rows are the server's items for the stored value; from the first
    // edit on they live here, so an empty new row is not lost on re-render.
    const [edited, setEdited] = useState<Row[] | null>(null);
    const items = fresh ? check.answer?.lists.UrgencyAliases || [] : null;
    const rows: Row[] | null = edited ?? items?.map((it, i) => ({key: `r${i}`, alias: it.alias, urgency: it.urgency})) ?? null;
    const nextKey = useRef(0); // written in event handlers only
    const urgencies = check.answer?.choices.UrgencyAliases || [];
    const disabled = Boolean(props.disabled || props.setByEnv);

    const update = (next: Row[]) => {
        setEdited(next);
        set(formatAliases(next));
    };
    const newKey = (current: Row[]) => {
        nextKey.current = Math.max(nextKey.current, current.length) + 1;
        return `r${nextKey.current}`;
    };

    if (!rows) {
        return (
            <SettingRow setting={props}>
                <p className='help-text'>{check.error && !check.answer ? check.error : 'Reading the aliases…'}</p>
            </SettingRow>
        );
    }

    // The server's items are the written rows, in order, when each row is one item (an alias
    // holding a comma is several): then each row shows its own sentence, else the field's.
    const written = rows.filter((r) => r.alias !== '' || r.urgency !== '');
    const aligned = fresh && items !== null && items.length === written.length;
    const itemOf = (row: Row) => (aligned ? items[written.indexOf(row)] : undefined);

    return (
        <SettingRow setting={props}>
            {rows.map((row, i) => {
                const item = itemOf(row);
                return (
                    <div
                        key={row.key}
                        className='pagertree-alias-row'
                        data-testid='alias-row'
                    >
                        <input
                            className='form-control'
                            aria-label={`Alias ${i + 1}`}
                            placeholder='sev-1'
                            value={row.alias}
                            disabled={disabled}
                            onChange={(e) => update(rows.map((r) => (r === row ? {...r, alias: e.target.value} : r)))}
                        />
                        <span className='pagertree-alias-arrow'>{'→'}</span>
                        <select
                            className='form-control'
                            aria-label={`Urgency for alias ${i + 1}`}
                            value={row.urgency}
                            disabled={disabled}
                            onChange={(e) => update(rows.map((r) => (r === row ? {...r, urgency: e.target.value} : r)))}
                        >
                            <option value=''>{'Choose…'}</option>
                            {row.urgency && !urgencies.includes(row.urgency) && <option value={row.urgency}>{row.urgency}</option>}
                            {urgencies.map((u) => (
                                <option
                                    key={u}
                                    value={u}
                                >
                                    {optionLabel('DefaultUrgency', u)}
                                </option>
                            ))}
                        </select>
                        {!disabled && (
                            <button
                                type='button'
                                className='btn btn-link'
                                aria-label={`Remove alias ${i + 1}`}
                                onClick={() => update(rows.filter((r) => r !== row))}
                            >
                                {'Remove'}
                            </button>
                        )}
                        {item?.problem && (
                            <div
                                className='pagertree-error'
                                role='alert'
                            >
                                {item.problem}
                            </div>
                        )}
                        {item?.hint && (
                            <div
                                className='pagertree-warning'
                                role='status'
                            >
                                {item.hint}
                            </div>
                        )}
                    </div>
                );
            })}
            {field && fresh && !aligned && (
                <div
                    className='pagertree-error'
                    role='alert'
                >
                    {field}
                </div>
            )}
            {!disabled && (
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={() => setEdited([...rows, {key: newKey(rows), alias: '', urgency: ''}])}
                >
                    {'+ Add alias'}
                </button>
            )}
        </SettingRow>
    );
}
