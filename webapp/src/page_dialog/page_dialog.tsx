import React, {useEffect, useRef, useState} from 'react';

import {closePageDialog, openPostId, subscribe} from './open_state';

import type {ApiError} from '../client';
import {pageFromPost, pagePrefill, siteURL} from '../client';
import type {PageAnswer, PagePrefill} from '../types';

declare global {
    interface Window {
        WebappUtils?: {browserHistory?: {push: (path: string) => void}};
    }
}

type Form = {route: string; urgency: string; severity: string; title: string; note: string};

type State =
    | {kind: 'closed'}
    | {kind: 'loading'; postId: string}
    | {kind: 'refused'; message: string} // the server would not page this message
    | {kind: 'already'; message: string; permalink?: string}
    | {kind: 'form'; prefill: PagePrefill; sending: boolean; error?: string; field?: string}
    | {kind: 'sent'; answer: PageAnswer};

// PageDialogRoot is registered as a root component: it renders the dialog while a message's
// "Page PagerTree…" action has it open.
export default function PageDialogRoot() {
    const [postId, setPostId] = useState(openPostId());
    useEffect(() => subscribe(setPostId), []);
    if (!postId) {
        return null;
    }
    return (
        <PageDialog
            key={postId}
            postId={postId}
            onClose={closePageDialog}
        />
    );
}

// openLink follows a permalink inside the app when the host offers its router (no reload),
// else as a plain link.
function openLink(e: React.MouseEvent<HTMLAnchorElement>, permalink: string, onClose: () => void) {
    const history = window.WebappUtils?.browserHistory;
    const site = siteURL();
    if (history && permalink.startsWith(site + '/')) {
        e.preventDefault();
        history.push(permalink.slice(site.length));
    }
    onClose();
}

// PageDialog is the plugin's own form for paging from an existing message: route, urgency,
// incident severity, title and a note. What it offers and what it says come from the server.
export function PageDialog({postId, onClose}: {postId: string; onClose: () => void}) {
    const [state, setState] = useState<State>({kind: 'loading', postId});
    const [form, setForm] = useState<Form>({route: '', urgency: '', severity: '', title: '', note: ''});
    const urgencyTouched = useRef(false);
    const titleRef = useRef<HTMLInputElement>(null);

    useEffect(() => {
        let live = true;
        pagePrefill(postId).then((prefill) => {
            if (!live) {
                return;
            }
            if (prefill.already_paged) {
                setState({kind: 'already', message: prefill.already_paged.error, permalink: prefill.already_paged.permalink});
                return;
            }
            const route = prefill.routes.find((r) => r.key === prefill.route) || prefill.routes[0];
            setForm({route: route?.key || '', urgency: route?.urgency || '', severity: '', title: prefill.title, note: ''});
            setState({kind: 'form', prefill, sending: false});
        }, (err: ApiError) => {
            if (live) {
                setState({kind: 'refused', message: err.message});
            }
        });
        return () => {
            live = false;
        };
    }, [postId]);

    useEffect(() => {
        const onKey = (e: KeyboardEvent) => {
            if (e.key === 'Escape') {
                onClose();
            }
        };
        document.addEventListener('keydown', onKey);
        return () => document.removeEventListener('keydown', onKey);
    }, [onClose]);

    const ready = state.kind === 'form';
    useEffect(() => {
        if (ready) {
            titleRef.current?.focus();
        }
    }, [ready]);

    const set = (key: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>) => {
        const value = e.target.value;
        if (state.kind === 'form' && state.field === key) {
            setState({...state, error: undefined, field: undefined}); // corrected: the refusal no longer holds
        }
        setForm((f) => {
            const next = {...f, [key]: value};
            if (key === 'urgency') {
                urgencyTouched.current = true;
            }
            if (key === 'route' && !urgencyTouched.current && state.kind === 'form') {
                next.urgency = state.prefill.routes.find((r) => r.key === value)?.urgency ?? f.urgency; // the new route's reading
            }
            return next;
        });
    };

    const submit = async (e: React.FormEvent) => {
        e.preventDefault();
        if (state.kind !== 'form' || state.sending) {
            return;
        }
        setState({...state, sending: true, error: undefined, field: undefined});
        try {
            const answer = await pageFromPost({post_id: postId, ...form});
            setState({kind: 'sent', answer});
        } catch (err) {
            const ae = err as ApiError;
            if (ae.status === 409) {
                setState({kind: 'already', message: ae.message, permalink: ae.permalink});
                return;
            }
            setState({...state, sending: false, error: ae.message, field: ae.field});
        }
    };

    return (
        <div
            className='pagertree-modal__backdrop'
            onMouseDown={(e) => {
                if (e.target === e.currentTarget) {
                    onClose();
                }
            }}
        >
            <div
                className='pagertree-modal'
                role='dialog'
                aria-modal='true'
                aria-labelledby='pagertree-page-title'
            >
                <h2
                    id='pagertree-page-title'
                    className='pagertree-modal__title'
                >
                    {'Page PagerTree'}
                </h2>
                {state.kind === 'loading' && <p>{'Loading…'}</p>}
                {state.kind === 'refused' && (
                    <>
                        <div
                            className='alert alert-danger'
                            role='alert'
                        >
                            {state.message}
                        </div>
                        <Buttons onClose={onClose}/>
                    </>
                )}
                {state.kind === 'already' && (
                    <>
                        <div
                            className='alert alert-warning'
                            role='alert'
                        >
                            {state.message}
                        </div>
                        <Buttons onClose={onClose}>
                            {state.permalink && (
                                <a
                                    className='btn btn-primary'
                                    href={state.permalink}
                                    onClick={(e) => openLink(e, state.permalink as string, onClose)}
                                >
                                    {'Open its card'}
                                </a>
                            )}
                        </Buttons>
                    </>
                )}
                {state.kind === 'sent' && (
                    <>
                        <div
                            className='alert alert-success'
                            role='status'
                        >
                            {state.answer.message}
                        </div>
                        <Buttons onClose={onClose}/>
                    </>
                )}
                {state.kind === 'form' && (
                    <form
                        onSubmit={submit}
                        noValidate={true}
                    >
                        <p className='pagertree-modal__from'>
                            {`From a message by @${state.prefill.author} in ${state.prefill.channel}. PagerTree gets the message, its author and a link to it.`}
                        </p>
                        <Field
                            id='pagertree-page-route'
                            label='Route'
                            bad={state.field === 'route'}
                        >
                            <select
                                id='pagertree-page-route'
                                className='form-control'
                                value={form.route}
                                onChange={set('route')}
                                disabled={state.prefill.routes.length < 2}
                            >
                                {state.prefill.routes.map((r) => (
                                    <option
                                        key={r.key}
                                        value={r.key}
                                    >
                                        {r.key === state.prefill.route ? `${r.label} (this channel's)` : r.label}
                                    </option>
                                ))}
                            </select>
                        </Field>
                        <div className='pagertree-modal__pair'>
                            <Field
                                id='pagertree-page-urgency'
                                label='Urgency'
                                bad={state.field === 'urgency'}
                            >
                                <select
                                    id='pagertree-page-urgency'
                                    className='form-control'
                                    value={form.urgency}
                                    onChange={set('urgency')}
                                >
                                    {state.prefill.urgencies.map((c) => (
                                        <option
                                            key={c.value}
                                            value={c.value}
                                        >
                                            {c.label}
                                        </option>
                                    ))}
                                </select>
                            </Field>
                            <Field
                                id='pagertree-page-severity'
                                label='Incident severity'
                                bad={state.field === 'severity'}
                            >
                                <select
                                    id='pagertree-page-severity'
                                    className='form-control'
                                    value={form.severity}
                                    onChange={set('severity')}
                                >
                                    {state.prefill.severities.map((c) => (
                                        <option
                                            key={c.value}
                                            value={c.value}
                                        >
                                            {c.label}
                                        </option>
                                    ))}
                                </select>
                            </Field>
                        </div>
                        <Field
                            id='pagertree-page-title-input'
                            label='Title'
                            bad={state.field === 'title'}
                            hint={`${[...form.title].length}/${state.prefill.title_max}`}
                        >
                            <input
                                ref={titleRef}
                                id='pagertree-page-title-input'
                                className='form-control'
                                value={form.title}
                                maxLength={state.prefill.title_max}
                                onChange={set('title')}
                            />
                        </Field>
                        <Field
                            id='pagertree-page-note'
                            label='Note for the on-call engineer (optional)'
                            bad={state.field === 'note'}
                            hint={`${[...form.note].length}/${state.prefill.note_max}`}
                        >
                            <textarea
                                id='pagertree-page-note'
                                className='form-control'
                                rows={3}
                                value={form.note}
                                maxLength={state.prefill.note_max}
                                onChange={set('note')}
                            />
                        </Field>
                        {state.error && (
                            <div
                                className='alert alert-danger'
                                role='alert'
                            >
                                {state.error}
                            </div>
                        )}
                        <Buttons
                            onClose={onClose}
                            cancel='Cancel'
                        >
                            <button
                                type='submit'
                                className='btn btn-primary'
                                disabled={state.sending}
                            >
                                {state.sending ? 'Paging…' : 'Page PagerTree'}
                            </button>
                        </Buttons>
                    </form>
                )}
            </div>
        </div>
    );
}

function Field({id, label, bad, hint, children}: {id: string; label: string; bad: boolean; hint?: string; children: React.ReactElement}) {
    return (
        <div className={bad ? 'pagertree-modal__field pagertree-modal__field--bad' : 'pagertree-modal__field'}>
            <label htmlFor={id}>{label}</label>
            {React.cloneElement(children, {'aria-invalid': bad || undefined})}
            {hint && <span className='pagertree-modal__hint'>{hint}</span>}
        </div>
    );
}

function Buttons({onClose, cancel = 'Close', children}: {onClose: () => void; cancel?: string; children?: React.ReactNode}) {
    return (
        <div className='pagertree-modal__buttons'>
            <button
                type='button'
                className='btn btn-tertiary'
                onClick={onClose}
            >
                {cancel}
            </button>
            {children}
        </div>
    );
}
