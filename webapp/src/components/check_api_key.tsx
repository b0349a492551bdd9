import React, {useState} from 'react';

import SettingRow from './setting_row';

import {checkAPIKey} from '../client';
import {screenSettings} from '../screen_state';
import {useFieldCheck} from '../settings_check';
import type {APIKeyCheck, CustomSettingProps} from '../types';

type State =
    | {kind: 'idle'}
    | {kind: 'checking'}
    | {kind: 'answer'; result: APIKeyCheck}
    | {kind: 'error'; message: string};

// CheckAPIKey asks PagerTree's REST API, with the API key and URL on screen (before Save), which
// teams the key sees, and shows the plugin's sentence about the answer. Next to the API URL (a
// plain console setting), it shows what the server makes of the URL on screen.
export default function CheckAPIKey(props: CustomSettingProps) {
    const [state, setState] = useState<State>({kind: 'idle'});
    const apiURL = useFieldCheck('APIBaseURL');
    const check = async () => {
        setState({kind: 'checking'});
        try {
            setState({kind: 'answer', result: await checkAPIKey(screenSettings())});
        } catch (err) {
            setState({kind: 'error', message: (err as Error).message});
        }
    };
    return (
        <SettingRow
            setting={props}
            defaultHelp={'Asks PagerTree, with the API key on screen, which teams it can see.'}
        >
            <button
                type='button'
                className='btn btn-tertiary'
                disabled={state.kind === 'checking' || props.disabled}
                onClick={check}
            >
                {state.kind === 'checking' ? 'Checking…' : 'Check API key'}
            </button>
            {apiURL.field && (
                <div
                    className='pagertree-error'
                    role='alert'
                    data-testid='api-url-problem'
                >
                    {apiURL.field}
                </div>
            )}
            {apiURL.hint && (
                <div
                    className='pagertree-warning'
                    role='status'
                    data-testid='api-url-hint'
                >
                    {apiURL.hint}
                </div>
            )}
            <div
                aria-live='polite'
                data-testid='api-key-result'
            >
                {state.kind === 'answer' && (
                    <div className={'alert pagertree-result ' + (state.result.ok ? 'alert-success' : 'alert-danger')}>
                        {state.result.message}
                        {state.result.host && ` (${state.result.host})`}
                    </div>
                )}
                {state.kind === 'error' && (
                    <div className='alert alert-danger pagertree-result'>{state.message}</div>
                )}
            </div>
        </SettingRow>
    );
}
