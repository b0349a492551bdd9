import React, {useState} from 'react';

import {ChannelName, ChannelSearchBox} from './channel_search';
import SettingRow from './setting_row';
import {stringValue, useConsoleSetting} from './use_console_setting';

import {useFieldCheck} from '../settings_check';
import type {CustomSettingProps} from '../types';

// ExternalChannel picks the one channel where PagerTree alerts that did not come from
// Mattermost are posted; it stores the channel's id ("" = such alerts are not posted).
export default function ExternalChannel(props: CustomSettingProps) {
    const id = stringValue(props.value).trim();
    const set = useConsoleSetting(props, id);
    const {field} = useFieldCheck(props.id, id);
    const [known, setKnown] = useState<Record<string, string>>({});
    const disabled = Boolean(props.disabled || props.setByEnv);

    return (
        <SettingRow setting={props}>
            <div data-testid='external-channel'>
                {id === '' ? (
                    <span className='help-text'>{'Not posted: only alerts sent from Mattermost are followed.'}</span>
                ) : (
                    <>
                        <ChannelName
                            id={id}
                            known={known[id]}
                        />
                        {!disabled && (
                            <button
                                type='button'
                                className='btn btn-link'
                                aria-label='Clear channel'
                                onClick={() => set('')}
                            >
                                {'Clear'}
                            </button>
                        )}
                    </>
                )}
            </div>
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
                isPicked={(r) => r === id}
                onPick={(r) => {
                    setKnown({...known, [r.id]: r.name});
                    set(r.id);
                }}
            />
        </SettingRow>
    );
}
