import React, {useEffect, useState} from 'react';
import {useSelector} from 'react-redux';

import type {Channel} from '@mattermost/types/channels';
import type {GlobalState} from '@mattermost/types/store';

import {Client4} from 'mattermost-redux/client';

import SettingRow from './setting_row';
import {stringValue, useConsoleSetting} from './use_console_setting';

import {siteURL} from '../client';
import {joinList, splitList} from '../text';
import type {CustomSettingProps} from '../types';

type Named = {id: string; name: string};

function configureClient() {
    if (Client4.getUrl() !== siteURL()) {
        Client4.setUrl(siteURL());
    }
}

// ChannelName shows a stored channel id as "team / channel", from the store when loaded,
// otherwise from the server.
function ChannelName({id, known}: {id: string; known?: string}) {
    // Read the entities directly: mattermost-redux's selector modules would add ~150 KB to the bundle.
    const fromStore = useSelector((state: GlobalState) => {
        const ch = state?.entities?.channels?.channels?.[id];
        const team = ch?.team_id ? state.entities.teams?.teams?.[ch.team_id] : undefined;
        return ch ? `${team?.display_name || 'no team'} / ${ch.display_name}` : '';
    });
    const [fetched, setFetched] = useState('');
    useEffect(() => {
        if (fromStore || known) {
            return undefined;
        }
        let live = true;
        configureClient();
        Client4.getChannel(id).then(async (ch) => {
            const team = ch.team_id ? await Client4.getTeam(ch.team_id).catch(() => null) : null;
            if (live) {
                setFetched(`${team?.display_name || 'no team'} / ${ch.display_name}`);
            }
        }).catch(() => live && setFetched(`unknown channel (${id})`));
        return () => {
            live = false;
        };
    }, [id, fromStore, known]);
    return <>{fromStore || known || fetched || id}</>;
}

// ChannelAllowList picks channels by name; it stores their ids.
export default function ChannelAllowList(props: CustomSettingProps) {
    const value = stringValue(props.value);
    const set = useConsoleSetting(props, value);
    const ids = splitList(value);
    const [term, setTerm] = useState('');
    const [results, setResults] = useState<Named[]>([]);
    const [error, setError] = useState('');
    const [known, setKnown] = useState<Record<string, string>>({}); // names of channels picked here
    const disabled = Boolean(props.disabled || props.setByEnv);

    useEffect(() => {
        if (term.trim().length < 2) {
            setResults([]);
            return undefined;
        }
        let live = true;
        const timer = setTimeout(() => {
            configureClient();
            Client4.searchAllChannels(term.trim(), {per_page: 20, public: true, private: true} as never).then((res) => {
                const list = (Array.isArray(res) ? res : res.channels) as Array<Channel & {team_display_name?: string}>;
                if (live) {
                    setError('');
                    setResults(list.filter((c) => c.type === 'O' || c.type === 'P').map((c) => ({
                        id: c.id,
                        name: `${c.team_display_name || 'no team'} / ${c.display_name}`,
                    })));
                }
            }).catch((err: Error) => live && setError('Channel search failed: ' + err.message));
        }, 250);
        return () => {
            live = false;
            clearTimeout(timer);
        };
    }, [term]);

    return (
        <SettingRow setting={props}>
            <ul className='pagertree-channel-list'>
                {ids.length === 0 && <li className='help-text'>{'All channels (no allow-list).'}</li>}
                {ids.map((id) => (
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
                                onClick={() => set(joinList(ids.filter((x) => x !== id)))}
                            >
                                {'Remove'}
                            </button>
                        )}
                    </li>
                ))}
            </ul>
            <input
                id={props.id}
                className='form-control'
                placeholder='Search channels by name…'
                value={term}
                disabled={disabled}
                onChange={(e) => setTerm(e.target.value)}
            />
            {error && <div className='pagertree-error'>{error}</div>}
            {results.length > 0 && (
                <ul
                    className='pagertree-channel-results'
                    role='listbox'
                >
                    {results.map((r) => (
                        <li key={r.id}>
                            <button
                                type='button'
                                className='btn btn-link'
                                disabled={ids.includes(r.id)}
                                onClick={() => {
                                    setKnown({...known, [r.id]: r.name});
                                    set(joinList([...ids, r.id]));
                                    setTerm('');
                                    setResults([]);
                                }}
                            >
                                {r.name}
                            </button>
                        </li>
                    ))}
                </ul>
            )}
        </SettingRow>
    );
}
