import React, {useEffect, useState, useSyncExternalStore} from 'react';

import SettingRow from './setting_row';

import {previewMessage} from '../client';
import {screenSettings, screenVersion, subscribe} from '../screen_state';
import {utf8ToIndex} from '../text';
import type {CustomSettingProps, PreviewResult} from '../types';

const SOURCES: Record<string, string> = {
    explicit: 'explicit urgency: in the message',
    word: 'a level word in the message',
    alias: 'an urgency alias',
    default: 'the default urgency',
    severity: 'an incident severity word',
};

// useScreenVersion re-renders when another setting changes on screen.
function useScreenVersion(): number {
    return useSyncExternalStore(subscribe, screenVersion);
}

// Highlighted shows the message with the matched triggers marked. The server reports byte
// offsets (UTF-8); JavaScript strings count UTF-16 units.
export function Highlighted({text, result}: {text: string; result: PreviewResult}) {
    const parts: React.ReactNode[] = [];
    let at = 0;
    result.matches.forEach((m) => {
        const start = utf8ToIndex(text, m.start);
        const end = utf8ToIndex(text, m.end);
        if (start > at) {
            parts.push(text.slice(at, start));
        }
        parts.push(
            <mark
                key={m.start}
                title={`trigger: ${m.trigger}`}
            >
                {text.slice(start, end)}
            </mark>,
        );
        at = end;
    });
    parts.push(text.slice(at));
    return <pre className='pagertree-preview-text'>{parts}</pre>;
}

// TryMessage asks the plugin, live, whether a message would page with the settings on screen.
export default function TryMessage(props: CustomSettingProps) {
    const [message, setMessage] = useState('');
    const [channelType, setChannelType] = useState('O');
    const [fromBot, setFromBot] = useState(false);
    const [result, setResult] = useState<PreviewResult | null>(null);
    const [error, setError] = useState('');
    const screen = useScreenVersion();

    useEffect(() => {
        if (!message.trim()) {
            setResult(null);
            setError('');
            return undefined;
        }
        const ctrl = new AbortController();
        const timer = setTimeout(() => {
            previewMessage({settings: screenSettings(), message, channel_type: channelType, from_bot: fromBot}, ctrl.signal).
                then((res) => {
                    setResult(res);
                    setError('');
                }).
                catch((err: Error) => {
                    if (!ctrl.signal.aborted) {
                        setError(err.message);
                    }
                });
        }, 200);
        return () => {
            clearTimeout(timer);
            ctrl.abort();
        };
    }, [message, channelType, fromBot, screen]);

    return (
        <SettingRow
            setting={props}
            defaultHelp={'Type a message to see whether it would page, at what urgency, and why. Nothing is sent.'}
        >
            <textarea
                id={props.id}
                className='form-control'
                rows={3}
                placeholder='e.g. checkout is down, sev-1'
                value={message}
                onChange={(e) => setMessage(e.target.value)}
            />
            <div className='pagertree-preview-options'>
                <label>
                    {'Posted in '}
                    <select
                        value={channelType}
                        onChange={(e) => setChannelType(e.target.value)}
                    >
                        <option value='O'>{'a public channel'}</option>
                        <option value='P'>{'a private channel'}</option>
                        <option value='D'>{'a direct message'}</option>
                        <option value='G'>{'a group message'}</option>
                    </select>
                </label>
                <label>
                    <input
                        type='checkbox'
                        checked={fromBot}
                        onChange={(e) => setFromBot(e.target.checked)}
                    />
                    {' by a bot'}
                </label>
            </div>
            <div
                aria-live='polite'
                data-testid='preview-result'
            >
                {error && <div className='alert alert-danger pagertree-result'>{error}</div>}
                {result && !error && (
                    <div className={'alert pagertree-result ' + (result.would_page ? 'alert-success' : 'alert-warning')}>
                        <strong>{result.would_page ? 'Would page PagerTree' : 'Would not page'}</strong>
                        {result.would_page ? null : `: ${result.reason}.`}
                        {result.matches.length > 0 && (
                            <>
                                <Highlighted
                                    text={message}
                                    result={result}
                                />
                                <div>{`Triggers: ${result.matches.map((m) => m.trigger).join(', ')}`}</div>
                                <div>
                                    {`Urgency: ${result.urgency.urgency || 'PagerTree integration default'} — from ${SOURCES[result.urgency.source] || result.urgency.source}`}
                                    {result.urgency.word ? ` ("${result.urgency.word}")` : ''}
                                </div>
                                {result.incident && <div data-testid='preview-incident'>{result.incident}</div>}
                                {result.pagertree_text !== undefined && result.pagertree_text !== message && (
                                    <div>{`PagerTree receives: "${result.pagertree_text}" so that it reads ${result.pagertree_reads}.`}</div>
                                )}
                            </>
                        )}
                    </div>
                )}
            </div>
        </SettingRow>
    );
}
