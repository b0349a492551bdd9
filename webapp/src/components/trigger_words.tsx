import React, {useCallback, useEffect, useRef, useState} from 'react';

import SettingRow from './setting_row';
import {stringValue, useConsoleSetting} from './use_console_setting';

import {useFieldCheck} from '../settings_check';
import {appendToList, joinList} from '../text';
import type {CustomSettingProps, SaveAction} from '../types';

// TriggerWords is a chip editor: Enter or comma adds what was typed, pasting adds the pasted
// text, × removes a trigger. The chips are the triggers as the server reads them (split,
// de-duplicated as the match mode does), with its warnings; the panel splits nothing itself.
export default function TriggerWords(props: CustomSettingProps) {
    const value = stringValue(props.value);
    const set = useConsoleSetting(props, value);
    const {field, fresh, check} = useFieldCheck(props.id, value);
    const chips = check.answer?.lists.TriggerWords || [];
    const [draft, setDraft] = useState('');
    const disabled = Boolean(props.disabled || props.setByEnv);

    const add = useCallback((typed: string) => {
        const next = appendToList(value, [typed]);
        if (next !== value) {
            set(next);
        }
    }, [value, set]);

    // Removing rewrites the list from the server's chips: only once they are about this value.
    const remove = (chip: string) => set(joinList(chips.map((c) => c.text).filter((c) => c !== chip)));

    // A word typed but not yet added when the admin presses Save is kept, not lost. The save
    // action reads the latest draft through a ref, updated after each render (not during it).
    const pending = useRef({draft, add});
    useEffect(() => {
        pending.current = {draft, add};
    }, [draft, add]);
    useEffect(() => {
        const action: SaveAction = async () => {
            if (pending.current.draft.trim()) {
                pending.current.add(pending.current.draft);
                setDraft('');
            }
            return {};
        };
        props.registerSaveAction?.(action);
        return () => props.unRegisterSaveAction?.(action);
    }, []); // eslint-disable-line react-hooks/exhaustive-deps

    const commit = () => {
        add(draft);
        setDraft('');
    };

    const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
        if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            commit();
        } else if (e.key === 'Backspace' && draft === '' && chips.length > 0 && fresh) {
            remove(chips[chips.length - 1].text);
        }
    };

    const onPaste = (e: React.ClipboardEvent<HTMLInputElement>) => {
        e.preventDefault();
        add(draft + e.clipboardData.getData('text'));
        setDraft('');
    };

    return (
        <SettingRow setting={props}>
            <div className='pagertree-chips form-control'>
                {chips.map((chip) => (
                    <span
                        key={chip.text}
                        className={'pagertree-chip' + (chip.hint ? ' pagertree-chip--warn' : '')}
                        data-testid='trigger-chip'
                    >
                        {chip.text}
                        {!disabled && (
                            <button
                                type='button'
                                className='pagertree-chip__remove'
                                aria-label={`Remove ${chip.text}`}
                                disabled={!fresh}
                                onClick={() => remove(chip.text)}
                            >
                                {'×'}
                            </button>
                        )}
                    </span>
                ))}
                <input
                    id={props.id}
                    className='pagertree-chips__input'
                    value={draft}
                    disabled={disabled}
                    placeholder={placeholder(Boolean(check.answer), chips.length)}
                    aria-label='Add a trigger word'
                    onChange={(e) => setDraft(e.target.value)}
                    onKeyDown={onKeyDown}
                    onPaste={onPaste}
                    onBlur={() => {
                        if (draft.trim()) {
                            commit();
                        }
                    }}
                />
            </div>
            {field && (
                <div
                    className='pagertree-error'
                    role='alert'
                >
                    {field}
                </div>
            )}
            {!check.answer && check.error && <div className='pagertree-error'>{check.error}</div>}
            {chips.filter((c) => c.hint).map((c) => (
                <div
                    key={c.text}
                    className='pagertree-warning'
                    role='status'
                >
                    {c.hint}
                </div>
            ))}
        </SettingRow>
    );
}

function placeholder(read: boolean, chips: number): string {
    if (!read) {
        return 'Reading the triggers…';
    }
    return chips ? 'Add another…' : 'Type a trigger and press Enter, e.g. outage';
}
