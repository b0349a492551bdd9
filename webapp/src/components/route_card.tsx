import React, {useEffect, useState} from 'react';

import {ChannelName, ChannelSearchBox} from './channel_search';
import {TeamName, TeamSearchBox} from './team_search';

import {ApiError, previewMessage, sendTestAlert} from '../client';
import {settingOptions} from '../manifest_options';
import type {RouteSpec} from '../routes/model';
import {scopeSummary} from '../routes/model';
import {screenSettings} from '../screen_state';
import type {PreviewResult, TestResult} from '../types';

type Props = {
    route: RouteSpec;
    tokenState: 'saved' | 'typed' | 'none'; // the saved token is never shown, only that one is kept
    token: string; // what was typed
    disabled: boolean;
    onChange: (next: RouteSpec) => void;
    onToken: (token: string) => void;
    onRemove: () => void;
};

// RouteCard edits one route: name, scope (channels and teams), endpoint, token, format,
// own trigger words and match mode, default urgency, every message; and tests it.
export default function RouteCard({route, tokenState, token, disabled, onChange, onToken, onRemove}: Props) {
    const [names, setNames] = useState<Record<string, string>>({});
    const set = (patch: Partial<RouteSpec>) => onChange({...route, ...patch});
    const channels = route.channels || [];
    const teams = route.teams || [];
    const label = route.name || 'New route';
    const field = (name: string) => `pagertree-route-${route.id}-${name}`;
    return (
        <fieldset
            className='pagertree-route'
            data-testid='route'
            aria-label={`Route ${label}`}
        >
            <legend>{`${label} · ${scopeSummary(route)}`}</legend>
            <div className='pagertree-route__row'>
                <label htmlFor={field('name')}>{'Name'}</label>
                <input
                    id={field('name')}
                    className='form-control'
                    value={route.name}
                    disabled={disabled}
                    onChange={(e) => set({name: e.target.value})}
                />
            </div>
            <div className='pagertree-route__row'>
                <span>{'Channels'}</span>
                <ScopeList
                    ids={channels}
                    kind='channel'
                    disabled={disabled}
                    name={(id) => (
                        <ChannelName
                            id={id}
                            known={names[id]}
                        />
                    )}
                    onRemove={(id) => set({channels: channels.filter((x) => x !== id)})}
                />
                <ChannelSearchBox
                    disabled={disabled}
                    isPicked={(id) => channels.includes(id)}
                    onPick={(c) => {
                        setNames({...names, [c.id]: c.name});
                        set({channels: [...channels, c.id]});
                    }}
                />
            </div>
            <div className='pagertree-route__row'>
                <span>{'Teams'}</span>
                <ScopeList
                    ids={teams}
                    kind='team'
                    disabled={disabled}
                    name={(id) => (
                        <TeamName
                            id={id}
                            known={names[id]}
                        />
                    )}
                    onRemove={(id) => set({teams: teams.filter((x) => x !== id)})}
                />
                <TeamSearchBox
                    disabled={disabled}
                    isPicked={(id) => teams.includes(id)}
                    onPick={(t) => {
                        setNames({...names, [t.id]: t.name});
                        set({teams: [...teams, t.id], every_message: false});
                    }}
                />
            </div>
            <div className='pagertree-route__row'>
                <label htmlFor={field('endpoint')}>{'Endpoint URL'}</label>
                <input
                    id={field('endpoint')}
                    className='form-control'
                    placeholder='https://api.pagertree.com/integration/int_…'
                    value={route.endpoint_url}
                    disabled={disabled}
                    onChange={(e) => set({endpoint_url: e.target.value.trim()})}
                />
            </div>
            <div className='pagertree-route__row'>
                <label htmlFor={field('token')}>{'Token'}</label>
                <input
                    id={field('token')}
                    className='form-control'
                    type='password'
                    autoComplete='off'
                    placeholder={tokenState === 'saved' ? 'Saved token kept (type to replace it)' : 'No token'}
                    value={token}
                    disabled={disabled}
                    onChange={(e) => onToken(e.target.value.trim())}
                />
            </div>
            <div className='pagertree-route__row pagertree-route__inline'>
                <label>
                    {'Format '}
                    <select
                        className='form-control'
                        value={route.format || ''}
                        disabled={disabled}
                        onChange={(e) => set({format: e.target.value})}
                    >
                        <option value=''>{'As the default route'}</option>
                        {settingOptions('Format').map((o) => (
                            <option
                                key={o.value}
                                value={o.value}
                            >
                                {o.label}
                            </option>
                        ))}
                    </select>
                </label>
                <label>
                    {'Default urgency '}
                    <select
                        className='form-control'
                        value={route.default_urgency || ''}
                        disabled={disabled}
                        onChange={(e) => set({default_urgency: e.target.value})}
                    >
                        <option value=''>{'As the default route'}</option>
                        {settingOptions('DefaultUrgency').map((o) => (
                            <option
                                key={o.value}
                                value={o.value}
                            >
                                {o.label}
                            </option>
                        ))}
                    </select>
                </label>
            </div>
            <div className='pagertree-route__row'>
                <label htmlFor={field('triggers')}>{'Own trigger words (empty: the default route’s)'}</label>
                <input
                    id={field('triggers')}
                    className='form-control'
                    placeholder='e.g. db down, db slow'
                    value={route.trigger_words || ''}
                    disabled={disabled || route.every_message}
                    onChange={(e) => set({trigger_words: e.target.value})}
                />
                <select
                    className='form-control'
                    aria-label='Match mode'
                    value={route.match_mode || ''}
                    disabled={disabled || route.every_message}
                    onChange={(e) => set({match_mode: e.target.value})}
                >
                    <option value=''>{'Match mode: as the default route'}</option>
                    {settingOptions('MatchMode').map((o) => (
                        <option
                            key={o.value}
                            value={o.value}
                        >
                            {o.label}
                        </option>
                    ))}
                </select>
                <label className='pagertree-route__check'>
                    <input
                        type='checkbox'
                        checked={Boolean(route.every_message)}
                        disabled={disabled || teams.length > 0}
                        onChange={(e) => set({every_message: e.target.checked})}
                    />
                    {' Page on every message in these channels (no trigger word; channels only)'}
                </label>
            </div>
            <RouteTools route={route}/>
            <button
                type='button'
                className='btn btn-tertiary btn-danger'
                disabled={disabled}
                onClick={onRemove}
            >
                {`Remove route ${label}`}
            </button>
        </fieldset>
    );
}

// RouteTools: a test alert and a "try a message" for this route, with the settings on screen.
function RouteTools({route}: {route: RouteSpec}) {
    const [test, setTest] = useState<TestResult | string | null>(null);
    const [message, setMessage] = useState('');
    const [verdict, setVerdict] = useState<PreviewResult | string | null>(null);
    useEffect(() => {
        if (!message.trim()) {
            setVerdict(null);
            return undefined;
        }
        const ctl = new AbortController();
        const timer = setTimeout(() => {
            previewMessage({settings: screenSettings(), message, route_id: route.id}, ctl.signal).
                then(setVerdict).
                catch((err: Error) => !ctl.signal.aborted && setVerdict(err.message));
        }, 300);
        return () => {
            ctl.abort();
            clearTimeout(timer);
        };
    }, [message, route.id]);
    return (
        <div className='pagertree-route__row'>
            <button
                type='button'
                className='btn btn-primary'
                onClick={async () => {
                    setTest('Sending…');
                    try {
                        setTest(await sendTestAlert(screenSettings(), route.id));
                    } catch (err) {
                        setTest(err instanceof ApiError ? err.message : String(err));
                    }
                }}
            >
                {'Send test alert through this route'}
            </button>
            <div
                aria-live='polite'
                data-testid='route-test-result'
            >
                {typeof test === 'string' && test}
                {test && typeof test === 'object' && (
                    <div className={'alert pagertree-result ' + (test.class === 'delivered' ? 'alert-success' : 'alert-danger')}>
                        {test.status_code ? `PagerTree answered ${test.status_code}: ${test.meaning}. ` : `No answer from PagerTree: ${test.meaning}. `}
                        {`Sent through ${test.route_name || 'the default route'} to ${test.endpoint_host}.`}
                    </div>
                )}
            </div>
            <input
                className='form-control'
                aria-label={`Try a message in ${route.name || 'this route'}`}
                placeholder='Try a message in this route’s channels…'
                value={message}
                onChange={(e) => setMessage(e.target.value)}
            />
            <div data-testid='route-preview'>
                {typeof verdict === 'string' && <div className='pagertree-error'>{verdict}</div>}
                {verdict && typeof verdict === 'object' && (
                    <div className={verdict.would_page ? 'pagertree-verdict--yes' : 'pagertree-verdict--no'}>
                        {verdict.would_page ? `Would page PagerTree through ${verdict.route?.name || 'the default route'}` : `Would not page: ${verdict.reason}`}
                        {verdict.route?.why ? ` — ${verdict.route.why}.` : ''}
                    </div>
                )}
            </div>
        </div>
    );
}

type ScopeListProps = {
    ids: string[];
    kind: 'channel' | 'team';
    disabled: boolean;
    name: (id: string) => React.ReactNode;
    onRemove: (id: string) => void;
};

// ScopeList lists a route's channels or teams, each with its Remove button.
function ScopeList({ids, kind, disabled, name, onRemove}: ScopeListProps) {
    return (
        <ul className='pagertree-channel-list'>
            {ids.map((id) => (
                <li
                    key={id}
                    data-testid={`route-${kind}`}
                >
                    {name(id)}
                    <button
                        type='button'
                        className='btn btn-link'
                        disabled={disabled}
                        aria-label={`Remove ${kind} from route`}
                        onClick={() => onRemove(id)}
                    >
                        {'Remove'}
                    </button>
                </li>
            ))}
        </ul>
    );
}
