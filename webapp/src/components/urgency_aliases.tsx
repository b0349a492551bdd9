import React, {useRef, useState} from 'react';

import SettingRow from './setting_row';
import {stringValue, useConsoleSetting} from './use_console_setting';

import {aliasError, formatAliases, parseAliases, URGENCIES} from '../text';
import type {AliasRow} from '../text';
import type {CustomSettingProps} from '../types';

// UrgencyAliases edits rows of alias → urgency (stored as "sev-1=critical, p1=critical").
export default function UrgencyAliases(props: CustomSettingProps) {
    const value = stringValue(props.value);
    const set = useConsoleSetting(props, value);

    // Rows live here while being edited, so an empty new row is not lost on re-render.
    const [rows, setRows] = useState<AliasRow[]>(() => parseAliases(value));

    // Stable keys for rows that have no identity of their own.
    const keys = useRef<number[]>([]);
    const nextKey = useRef(0);
    while (keys.current.length < rows.length) {
        keys.current.push(nextKey.current++);
    }
    const disabled = Boolean(props.disabled || props.setByEnv);

    const update = (next: AliasRow[]) => {
        setRows(next);
        const valid = next.filter((r) => !aliasError(r, next));
        set(formatAliases(valid.length === next.length ? next : valid));
    };
    const change = (i: number, patch: Partial<AliasRow>) => update(rows.map((r, j) => (j === i ? {...r, ...patch} : r)));
    const removeRow = (i: number) => {
        keys.current.splice(i, 1);
        update(rows.filter((_, j) => j !== i));
    };

    return (
        <SettingRow setting={props}>
            {rows.map((row, i) => {
                const err = aliasError(row, rows);
                return (
                    <div
                        key={keys.current[i]}
                        className='pagertree-alias-row'
                        data-testid='alias-row'
                    >
                        <input
                            className='form-control'
                            aria-label={`Alias ${i + 1}`}
                            placeholder='sev-1'
                            value={row.alias}
                            disabled={disabled}
                            onChange={(e) => change(i, {alias: e.target.value})}
                        />
                        <span className='pagertree-alias-arrow'>{'→'}</span>
                        <select
                            className='form-control'
                            aria-label={`Urgency for alias ${i + 1}`}
                            value={row.urgency}
                            disabled={disabled}
                            onChange={(e) => change(i, {urgency: e.target.value})}
                        >
                            <option value=''>{'Choose…'}</option>
                            {URGENCIES.map((u) => (
                                <option
                                    key={u}
                                    value={u}
                                >
                                    {u}
                                </option>
                            ))}
                        </select>
                        {!disabled && (
                            <button
                                type='button'
                                className='btn btn-link'
                                aria-label={`Remove alias ${i + 1}`}
                                onClick={() => removeRow(i)}
                            >
                                {'Remove'}
                            </button>
                        )}
                        {err && (
                            <div
                                className='pagertree-error'
                                role='alert'
                            >
                                {err}
                            </div>
                        )}
                    </div>
                );
            })}
            {!disabled && (
                <button
                    type='button'
                    className='btn btn-tertiary'
                    onClick={() => setRows([...rows, {alias: '', urgency: ''}])}
                >
                    {'+ Add alias'}
                </button>
            )}
        </SettingRow>
    );
}
