import type React from 'react';

// Props the System Console passes to a custom plugin setting.
export type SaveAction = () => Promise<{error?: {message?: string}}>;

export type CustomSettingProps = {
    id: string;
    label?: React.ReactNode;
    helpText?: React.ReactNode;
    value: unknown;
    disabled?: boolean;
    setByEnv?: boolean;
    onChange: (id: string, value: unknown) => void;
    setSaveNeeded?: () => void;
    registerSaveAction?: (action: SaveAction) => void;
    unRegisterSaveAction?: (action: SaveAction) => void;
};

// Server enums are read as the server sends them, never listed here: an urgency is one of the
// server's levels or '' (PagerTree's default).
export type Urgency = string;

export type Match = {trigger: string; start: number; end: number};

export type PreviewResult = {
    would_page: boolean;
    reason?: string;
    matches: Match[];
    trigger?: string;
    urgency: {urgency: Urgency; source: string; word?: string};
    severity?: {severity: string; word?: string; urgency?: Urgency}; // the incident severity named, when one is
    incident?: string; // the server's sentence on what the message is sent as, when it names a severity
    pagertree_text?: string;
    pagertree_reads?: Urgency;
    problem?: string;
    route?: {id: string; name: string; why: string; endpoint_host?: string; format?: string}; // only when routes exist
};

export type TestResult = {
    class: string; // delivered, transient or permanent (the server's paging.Class)
    status_code: number;
    meaning: string;
    error?: string;
    endpoint_host: string;
    format: string;
    route_id?: string;
    route_name?: string;
};

export type Delivery = {
    time: string;
    alert_id: string;
    channel_name: string;
    team_name?: string;
    user_name: string;
    trigger: string;
    urgency: Urgency;
    format?: string;
    status: string; // delivered, failed or suppressed (the server's delivery.Status)
    resendable?: boolean; // the alert's latest try failed for good: the server would resend it
    attempts: number;
    status_code?: number;
    meaning?: string;
    error?: string;
    test?: boolean;
    resent?: {number: number; by: string}; // this row is the n-th resend of the alert
    route_name?: string; // the route it went through; none for the default route
};

// ResendResult answers a resend: queued, or already resent by someone else just now.
export type ResendResult = {
    alert_id: string;
    queued: boolean;
    message: string;
};

// What PagerTree's Outgoing Webhook integration must be given, and whether it works.
export type ReceiverInfo = {
    url: string; // "" when the Site URL is not set
    secret_url: string; // the URL with the secret at its end (itself a secret); "" when url is
    advice: {mode: 'secret_url' | 'basic_auth'; text: string}; // what to paste into PagerTree on this server
    problem?: string;
    username: string;
    password: string;
    created: string;
    last_event?: {at: string; type: string; matched: boolean; header_arrived?: boolean; by_url_secret?: boolean} | null;
    events: string[]; // the event types to tick in PagerTree
    actions?: string; // whether the card offers Acknowledge and Resolve, and why not
    updates?: string; // how PagerTree's updates arrive: pushed, polled or both
    last_poll?: {at: string; checked: number; changed: number; problem?: string} | null;
};

export type APIKeyCheck = {
    ok: boolean;
    kind?: string; // the server's pagertreeclient.ErrorKind
    status?: number;
    message: string;
    host: string;
    teams: number;
};

// The server's word on the settings on screen (POST settings/check). Keys are plugin.json's
// setting keys (e.g. "EndpointURL").
export type SettingsCheck = {
    fields: Record<string, string>; // why a value is refused: Save refuses it
    hints: Record<string, string>; // warnings about values that are accepted
    lists: {
        TriggerWords: Array<{text: string; hint?: string}>; // the triggers the server keeps
        ChannelAllowList: string[];
        UrgencyAliases: Array<{alias: string; urgency: string; problem?: string; hint?: string}>; // every item
    };
    choices: Record<string, string[]>; // e.g. the urgencies an alias may point to
};

// ImportResult is the plugin's conversion of outgoing webhooks into routes.
export type ImportResult = {
    found: number;
    routes: Array<{route: import('./routes/model').RouteSpec; token: string; webhook_id: string; warnings: string[]}>;
    skipped: Array<{webhook_id: string; display_name: string; reason: string}>;
};

// Paging from a message ("Page PagerTree…"): what the dialog starts with (GET page-from-post)
// and the page (POST). Every choice and default is the server's.
export type Choice = {value: string; label: string};
export type RouteChoice = {key: string; label: string; urgency: string}; // urgency: what this route reads from the message

export type PagePrefill = {
    post_id: string;
    author: string;
    channel: string;
    title: string;
    title_max: number;
    note_max: number;
    routes: RouteChoice[];
    route: string; // the channel's route
    urgencies: Choice[];
    severities: Choice[];
    already_paged?: {error: string; permalink?: string};
};

export type PageRequest = {post_id: string; route: string; urgency: string; severity: string; title: string; note: string};

export type PageAnswer = {message: string; alert_id: string; permalink: string};
