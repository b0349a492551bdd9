import React, {useCallback, useEffect, useState} from 'react';

import SettingRow from './setting_row';

import {receiverInfo, regenerateReceiverCredentials} from '../client';
import type {CustomSettingProps, ReceiverInfo} from '../types';

// ReceiverSetup is the "PagerTree → Mattermost" section: where PagerTree's Outgoing Webhook
// integration must post (the URL with the secret, or the plain URL with basic auth: the server
// says which works here, info.advice), the steps in PagerTree, and the last event received so an
// admin sees it works.
export default function ReceiverSetup(props: CustomSettingProps) {
    const [info, setInfo] = useState<ReceiverInfo | null>(null);
    const [error, setError] = useState('');
    const [busy, setBusy] = useState(false);
    const [confirming, setConfirming] = useState(false);

    const load = useCallback(async () => {
        try {
            setInfo(await receiverInfo());
            setError('');
        } catch (err) {
            setError((err as Error).message);
        }
    }, []);
    useEffect(() => {
        load();
    }, [load]);

    const regenerate = async () => {
        setBusy(true);
        try {
            setInfo(await regenerateReceiverCredentials());
            setError('');
        } catch (err) {
            setError((err as Error).message);
        } finally {
            setBusy(false);
            setConfirming(false);
        }
    };

    return (
        <SettingRow
            setting={props}
            defaultHelp={'PagerTree tells Mattermost when an alert is acknowledged, resolved or commented on; the plugin shows it in the thread that paged.'}
        >
            {error && <div className='alert alert-danger pagertree-result'>{error}</div>}
            {!info && !error && <p className='help-text'>{'Loading…'}</p>}
            {info && (
                <div data-testid='receiver'>
                    <p data-testid='paste-advice'>{info.advice.text}</p>
                    <ol className='pagertree-steps'>
                        <li>{'In PagerTree, open Integrations and create a new '}<strong>{'Outgoing Webhook'}</strong>{' integration.'}</li>
                        <li>
                            {'Set its URL to:'}
                            {info.url ? (
                                <Copyable
                                    label={info.advice.mode === 'secret_url' ? 'Receiver URL with the secret' : 'Receiver URL'}
                                    value={info.advice.mode === 'secret_url' ? info.secret_url : info.url}
                                    secret={info.advice.mode === 'secret_url'}
                                />
                            ) : (
                                <div className='alert alert-warning'>{info.problem || 'Set the Site URL first.'}</div>
                            )}
                        </li>
                        {info.advice.mode === 'secret_url' ? (
                            <li>{'Leave basic auth empty: the secret in the URL is the key. The URL is itself a secret: keep it out of tickets and chats.'}</li>
                        ) : (
                            <li>
                                {'Under basic auth, set the username and password:'}
                                <Copyable
                                    label='Username'
                                    value={info.username}
                                />
                                <Copyable
                                    label='Password'
                                    value={info.password}
                                    secret={true}
                                />
                            </li>
                        )}
                        <li>{'Tick the events: '}{info.events.map((e) => <code key={e}>{e}</code>).reduce<React.ReactNode[]>((acc, el, i) => (i ? [...acc, ', ', el] : [el]), [])}{'.'}</li>
                        <li>{'Save the integration, then page from Mattermost: the status card in the thread follows the alert.'}</li>
                    </ol>
                    {info.advice.mode === 'basic_auth' && info.secret_url ? (
                        <div>
                            {'Or, instead of basic auth:'}
                            <Copyable
                                label='Receiver URL with the secret'
                                value={info.secret_url}
                                secret={true}
                            />
                        </div>
                    ) : null}
                    {info.actions ? <p data-testid='card-actions'>{info.actions}</p> : null}
                    <p data-testid='last-event'>
                        {info.last_event ? `Last event received at ${new Date(info.last_event.at).toLocaleString()} (${info.last_event.type}${info.last_event.matched ? '' : ', not about an alert from this plugin'}).` : 'No event received from PagerTree yet.'}
                    </p>
                    {info.updates ? <p data-testid='updates'>{`Updates arrive: ${info.updates}.`}</p> : null}
                    {info.last_poll ? (
                        <p data-testid='last-poll'>
                            {`Last poll of PagerTree at ${new Date(info.last_poll.at).toLocaleString()}: ${info.last_poll.checked} alerts checked, ${info.last_poll.changed} changed${info.last_poll.problem ? `; failed: ${info.last_poll.problem}` : ''}.`}
                        </p>
                    ) : null}
                    {confirming ? (
                        <div className='alert alert-warning'>
                            {'PagerTree will be refused until you paste the new URL secret or password into its integration. '}
                            <button
                                type='button'
                                className='btn btn-danger'
                                disabled={busy}
                                onClick={regenerate}
                            >
                                {busy ? 'Regenerating…' : 'Regenerate now'}
                            </button>{' '}
                            <button
                                type='button'
                                className='btn btn-tertiary'
                                onClick={() => setConfirming(false)}
                            >
                                {'Cancel'}
                            </button>
                        </div>
                    ) : (
                        <button
                            type='button'
                            className='btn btn-tertiary'
                            disabled={props.disabled}
                            onClick={() => setConfirming(true)}
                        >
                            {'Regenerate the URL secret and password'}
                        </button>
                    )}{' '}
                    <button
                        type='button'
                        className='btn btn-tertiary'
                        onClick={load}
                    >
                        {'Check for events'}
                    </button>
                </div>
            )}
        </SettingRow>
    );
}

function Copyable({label, value, secret}: {label: string; value: string; secret?: boolean}) {
    const [shown, setShown] = useState(!secret);
    const [copied, setCopied] = useState('');
    const copy = async () => {
        try {
            await navigator.clipboard.writeText(value);
            setCopied('Copied');
        } catch {
            setCopied('Copy failed: select the text and copy it by hand');
        }
    };
    return (
        <div className='pagertree-copyable'>
            <span className='pagertree-copyable__label'>{label + ': '}</span>
            <code aria-label={label}>{shown ? value : '•'.repeat(16)}</code>{' '}
            {secret && (
                <button
                    type='button'
                    className='btn btn-link'
                    aria-label={`${shown ? 'Hide' : 'Show'} ${label}`}
                    onClick={() => setShown(!shown)}
                >
                    {shown ? 'Hide' : 'Show'}
                </button>
            )}
            <button
                type='button'
                className='btn btn-link'
                aria-label={`Copy ${label}`}
                onClick={copy}
            >
                {'Copy'}
            </button>
            {copied && <span role='status'>{copied}</span>}
        </div>
    );
}
