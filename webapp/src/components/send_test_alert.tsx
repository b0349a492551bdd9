import React, {useState} from 'react';

import SettingRow from './setting_row';

import {ApiError, sendTestAlert} from '../client';
import {optionLabel} from '../manifest_options';
import {requestField, screenSettings} from '../screen_state';
import type {CustomSettingProps, TestResult} from '../types';

type State =
    | {kind: 'idle'}
    | {kind: 'sending'}
    | {kind: 'answer'; result: TestResult}
    | {kind: 'error'; message: string};

// SendTestAlert sends a clearly marked low-urgency test alert with the values on screen
// (before Save) and shows PagerTree's answer and what it means.
export default function SendTestAlert(props: CustomSettingProps) {
    const [state, setState] = useState<State>({kind: 'idle'});
    const send = async () => {
        setState({kind: 'sending'});
        try {
            setState({kind: 'answer', result: await sendTestAlert(screenSettings())});
        } catch (err) {
            setState({kind: 'error', message: (err as Error).message});
            if (err instanceof ApiError && err.field) {
                requestField(err.field, err.message); // e.g. the token field asks for the token again
            }
        }
    };
    return (
        <SettingRow
            setting={props}
            defaultHelp={'Sends a low-urgency alert marked as a test, using the endpoint, token and triggers on screen (no need to save first).'}
        >
            <button
                type='button'
                className='btn btn-primary'
                disabled={state.kind === 'sending' || props.disabled}
                onClick={send}
            >
                {state.kind === 'sending' ? 'Sending…' : 'Send test alert'}
            </button>
            <div
                aria-live='polite'
                data-testid='test-result'
            >
                {state.kind === 'answer' && <TestAnswer result={state.result}/>}
                {state.kind === 'error' && (
                    <div className='alert alert-danger pagertree-result'>{state.message}</div>
                )}
            </div>
        </SettingRow>
    );
}

function TestAnswer({result}: {result: TestResult}) {
    const ok = result.class === 'delivered';
    const where = `${result.endpoint_host} (${optionLabel('Format', result.format)} format)`;
    if (result.status_code === 0) {
        return (
            <div className='alert alert-danger pagertree-result'>
                <strong>{'No answer from PagerTree. '}</strong>
                {`${result.meaning}. ${result.error ? `(${result.error}) ` : ''}Sent to ${where}.`}
            </div>
        );
    }
    return (
        <div className={'alert pagertree-result ' + (ok ? 'alert-success' : 'alert-danger')}>
            <strong>{`PagerTree answered ${result.status_code}: `}</strong>
            {`${result.meaning}. Sent to ${where}.`}
            {ok && ' Look for the test alert in PagerTree, then resolve it.'}
        </div>
    );
}
