// Channel requests of the panel's channel pickers: names of stored ids and search by name.
import React, {useEffect, useState} from 'react';
import {useSelector} from 'react-redux';

import type {GlobalState} from '@mattermost/types/store';

import {getChannel, getTeam, searchChannels} from '../client';

export type Named = {id: string; name: string};

// ChannelName shows a stored channel id as "team / channel", from the store when loaded,
// otherwise from the server.
export function ChannelName({id, known}: {id: string; known?: string}) {
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
        getChannel(id).then(async (ch) => {
            const team = ch.team_id ? await getTeam(ch.team_id).catch(() => null) : null;
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

// useChannelSearch finds public and private channels by name (at least two letters), for
// every channel picker of the panel.
export function useChannelSearch(term: string): {results: Named[]; error: string; clear: () => void} {
    const [results, setResults] = useState<Named[]>([]);
    const [error, setError] = useState('');
    useEffect(() => {
        if (term.trim().length < 2) {
            setResults([]);
            return undefined;
        }
        const ctrl = new AbortController();
        const timer = setTimeout(() => {
            searchChannels(term.trim(), ctrl.signal).then((list) => {
                if (ctrl.signal.aborted) {
                    return;
                }
                setError('');
                setResults(list.filter((c) => c.type === 'O' || c.type === 'P').map((c) => ({
                    id: c.id,
                    name: `${c.team_display_name || 'no team'} / ${c.display_name}`,
                })));
            }).catch((err: Error) => {
                if (!ctrl.signal.aborted) {
                    setError('Channel search failed: ' + err.message);
                }
            });
        }, 250);
        return () => {
            ctrl.abort();
            clearTimeout(timer);
        };
    }, [term]);
    return {results, error, clear: () => setResults([])};
}

// ChannelSearchBox is the search field and result list of every channel picker: onPick gets the
// channel chosen; picked ones are shown but cannot be chosen again.
export function ChannelSearchBox({id, disabled, isPicked, onPick}: {
    id?: string;
    disabled: boolean;
    isPicked: (channelID: string) => boolean;
    onPick: (channel: Named) => void;
}) {
    const [term, setTerm] = useState('');
    const {results, error, clear} = useChannelSearch(term);
    return (
        <>
            <input
                id={id}
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
                                disabled={isPicked(r.id)}
                                onClick={() => {
                                    onPick(r);
                                    setTerm('');
                                    clear();
                                }}
                            >
                                {r.name}
                            </button>
                        </li>
                    ))}
                </ul>
            )}
        </>
    );
}
