import React, {useState} from 'react';

import {convertWebhooks, deleteOutgoingWebhook, listOutgoingWebhooks, savedRoutes} from '../client';
import type {RouteSpec} from '../routes/model';
import {formatRoutes, scopeSummary} from '../routes/model';
import type {ImportResult} from '../types';

type Props = {
    routes: RouteSpec[];
    disabled: boolean;
    onAdd: (routes: RouteSpec[], tokens: Record<string, string>) => void;
};

type State =
    | {kind: 'idle'}
    | {kind: 'reading'}
    | {kind: 'review'; result: ImportResult}
    | {kind: 'added'; result: ImportResult; saved: string[] | null; check: string; deleted: Record<string, string>}
    | {kind: 'error'; message: string};

// RouteImport lists the built-in outgoing webhooks, shows what route each becomes (or why
// not), adds them to the routes on screen, and after the settings are saved offers to delete
// the imported webhooks so nothing pages twice.
export default function RouteImport({routes, disabled, onAdd}: Props) {
    const [state, setState] = useState<State>({kind: 'idle'});

    const read = async () => {
        setState({kind: 'reading'});
        try {
            const hooks = await listOutgoingWebhooks();
            setState({kind: 'review', result: await convertWebhooks(hooks, formatRoutes(routes))});
        } catch (err) {
            setState({kind: 'error', message: 'The outgoing webhooks could not be read: ' + (err as Error).message});
        }
    };
    return (
        <div
            className='pagertree-import'
            data-testid='route-import'
        >
            <button
                type='button'
                className='btn btn-tertiary'
                disabled={disabled || state.kind === 'reading'}
                onClick={read}
            >
                {state.kind === 'reading' ? 'Reading outgoing webhooks…' : 'Import from outgoing webhooks'}
            </button>
            {state.kind === 'error' && <div className='pagertree-error'>{state.message}</div>}
            {(state.kind === 'review' || state.kind === 'added') && (
                <Review
                    result={state.result}
                    added={state.kind === 'added'}
                />
            )}
            {state.kind === 'review' && state.result.routes.length > 0 && (
                <button
                    type='button'
                    className='btn btn-primary'
                    onClick={() => {
                        const tokens: Record<string, string> = {};
                        state.result.routes.forEach((r) => {
                            tokens[r.route.id] = r.token;
                        });
                        onAdd(state.result.routes.map((r) => r.route), tokens);
                        setState({kind: 'added', result: state.result, saved: null, check: '', deleted: {}});
                    }}
                >
                    {`Add ${state.result.routes.length} route${state.result.routes.length === 1 ? '' : 's'}`}
                </button>
            )}
            {state.kind === 'added' && (
                <DeleteHooks
                    state={state}
                    onChecked={(saved, check) => setState({...state, saved, check})}
                    onDeleted={(id, outcome) => setState({...state, deleted: {...state.deleted, [id]: outcome}})}
                />
            )}
        </div>
    );
}

function Review({result, added}: {result: ImportResult; added: boolean}) {
    return (
        <div data-testid='import-review'>
            <p>{`Found ${result.found} outgoing webhook${result.found === 1 ? '' : 's'}: ${result.routes.length} become${result.routes.length === 1 ? 's' : ''} a route, ${result.skipped.length} skipped.`}</p>
            {result.routes.length > 0 && (
                <ul className='pagertree-import-list'>
                    {result.routes.map(({route, warnings}) => (
                        <li
                            key={route.id}
                            data-testid='import-route'
                        >
                            <strong>{route.name}</strong>
                            {` — ${scopeSummary(route)}, ${new URL(route.endpoint_url).host}, `}
                            {route.every_message ? 'every message' : `triggers ${route.trigger_words} (${route.match_mode === 'first_word_starts_with' ? 'first word starts with' : 'first word is'})`}
                            {added && ' · added'}
                            {warnings.map((w) => (
                                <div
                                    key={w}
                                    className='pagertree-warning'
                                >
                                    {'⚠ ' + w}
                                </div>
                            ))}
                        </li>
                    ))}
                </ul>
            )}
            {result.skipped.length > 0 && (
                <ul className='pagertree-import-list'>
                    {result.skipped.map((s) => (
                        <li
                            key={s.webhook_id}
                            data-testid='import-skipped'
                        >
                            {`Skipped ${s.display_name || s.webhook_id}: ${s.reason}.`}
                        </li>
                    ))}
                </ul>
            )}
        </div>
    );
}

function DeleteHooks({state, onChecked, onDeleted}: {
    state: Extract<State, {kind: 'added'}>;
    onChecked: (saved: string[], check: string) => void;
    onDeleted: (id: string, outcome: string) => void;
}) {
    const check = async () => {
        try {
            const saved = (await savedRoutes()).map((r) => r.imported_from || '').filter(Boolean);
            const waiting = state.result.routes.filter((r) => !saved.includes(r.webhook_id)).length;
            onChecked(saved, waiting ? `${waiting} of the new routes are not saved yet: press Save first.` : '');
        } catch (err) {
            onChecked([], (err as Error).message);
        }
    };
    return (
        <div data-testid='import-delete'>
            <p className='help-text'>
                {'Now press Save, then send a test alert through each new route (in its card above). Then delete the imported webhooks, so nothing pages twice.'}
            </p>
            <button
                type='button'
                className='btn btn-tertiary'
                onClick={check}
            >
                {'I saved: offer to delete the imported webhooks'}
            </button>
            {state.check && <div className='pagertree-warning'>{state.check}</div>}
            <ul className='pagertree-import-list'>
                {state.result.routes.filter((r) => state.saved?.includes(r.webhook_id)).map(({route, webhook_id: id}) => (
                    <li key={id}>
                        {state.deleted[id] ? state.deleted[id] : (
                            <button
                                type='button'
                                className='btn btn-tertiary btn-danger'
                                onClick={async () => {
                                    try {
                                        await deleteOutgoingWebhook(id);
                                        onDeleted(id, `Deleted the outgoing webhook of ${route.name}: the route pages instead.`);
                                    } catch (err) {
                                        onDeleted(id, `The outgoing webhook of ${route.name} could not be deleted: ${(err as Error).message}`);
                                    }
                                }}
                            >
                                {`Delete the outgoing webhook of ${route.name}`}
                            </button>
                        )}
                    </li>
                ))}
            </ul>
        </div>
    );
}
