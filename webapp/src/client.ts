// The one module that makes the webapp's requests: the plugin's HTTP API (/plugins/pagertree/api/v1)
// and the few Mattermost REST routes the channel pickers need (/api/v4), with one axios instance
// (the session cookie, the CSRF header, a timeout).
import type {AxiosError} from 'axios';
import axios from 'axios';

import type {Channel} from '@mattermost/types/channels';
import type {OutgoingWebhook} from '@mattermost/types/integrations';
import type {Team} from '@mattermost/types/teams';

import type {APIKeyCheck, Delivery, ImportResult, PageAnswer, PagePrefill, PageRequest, PreviewResult, ReceiverInfo, ResendResult, SettingsCheck, TestResult} from './types';

import manifest from '../../plugin.json';

declare global {
    interface Window {
        basename?: string;
    }
}

// siteURL is where Mattermost is served, including a subpath install (window.basename).
export function siteURL(): string {
    const base = (window.basename || '').replace(/\/$/, '');
    return window.location.origin + base;
}

function apiURL(path: string): string {
    return `${siteURL()}/plugins/${manifest.id}/api/v1/${path}`;
}

// csrfToken reads Mattermost's CSRF cookie; the server wants it back in a header.
export function csrfToken(): string {
    const match = document.cookie.match(/(?:^|;\s*)MMCSRF=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : '';
}

const http = axios.create({withCredentials: true, timeout: 30000});
http.interceptors.request.use((config) => {
    config.headers.set('X-Requested-With', 'XMLHttpRequest');
    const token = csrfToken();
    if (token) {
        config.headers.set('X-CSRF-Token', token);
    }
    return config;
});

// ApiError carries the plugin's sentence for a person, the setting or field it concerns when the
// plugin names one (for example "Token": enter the token again), and a link it offers (a thread
// that already paged: its card).
export class ApiError extends Error {
    status: number;
    field?: string;
    permalink?: string;
    constructor(message: string, status: number, field?: string, permalink?: string) {
        super(message);
        this.status = status;
        this.field = field;
        this.permalink = permalink;
    }
}

// toApiError keeps the server's sentence: the plugin's {error, field}, Mattermost's {message}.
function toApiError(err: unknown, who = 'The plugin'): ApiError {
    const ax = err as AxiosError<{error?: string; field?: string; message?: string; permalink?: string}>;
    if (ax?.response) {
        const msg = ax.response.data?.error || ax.response.data?.message || `${who} answered HTTP ${ax.response.status}.`;
        return new ApiError(msg, ax.response.status, ax.response.data?.field, ax.response.data?.permalink);
    }
    return new ApiError('Could not reach the Mattermost server: ' + (ax?.message || String(err)), 0);
}

export type ScreenSettings = Record<string, unknown>;

// sendTestAlert sends a test alert with the settings on screen, through the default route or
// the route routeId names.
export async function sendTestAlert(settings: ScreenSettings, routeId?: string): Promise<TestResult> {
    try {
        return (await http.post<TestResult>(apiURL('test'), routeId ? {settings, route_id: routeId} : {settings})).data;
    } catch (err) {
        throw toApiError(err);
    }
}

export type PreviewRequest = {settings: ScreenSettings; message: string; channel_type?: string; from_bot?: boolean; route_id?: string};

export async function previewMessage(req: PreviewRequest, signal?: AbortSignal): Promise<PreviewResult> {
    try {
        return (await http.post<PreviewResult>(apiURL('preview'), req, {signal})).data;
    } catch (err) {
        throw toApiError(err);
    }
}

export async function recentDeliveries(n = 20): Promise<Delivery[]> {
    try {
        return (await http.get<{entries: Delivery[]}>(apiURL('deliveries'), {params: {n}})).data.entries;
    } catch (err) {
        throw toApiError(err);
    }
}

// resendAlert queues a failed alert again with the saved settings (System Admins).
export async function resendAlert(alertId: string): Promise<ResendResult> {
    try {
        return (await http.post<ResendResult>(apiURL('resend'), {alert_id: alertId})).data;
    } catch (err) {
        throw toApiError(err);
    }
}

// receiverInfo reads the receiver's URL, credentials and last event (System Admins only).
export async function receiverInfo(): Promise<ReceiverInfo> {
    try {
        return (await http.get<ReceiverInfo>(apiURL('receiver'))).data;
    } catch (err) {
        throw toApiError(err);
    }
}

// regenerateReceiverCredentials replaces the password PagerTree must send.
export async function regenerateReceiverCredentials(): Promise<ReceiverInfo> {
    try {
        return (await http.post<ReceiverInfo>(apiURL('receiver/regenerate'), {})).data;
    } catch (err) {
        throw toApiError(err);
    }
}

// checkAPIKey asks PagerTree's REST API, through the plugin, whether the on-screen key works.
// Only the API key and API URL are sent; a saved key is used by the server only for the saved URL.
export async function checkAPIKey(settings: ScreenSettings): Promise<APIKeyCheck> {
    const pick: ScreenSettings = {};
    for (const key of ['apikey', 'apibaseurl']) {
        if (key in settings) {
            pick[key] = settings[key];
        }
    }
    try {
        return (await http.post<APIKeyCheck>(apiURL('apikey/check'), {settings: pick})).data;
    } catch (err) {
        throw toApiError(err);
    }
}

// checkSettings asks the server what it makes of the settings on screen, field by field: the
// sentences next to the fields, the lists as it reads them (POST settings/check).
export async function checkSettings(settings: ScreenSettings, signal?: AbortSignal): Promise<SettingsCheck> {
    try {
        return (await http.post<SettingsCheck>(apiURL('settings/check'), {settings}, {signal})).data;
    } catch (err) {
        throw toApiError(err);
    }
}

// convertWebhooks asks the plugin to turn Mattermost's outgoing webhooks (read with the admin's
// session) into routes next to the ones on screen; nothing is saved.
export async function convertWebhooks(webhooks: unknown[], routes: string): Promise<ImportResult> {
    try {
        return (await http.post<ImportResult>(apiURL('routes/import'), {webhooks, routes})).data;
    } catch (err) {
        throw toApiError(err);
    }
}

// Mattermost's REST API, for the channel pickers.
function mattermostURL(path: string): string {
    return `${siteURL()}/api/v4/${path}`;
}

export async function getChannel(id: string): Promise<Channel> {
    try {
        return (await http.get<Channel>(mattermostURL(`channels/${encodeURIComponent(id)}`))).data;
    } catch (err) {
        throw toApiError(err, 'Mattermost');
    }
}

export async function getTeam(id: string): Promise<Team> {
    try {
        return (await http.get<Team>(mattermostURL(`teams/${encodeURIComponent(id)}`))).data;
    } catch (err) {
        throw toApiError(err, 'Mattermost');
    }
}

export type FoundChannel = Channel & {team_display_name?: string};

// searchChannels finds public and private channels of every team by name (System Admins, as
// the System Console's own channel search).
export async function searchChannels(term: string, signal?: AbortSignal): Promise<FoundChannel[]> {
    try {
        const res = await http.post<FoundChannel[] | {channels: FoundChannel[]}>(
            mattermostURL('channels/search'),
            {term, per_page: 20, public: true, private: true},
            {params: {include_deleted: false, exclude_remote: false}, signal},
        );
        return Array.isArray(res.data) ? res.data : res.data.channels || [];
    } catch (err) {
        throw toApiError(err, 'Mattermost');
    }
}

export type SavedRoute = {id: string; name: string; imported_from?: string};

// savedRoutes lists the routes as saved (no tokens), so an imported webhook is only deleted
// once its route is stored.
export async function savedRoutes(): Promise<SavedRoute[]> {
    try {
        return (await http.get<{routes: SavedRoute[]}>(apiURL('routes/saved'))).data.routes;
    } catch (err) {
        throw toApiError(err);
    }
}

// searchTeams finds teams by name (System Admins see every team), for the routes' team picker.
export async function searchTeams(term: string, signal?: AbortSignal): Promise<Team[]> {
    try {
        const res = await http.post<Team[] | {teams: Team[]}>(mattermostURL('teams/search'), {term, page: 0, per_page: 20}, {signal});
        return (Array.isArray(res.data) ? res.data : res.data.teams) || [];
    } catch (err) {
        throw toApiError(err, 'Mattermost');
    }
}

// listOutgoingWebhooks reads every team's outgoing webhooks with the admin's own session (the
// plugin API has no call for them), 200 at a time, one page after the other: each says whether
// there is more.
export async function listOutgoingWebhooks(): Promise<OutgoingWebhook[]> {
    const all: OutgoingWebhook[] = [];
    try {
        for (let page = 0; page < 50; page++) {
            const batch = (await http.get<OutgoingWebhook[]>(mattermostURL('hooks/outgoing'), {params: {page, per_page: 200}})).data; // eslint-disable-line no-await-in-loop
            all.push(...batch);
            if (batch.length < 200) {
                break;
            }
        }
    } catch (err) {
        throw toApiError(err, 'Mattermost');
    }
    return all;
}

// deleteOutgoingWebhook deletes one imported webhook (the admin's own session).
export async function deleteOutgoingWebhook(id: string): Promise<void> {
    try {
        await http.delete(mattermostURL(`hooks/outgoing/${encodeURIComponent(id)}`));
    } catch (err) {
        throw toApiError(err, 'Mattermost');
    }
}

// pagePrefill asks what the "Page PagerTree…" dialog starts with for a message: the routes that
// serve its channel, the title, the choices. The server refuses a message the user cannot read.
export async function pagePrefill(postId: string): Promise<PagePrefill> {
    try {
        return (await http.get<PagePrefill>(apiURL('page-from-post'), {params: {post_id: postId}})).data;
    } catch (err) {
        throw toApiError(err);
    }
}

// pageFromPost pages PagerTree from a message, as the logged-in user.
export async function pageFromPost(req: PageRequest): Promise<PageAnswer> {
    try {
        return (await http.post<PageAnswer>(apiURL('page-from-post'), req)).data;
    } catch (err) {
        throw toApiError(err);
    }
}
