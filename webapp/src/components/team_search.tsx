// Team requests of the routes editor: names of stored team ids and search by name.
import React, {useEffect, useState} from 'react';

import type {Named} from './channel_search';

import {getTeam, searchTeams} from '../client';

// TeamName shows a stored team id by its display name, read from the server once.
export function TeamName({id, known}: {id: string; known?: string}) {
    const [fetched, setFetched] = useState('');
    useEffect(() => {
        if (known) {
            return undefined;
        }
        let live = true;
        getTeam(id).then((t) => live && setFetched(t.display_name)).catch(() => live && setFetched(`unknown team (${id})`));
        return () => {
            live = false;
        };
    }, [id, known]);
    return <>{known || fetched || id}</>;
}

// TeamSearchBox finds teams by name (at least two letters); onPick gets the team chosen.
export function TeamSearchBox({id, disabled, isPicked, onPick}: {
    id?: string;
    disabled: boolean;
    isPicked: (teamID: string) => boolean;
    onPick: (team: Named) => void;
}) {
    const [term, setTerm] = useState('');
    const [results, setResults] = useState<Named[]>([]);
    const [error, setError] = useState('');
    useEffect(() => {
        if (term.trim().length < 2) {
            setResults([]);
            return undefined;
        }
        let live = true;
        const controller = new AbortController();
        const timer = setTimeout(() => {
            searchTeams(term.trim(), controller.signal).then((list) => {
                if (live) {
                    setError('');
                    setResults(list.filter((t) => !t.delete_at).map((t) => ({id: t.id, name: t.display_name})));
                }
            }).catch((err: Error) => live && setError('Team search failed: ' + err.message));
        }, 250);
        return () => {
            live = false;
            controller.abort();
            clearTimeout(timer);
        };
    }, [term]);
    return (
        <>
            <input
                id={id}
                className='form-control'
                placeholder='Search teams by name…'
                aria-label='Add a team'
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
                                    setResults([]);
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
