import React, {useState} from 'react';

import {ChannelName, ChannelSearchBox} from './channel_search';
import SettingRow from './setting_row';
import {stringValue, useConsoleSetting} from './use_console_setting';

import {useFieldCheck} from '../settings_check';
import {appendToList, joinList} from '../text';
import type {CustomSettingProps} from '../types';

// ChannelAllowList picks channels by name; it stores their ids. The ids listed are the server's
// reading of the stored value.
export default function ChannelAllowList(props: CustomSettingProps) {
    const value = stringValue(props.value);
    const set = useConsoleSetting(props, value);
    const {field, fresh, check} = useFieldCheck(props.id, value);
    const ids = check.answer?.lists.ChannelAllowList || null;
    const [known, setKnown] = useState<Record<string, string>>({}); // names of channels picked here
    const disabled = Boolean(props.disabled || props.setByEnv);

    return (
        <SettingRow setting={props}>
            <ul className='pagertree-channel-list'>
                {!ids && <li className='help-text'>{check.error || 'Reading the allow-list…'}</li>}
                {ids?.length === 0 && <li className='help-text'>{'All channels (no allow-list).'}</li>}
                {ids?.map((id) => (
                    <li
                        key={id}
                        data-testid='allowed-channel'
                    >
                        <ChannelName
                            id={id}
                            known={known[id]}
                        />
                        {!disabled && (
                            <button
                                type='button'
                                className='btn btn-link'
                                aria-label='Remove channel'
                                disabled={!fresh}
                                onClick={() => set(joinList(ids.filter((x) => x !== id)))}
                            >
                                {'Remove'}
                            </button>
                        )}
                    </li>
                ))}
            </ul>
            {field && (
                <div
                    className='pagertree-error'
                    role='alert'
                >
                    {field}
                </div>
            )}
            <ChannelSearchBox
                id={props.id}
                disabled={disabled}
                isPicked={(r) => Boolean(ids?.includes(r))}
                onPick={(r) => {
                    setKnown({...known, [r.id]: r.name});
                    set(appendToList(value, [r.id]));
                }}
            />
        </SettingRow>
    );
}
