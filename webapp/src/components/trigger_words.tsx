import React, {useCallback, useEffect, useRef, useState} from 'react';

import SettingRow from './setting_row';
import {stringValue, useConsoleSetting} from './use_console_setting';

import {joinList, splitList, triggerWarning} from '../text';
import type {CustomSettingProps, SaveAction} from '../types';

// TriggerWords is a chip editor: Enter or comma adds, pasting a list adds each item,
// × removes; triggers are case-folded and de-duplicated.
export default function TriggerWords(props: CustomSettingProps) {
    const value = stringValue(props.value);
    const set = useConsoleSetting(props, value);
    const chips = splitList(value);
    const [draft, setDraft] = useState('');
    const disabled = Boolean(props.disabled || props.setByEnv);

    const add = useCallback((items: string[]) => {
        const next = [...splitList(value)];
        for (const raw of items) {
            const item = raw.trim().replace(/\s+/g, ' ').toLowerCase();
            if (item && !next.includes(item)) {
                next.push(item);
            }
        }
        const joined = joinList(next);
        if (joined !== value) {
            set(joined);
        }
    }, [value, set]);

    // A word typed but not yet added when the admin presses Save is kept, not lost.
    const pending = useRef({draft, add});
    pending.current = {draft, add};
    useEffect(() => {
        const action: SaveAction = async () => {
            if (pending.current.draft.trim()) {
                pending.current.add([pending.current.draft]);
                setDraft('');
            }
            return {};
        };
        props.registerSaveAction?.(action);
        return () => props.unRegisterSaveAction?.(action);
    }, []); // eslint-disable-line react-hooks/exhaustive-deps

    const remove = (chip: string) => set(joinList(chips.filter((c) => c !== chip)));

    const onKeyDown = (e: React.KeyboardEvent<HTMLInputElement>) => {
        if (e.key === 'Enter' || e.key === ',') {
            e.preventDefault();
            add([draft]);
            setDraft('');
        } else if (e.key === 'Backspace' && draft === '' && chips.length > 0) {
            remove(chips[chips.length - 1]);
        }
    };

    const onChange = (e: React.ChangeEvent<HTMLInputElement>) => {
        const text = e.target.value;
        if ((/[,\n;]/).test(text)) {
            const parts = text.split(/[,\n;]/);
            add(parts.slice(0, -1));
            setDraft(parts[parts.length - 1]);
            return;
        }
        setDraft(text);
    };

    const onPaste = (e: React.ClipboardEvent<HTMLInputElement>) => {
        const text = e.clipboardData.getData('text');
        if ((/[,\n;]/).test(text)) {
            e.preventDefault();
            add(text.split(/[,\n;]/));
        }
    };

    const warnings = chips.map(triggerWarning).filter(Boolean);
    return (
        <SettingRow setting={props}>
            <div className='pagertree-chips form-control'>
                {chips.map((chip) => (
                    <span
                        key={chip}
                        className={'pagertree-chip' + (triggerWarning(chip) ? ' pagertree-chip--warn' : '')}
                        data-testid='trigger-chip'
                    >
                        {chip}
                        {!disabled && (
                            <button
                                type='button'
                                className='pagertree-chip__remove'
                                aria-label={`Remove ${chip}`}
                                onClick={() => remove(chip)}
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
                    placeholder={chips.length ? 'Add another…' : 'Type a trigger and press Enter, e.g. outage'}
                    aria-label='Add a trigger word'
                    onChange={onChange}
                    onKeyDown={onKeyDown}
                    onPaste={onPaste}
                    onBlur={() => {
                        if (draft.trim()) {
                            add([draft]);
                            setDraft('');
                        }
                    }}
                />
            </div>
            {chips.length === 0 && (
                <div
                    className='pagertree-error'
                    role='alert'
                >
                    {'Add at least one trigger word: with none, forwarding is paused.'}
                </div>
            )}
            {warnings.map((w) => (
                <div
                    key={w}
                    className='pagertree-warning'
                    role='status'
                >
                    {w}
                </div>
            ))}
        </SettingRow>
    );
}
