import React, {useCallback, useEffect, useState} from 'react';

import SettingRow from './setting_row';

import {recentDeliveries, resendAlert} from '../client';
import type {CustomSettingProps, Delivery} from '../types';

// RecentDeliveries lists the last deliveries, so failures are visible without the server log.
export default function RecentDeliveries(props: CustomSettingProps) {
    const [entries, setEntries] = useState<Delivery[] | null>(null);
    const [error, setError] = useState('');
    const [loading, setLoading] = useState(false);

    const load = useCallback(async () => {
        setLoading(true);
        try {
            setEntries(await recentDeliveries(20));
            setError('');
        } catch (err) {
            setError((err as Error).message);
        } finally {
            setLoading(false);
        }
    }, []);
    useEffect(() => {
        load();
    }, [load]);

    // Resend: a failed alert is queued again with the saved settings; the list then shows it.
    const [resending, setResending] = useState('');
    const [notice, setNotice] = useState('');
    const resend = useCallback(async (alertId: string) => {
        setResending(alertId);
        let done = '';
        let failed = '';
        try {
            done = (await resendAlert(alertId)).message;
        } catch (err) {
            failed = (err as Error).message;
        }
        await load(); // the list shows the resend (or why not) before the sentence appears
        setResending('');
        setNotice(done);
        if (failed) {
            setError(failed);
        }
    }, [load]);

    return (
        <SettingRow setting={props}>
            <button
                type='button'
                className='btn btn-tertiary'
                onClick={load}
                disabled={loading}
            >
                {loading ? 'Loading…' : 'Refresh'}
            </button>
            {error && <div className='alert alert-danger pagertree-result'>{error}</div>}
            {notice && <div className='alert alert-success pagertree-result'>{notice}</div>}
            {entries && entries.length === 0 && <p className='help-text'>{'No deliveries yet.'}</p>}
            {entries && entries.length > 0 && (
                <table
                    className='table pagertree-deliveries'
                    data-testid='deliveries'
                >
                    <thead>
                        <tr>
                            <th>{'Time'}</th>
                            <th>{'Channel'}</th>
                            <th>{'Poster'}</th>
                            <th>{'Trigger'}</th>
                            <th>{'Urgency'}</th>
                            <th>{'Result'}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {entries.map((e) => (
                            <tr
                                key={e.alert_id + e.time}
                                className={`pagertree-status--${e.status}`}
                            >
                                <td>{new Date(e.time).toLocaleString()}</td>
                                <td>{`~${e.channel_name}`}</td>
                                <td>{`@${e.user_name}`}</td>
                                <td>{e.trigger}</td>
                                <td>{e.urgency || 'default'}</td>
                                <td>
                                    <strong>{e.status}{e.test ? ' (test)' : ''}{e.resent ? ` (resend ${e.resent.number})` : ''}</strong>
                                    {e.status_code ? ` · ${e.status_code}` : ''}
                                    {e.attempts > 1 ? ` · ${e.attempts} attempts` : ''}
                                    {e.meaning ? ` · ${e.meaning}` : ''}
                                    {e.error ? ` (${e.error})` : ''}
                                    {e.resendable && ( // the server's rule: the alert's latest try failed for good
                                        <button
                                            type='button'
                                            className='btn btn-sm btn-tertiary pagertree-resend'
                                            onClick={() => resend(e.alert_id)}
                                            disabled={resending !== ''}
                                        >
                                            {resending === e.alert_id ? 'Resending…' : 'Resend'}
                                        </button>
                                    )}
                                </td>
                            </tr>
                        ))}
                    </tbody>
                </table>
            )}
        </SettingRow>
    );
}
