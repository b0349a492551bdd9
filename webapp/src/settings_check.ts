// The server's word on the settings on screen (client.checkSettings), asked again as the admin
// types: one request for the whole panel, debounced, the one before aborted. Each custom setting
// reads its own part: the sentence for its field, its hint, its list as the server reads it. No
// rule is decided here.
import {useSyncExternalStore} from 'react';

import {checkSettings} from './client';
import {screenSettings, settingKey, subscribe} from './screen_state';
import type {SettingsCheck} from './types';

export type CheckState = {
    asked: Record<string, unknown> | null; // the settings the answer is about
    answer: SettingsCheck | null; // the latest answer
    error: string; // why the latest request failed ('' when it did not)
};

export const CHECK_DELAY_MS = 150;

const initial: CheckState = {asked: null, answer: null, error: ''};
let state = initial;
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | undefined;
let inFlight: AbortController | null = null;
let unsubscribeScreen: (() => void) | null = null;

function notify(next: CheckState): void {
    state = next;
    listeners.forEach((l) => l());
}

function ask(): void {
    inFlight?.abort();
    const ctrl = new AbortController();
    inFlight = ctrl;
    const asked = screenSettings();
    checkSettings(asked, ctrl.signal).then((answer) => {
        if (!ctrl.signal.aborted) {
            notify({asked, answer, error: ''});
        }
    }).catch((err: Error) => {
        if (!ctrl.signal.aborted) {
            notify({...state, error: 'The plugin could not check the settings: ' + err.message});
        }
    });
}

function schedule(): void {
    clearTimeout(timer);
    timer = setTimeout(ask, CHECK_DELAY_MS);
}

function subscribeCheck(listener: () => void): () => void {
    listeners.add(listener);
    if (!unsubscribeScreen) {
        unsubscribeScreen = subscribe(schedule);
        schedule();
    }
    return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
            stop();
        }
    };
}

function stop(): void {
    unsubscribeScreen?.();
    unsubscribeScreen = null;
    clearTimeout(timer);
    inFlight?.abort();
    inFlight = null;
}

function currentCheck(): CheckState {
    return state;
}

export function useSettingsCheck(): CheckState {
    return useSyncExternalStore(subscribeCheck, currentCheck);
}

// pick reads a key of the answer's maps, which use plugin.json's case ("EndpointURL").
function pick<T>(map: Record<string, T> | undefined, key: string): T | undefined {
    const found = Object.keys(map || {}).find((k) => k.toLowerCase() === key);
    return found === undefined ? undefined : (map as Record<string, T>)[found];
}

export type FieldCheck = {
    field: string; // why the value is refused ('' if it is not)
    hint: string; // a warning about it ('' if none)
    fresh: boolean; // the answer is about the value now on screen
    check: CheckState;
};

// useFieldCheck is the part of the latest answer about the setting with this console id.
// value is what the setting shows now (for fresh).
export function useFieldCheck(id: string, value?: unknown): FieldCheck {
    const check = useSettingsCheck();
    const key = settingKey(id);
    return {
        field: pick(check.answer?.fields, key) || '',
        hint: pick(check.answer?.hints, key) || '',
        fresh: check.answer !== null && check.asked !== null && check.asked[key] === value,
        check,
    };
}

// resetSettingsCheck is for tests.
export function resetSettingsCheck(): void {
    stop();
    listeners.clear();
    state = initial;
}
