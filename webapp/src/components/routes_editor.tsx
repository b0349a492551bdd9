import React, {useEffect, useRef, useState, useSyncExternalStore} from 'react';

import RouteCard from './route_card';
import RouteImport from './route_import';
import SettingRow from './setting_row';
import {stringValue, useConsoleSetting} from './use_console_setting';

import manifest from '../../../plugin.json';
import type {RouteSpec, SavedTokens} from '../routes/model';
import {formatRoutes, newRouteID, parseRoutes, parseSavedTokens, tokensValue} from '../routes/model';
import {publish, screenValue, screenVersion, subscribe} from '../screen_state';
import {useFieldCheck} from '../settings_check';
import type {CustomSettingProps} from '../types';

export const ROUTE_TOKENS_ID = `PluginSettings.Plugins.${manifest.id}.routetokens`;

// RoutesEditor edits the Routes setting (the routes, no tokens) and writes the RouteTokens
// secret setting when a token is typed: an untouched route's token goes back as the
// placeholder, which the server replaces by the saved token, for the saved endpoint only.
// There is no order to edit: a post's channel route wins over its team route over the default.
export default function RoutesEditor(props: CustomSettingProps) {
    const value = stringValue(props.value);
    const set = useConsoleSetting(props, value);
    const routes = parseRoutes(value);
    useSyncExternalStore(subscribe, screenVersion); // the tokens' setting publishes after this one renders
    // The saved tokens are the first value the tokens' setting publishes, before any edit
    // publishes over it; kept once rendered (never written during render), read only by write.
    const saved = useRef<SavedTokens | null>(null);
    const published = screenValue(ROUTE_TOKENS_ID);
    useEffect(() => {
        if (saved.current === null && published !== undefined) {
            saved.current = parseSavedTokens(published);
        }
    }, [published]);
    const savedIDs = useRef(new Set(parseRoutes(props.value).map((r) => r.id)));
    const [typed, setTyped] = useState<Record<string, string>>({});
    const disabled = Boolean(props.disabled || props.setByEnv);

    // The server's sentences for the two settings (the same check that refuses a save).
    const routesCheck = useFieldCheck(props.id, value).field;
    const tokensCheck = useFieldCheck(ROUTE_TOKENS_ID).field;

    const write = (next: RouteSpec[], nextTyped: Record<string, string>) => {
        set(formatRoutes(next));
        if (Object.keys(nextTyped).length > 0 || next.length !== routes.length) {
            const tokens = tokensValue(next, saved.current || {masked: true, tokens: {}}, nextTyped);
            publish(ROUTE_TOKENS_ID, tokens);
            props.onChange(ROUTE_TOKENS_ID, tokens);
        }
    };
    const update = (i: number, r: RouteSpec) => write(routes.map((x, j) => (j === i ? r : x)), typed);
    const tokenState = (id: string): 'saved' | 'typed' | 'none' => {
        if (id in typed) {
            return 'typed';
        }
        return savedIDs.current.has(id) ? 'saved' : 'none';
    };

    return (
        <SettingRow setting={props}>
            {[routesCheck, tokensCheck].filter(Boolean).map((problem) => (
                <div
                    key={problem}
                    className='pagertree-error'
                    role='alert'
                >
                    {problem}
                </div>
            ))}
            {routes.length === 0 && <div className='help-text'>{'No routes: every post is matched against the settings above.'}</div>}
            {routes.map((r, i) => (
                <RouteCard
                    key={r.id}
                    route={r}
                    tokenState={tokenState(r.id)}
                    token={typed[r.id] || ''}
                    disabled={disabled}
                    onChange={(next) => update(i, next)}
                    onToken={(tok) => {
                        const nextTyped = {...typed, [r.id]: tok};
                        setTyped(nextTyped);
                        write(routes, nextTyped);
                    }}
                    onRemove={() => write(routes.filter((x) => x.id !== r.id), typed)}
                />
            ))}
            <button
                type='button'
                className='btn btn-tertiary'
                disabled={disabled}
                onClick={() => write([...routes, {id: newRouteID(), name: '', channels: [], teams: [], endpoint_url: ''}], typed)}
            >
                {'Add route'}
            </button>
            <RouteImport
                routes={routes}
                disabled={disabled}
                onAdd={(made, tokens) => {
                    const nextTyped = {...typed, ...tokens};
                    setTyped(nextTyped);
                    write([...routes, ...made], nextTyped);
                }}
            />
        </SettingRow>
    );
}
