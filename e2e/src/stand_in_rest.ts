// The stand-in's PagerTree REST API v4 (DESIGN §10 "Acting on an alert"): Bearer API key
// (wrong or missing → 401), alerts found by thirdparty id, acknowledge / resolve with PagerTree's
// state rules (422 when the state does not allow it), comments (made, listed; made in the app
// by commentInApp), teams, current on-call and account users. Its alerts are the ones the stand-in's integrations accepted, from both
// formats (thirdparty id: the Webhook format's Id, or channel_id.timestamp for the Mattermost
// format); the Webhook integration's acknowledge / resolve act on them too.
import {randomBytes} from 'crypto';
import type http from 'http';

export const API_PREFIX = '/api/v4/';

export type AlertStatus = 'open' | 'acknowledged' | 'resolved' | 'dropped' | 'suppressed';

export type StandInAlert = {
    id: string;
    prefix_id: string;
    tiny_id: number;
    status: AlertStatus;
    title: string;
    description?: string;
    urgency: string;
    thirdparty_id: string;
    source: 'mattermost' | 'webhook' | 'other'; // other: monitoring, e-mail… (not Mattermost)
    created_at: string;
    acknowledged_at: string | null;
    resolved_at: string | null;
    comments: StandInComment[];

    // What PagerTree's Webhook adapter reads from Meta (DESIGN §13): incident is Meta.incident
    // taken as Ruby truth (anything but absent, null or false), incident_severity upper-cased
    // and trimmed, incident_message as sent; meta is the rest of Meta. The Mattermost adapter
    // sets none of them.
    incident: boolean;
    incident_severity: string | null;
    incident_message: string | null;
    meta: Record<string, unknown>;
};

type IncidentFields = Pick<StandInAlert, 'incident' | 'incident_severity' | 'incident_message' | 'meta'>;

const PLAIN: IncidentFields = {incident: false, incident_severity: null, incident_message: null, meta: {}};

// incidentFields reads a Webhook-format body's Meta the way PagerTree's adapter does: only the
// key "Meta" (it digs "Meta", not "meta").
function incidentFields(body: Record<string, unknown>): IncidentFields {
    const meta = body.Meta;
    if (meta === null || typeof meta !== 'object' || Array.isArray(meta)) {
        return PLAIN;
    }
    const m = meta as Record<string, unknown>;
    const rest = Object.fromEntries(Object.entries(m).filter(([k]) => !['incident', 'incident_message', 'incident_severity'].includes(k)));
    const sev = m.incident_severity;
    return {
        incident: m.incident !== undefined && m.incident !== null && m.incident !== false,
        incident_severity: sev === undefined || sev === null ? null : String(sev).toUpperCase().trim(),
        incident_message: m.incident_message === undefined || m.incident_message === null ? null : String(m.incident_message),
        meta: rest,
    };
}

// A comment on an alert's timeline: made through the REST API (by the key's user) or in
// PagerTree's app by a person (commentInApp).
export type StandInComment = {
    id: string;
    prefix_id: string;
    body: string;
    by: string; // the author's name
    account_user_id: string;
    email: string;
    created_at: string;
    via: 'api' | 'app';
};

// A person in PagerTree, as comments name them.
export type CommentAuthor = {id: string; name: string; email: string};

export type StandInTeam = {id: string; name: string; oncall: Array<{layer: number; account_user_ids: string[]}>};
export type StandInUser = {id: string; name: string; emails: string[]};

// How the change came: through the REST API (by the key's user), the Webhook integration, or
// PagerTree's own app (by, when known: the person who acted there).
export type AlertChange = {alert: StandInAlert; from: AlertStatus | null; to: AlertStatus; via: 'integration' | 'api' | 'app'; by?: AppUser};

// A person acting in PagerTree's app, as linked data embeds a user (stand_in.ts PTUser).
export type AppUser = {id: string; name: string; email: string};

export type RestAnswer = {status: number; body: unknown};

const KEY_OWNER = 'stand-in API key user';

function ulid(): string {
    return Date.now().toString(36).toUpperCase().padStart(10, '0') + randomBytes(8).toString('hex').toUpperCase();
}

function errors(status: number, ...messages: string[]): RestAnswer {
    return {status, body: {errors: messages.map((message) => ({message})), code: status}};
}

function str(v: unknown): string {
    return typeof v === 'string' || typeof v === 'number' ? String(v) : '';
}

export class PagerTreeRestStandIn {
    apiKey = '';
    teams: StandInTeam[] = [];
    users: StandInUser[] = [];
    readonly alerts: StandInAlert[] = [];

    // Every REST call, in order, for assertions: "POST /api/v4/alerts/…/acknowledge".
    readonly calls: Array<{method: string; path: string; status: number; auth: string}> = [];
    private listeners: Array<(c: AlertChange) => void> = [];
    private commentListeners: Array<(a: StandInAlert, c: StandInComment) => void> = [];
    private tiny = 0;

    // keyUser is who the API key belongs to: the author of the comments made through the API.
    keyUser: CommentAuthor = {id: 'usr_key', name: KEY_OWNER, email: 'key@pagertree.example'};

    // onComment is called after every comment made (through the API or in the app), e.g. to
    // send PagerTree's comment.created event back to the plugin.
    onComment(l: (a: StandInAlert, c: StandInComment) => void): void {
        this.commentListeners.push(l);
    }

    // commentInApp is a person commenting in PagerTree's own app.
    commentInApp(a: StandInAlert, body: string, author: CommentAuthor): StandInComment {
        return this.addComment(a, body, author, 'app');
    }

    private addComment(a: StandInAlert, body: string, author: CommentAuthor, via: StandInComment['via']): StandInComment {
        const c: StandInComment = {
            id: ulid(),
            prefix_id: `cmt_${randomBytes(6).toString('hex')}`,
            body,
            by: author.name,
            account_user_id: author.id,
            email: author.email,
            created_at: new Date().toISOString(),
            via,
        };
        a.comments.push(c);
        this.commentListeners.forEach((l) => l(a, c));
        return c;
    }

    // commentJSON is a comment as the REST API answers it.
    commentJSON(a: StandInAlert, c: StandInComment): Record<string, unknown> {
        return {
            id: c.id,
            prefix_id: c.prefix_id,
            body: c.body,
            commentable_type: 'Alert',
            commentable_id: a.id,
            account_user_id: c.account_user_id,
            created_by_name: c.by,
            created_at: c.created_at,
        };
    }

    // onChange is called after every state change (create, acknowledge, resolve), e.g. to send
    // PagerTree's outgoing-webhook events back to the plugin.
    onChange(l: (c: AlertChange) => void): void {
        this.listeners.push(l);
    }

    byThirdpartyId(id: string): StandInAlert[] {
        return this.alerts.filter((a) => a.thirdparty_id === id);
    }

    // recordIntegration is called for every request an integration accepted (answered 200).
    recordIntegration(format: 'mattermost' | 'webhook', body: Record<string, unknown>): void {
        if (format === 'mattermost') {
            // PagerTree's Mattermost adapter: the first urgency word anywhere in the text, as a
            // substring ("slow" reads as low), else the integration's default (DESIGN §4.1).
            const urgency = (/low|medium|high|critical/i).exec(str(body.text))?.[0].toLowerCase() || '';
            this.create('mattermost', `${str(body.channel_id)}.${str(body.timestamp)}`, str(body.text), urgency, PLAIN);
            return;
        }
        const id = str(body.Id ?? body.id);
        const event = str(body.event_type).toLowerCase().trim();
        const newest = this.byThirdpartyId(id).filter((a) => a.source === 'webhook').pop();
        if (event === 'create') {
            // PagerTree aggregates a repeated Id while its alert is not resolved.
            if (!newest || newest.status === 'resolved') {
                this.create('webhook', id, str(body.Title ?? body.title), str(body.Urgency ?? body.urgency), incidentFields(body));
            }
        } else if ((event === 'acknowledge' || event === 'resolve') && newest) {
            this.transition(newest, event === 'acknowledge' ? 'acknowledged' : 'resolved', 'integration');
        }
    }

    // createElsewhere makes an alert as another integration would (monitoring, e-mail…), with
    // its own thirdparty id; the caller sends its alert.created event.
    createElsewhere(title: string, description: string, urgency = 'high'): StandInAlert {
        this.create('other', `nagios-${randomBytes(4).toString('hex')}`, title, urgency, PLAIN, description);
        return this.alerts[this.alerts.length - 1];
    }

    // create makes an alert and tells the listeners (who may send alert.created at once).
    private create(source: StandInAlert['source'], thirdpartyId: string, title: string, urgency: string, incident: IncidentFields, description?: string): void {
        this.tiny++;
        const a: StandInAlert = {
            id: ulid(),
            prefix_id: `alt_${randomBytes(6).toString('hex')}`,
            tiny_id: this.tiny,
            status: 'open',
            title,
            description,
            urgency: urgency || 'medium',
            thirdparty_id: thirdpartyId,
            source,
            created_at: new Date().toISOString(),
            acknowledged_at: null,
            resolved_at: null,
            comments: [],
            ...incident,
        };
        this.alerts.push(a);
        this.listeners.forEach((l) => l({alert: a, from: null, to: 'open', via: 'integration'}));
    }

    // actInApp is a person (by, when named) acknowledging or resolving in PagerTree's own app;
    // false when the state does not allow it.
    actInApp(a: StandInAlert, to: 'acknowledged' | 'resolved', by?: AppUser): boolean {
        return this.transition(a, to, 'app', by);
    }

    // transition applies PagerTree's documented rules; false when the state does not allow it.
    private transition(a: StandInAlert, to: 'acknowledged' | 'resolved', via: AlertChange['via'], by?: AppUser): boolean {
        const allowed: Record<string, AlertStatus[]> = {
            acknowledged: ['open', 'dropped', 'suppressed'],
            resolved: ['open', 'dropped', 'acknowledged'],
        };
        if (!allowed[to].includes(a.status)) {
            return false;
        }
        const from = a.status;
        a.status = to;
        const now = new Date().toISOString();
        if (to === 'acknowledged') {
            a.acknowledged_at = a.acknowledged_at || now;
        } else {
            a.resolved_at = now;
        }
        this.listeners.forEach((l) => l({alert: a, from, to, via, by}));
        return true;
    }

    static handles(path: string): boolean {
        return path.startsWith(API_PREFIX);
    }

    answer(method: string, url: string, headers: http.IncomingHttpHeaders, body: Record<string, unknown>): RestAnswer {
        const u = new URL(url, 'http://stand-in');
        const auth = str(headers.authorization);
        const res = this.route(method, u, auth, body);
        this.calls.push({method, path: u.pathname, status: res.status, auth});
        return res;
    }

    private route(method: string, u: URL, auth: string, body: Record<string, unknown>): RestAnswer {
        if (!this.apiKey || auth !== `Bearer ${this.apiKey}`) {
            return errors(401, 'Unauthorized');
        }
        const parts = u.pathname.slice(API_PREFIX.length).split('/').map(decodeURIComponent);
        const [resource, id, sub] = parts;
        if (resource === 'alerts' && method === 'GET' && parts.length === 1) {
            return this.listAlerts(u.searchParams);
        }
        if (resource === 'alerts' && id) {
            const a = this.alerts.find((x) => x.id === id || x.prefix_id === id);
            if (!a) {
                return errors(404, 'Record not found');
            }
            if (method === 'GET' && !sub) {
                return {status: 200, body: this.alertJSON(a)};
            }
            if (method === 'POST' && (sub === 'acknowledge' || sub === 'resolve')) {
                const to = sub === 'acknowledge' ? 'acknowledged' : 'resolved';
                if (!this.transition(a, to, 'api')) {
                    return errors(422, `Alert cannot be ${to} from the ${a.status} state`);
                }
                return {status: 200, body: this.alertJSON(a)};
            }
            if (method === 'POST' && sub === 'comments') {
                const text = str(body.body);
                if (!text) {
                    return errors(422, "body can't be blank");
                }
                return {status: 201, body: this.commentJSON(a, this.addComment(a, text, this.keyUser, 'api'))};
            }
            if (method === 'GET' && sub === 'comments') {
                let list = [...a.comments];
                if (u.searchParams.get('direction') === 'desc') {
                    list.reverse();
                }
                const limit = Math.min(Math.max(Number(u.searchParams.get('limit') || 10), 1), 100);
                list = list.slice(0, limit);
                return {status: 200, body: {data: list.map((c) => this.commentJSON(a, c)), has_more: a.comments.length > limit, total_count: a.comments.length}};
            }
        }
        if (resource === 'teams' && method === 'GET' && !id) {
            const data = this.teams.map((t, i) => ({id: t.id, name: t.name, tiny_id: i + 1}));
            return {status: 200, body: {data, has_more: false, total_count: data.length}};
        }
        if (resource === 'teams' && method === 'GET' && sub === 'current_oncall') {
            const t = this.teams.find((x) => x.id === id);
            if (!t) {
                return errors(404, 'Record not found');
            }
            const start = new Date(Date.now() - 3600e3).toISOString();
            const end = new Date(Date.now() + 3600e3).toISOString();
            return {
                status: 200,
                body: t.oncall.map((l) => ({
                    layer: l.layer,
                    start_time: start,
                    end_time: end,
                    attendees: l.account_user_ids.map((a) => ({attendee_id: a, attendee_type: 'AccountUser'})),
                })),
            };
        }
        if (resource === 'account_users' && method === 'GET' && !id) {
            // The account's users, a page at a time (the plugin matches e-mails itself).
            const limit = Math.min(Math.max(Number(u.searchParams.get('limit') || 10), 1), 100);
            const page = Math.max(Number(u.searchParams.get('page') || 1), 1);
            const data = this.users.slice((page - 1) * limit, page * limit).map((usr) => this.userJSON(usr));
            return {status: 200, body: {data, has_more: page * limit < this.users.length, total_count: this.users.length}};
        }
        if (resource === 'account_users' && method === 'GET' && id && !sub) {
            const usr = this.users.find((x) => x.id === id);
            if (!usr) {
                return errors(404, 'Record not found');
            }
            return {status: 200, body: this.userJSON(usr)};
        }
        return errors(404, 'Not found');
    }

    private listAlerts(q: URLSearchParams): RestAnswer {
        let list = [...this.alerts];
        const tp = q.get('thirdparty_id');
        if (tp !== null) {
            list = list.filter((a) => a.thirdparty_id === tp);
        }
        if (q.get('direction') === 'desc') {
            list.reverse();
        }
        const limit = Math.min(Math.max(Number(q.get('limit') || 10), 1), 100);
        const data = list.slice(0, limit).map((a) => this.alertJSON(a));
        return {status: 200, body: {data, has_more: list.length > limit, total_count: list.length}};
    }

    private userJSON(usr: StandInUser): Record<string, unknown> {
        return {id: usr.id, user: {name: usr.name, emails: usr.emails.map((email, i) => ({email, primary: i === 0}))}};
    }

    private alertJSON(a: StandInAlert): Record<string, unknown> {
        return Object.fromEntries(Object.entries(a).filter(([k]) => k !== 'comments' && k !== 'source'));
    }
}
