// A local stand-in for PagerTree's two integrations (DESIGN §4), plus a path for Mattermost's
// built-in outgoing webhook. It enforces the token rule (wrong token → 403, no alert), records
// every request with headers and body, answers an empty 200 otherwise, and can be told to fail.
// Its REST API v4 (for acting on alerts and on-call) lives in stand_in_rest.ts, which also holds
// the alerts the integrations made; this file sends PagerTree's outgoing webhooks about them
// (DESIGN §10) to the plugin's receiver, comments' comment.created (DESIGN §13) included.
import http from 'http';
import type {AddressInfo, Socket} from 'net';

import {PagerTreeRestStandIn} from './stand_in_rest';
import type {StandInAlert, StandInComment} from './stand_in_rest';

export type Recorded = {
    method: string;
    path: string;
    url: string; // the path with its query
    headers: http.IncomingHttpHeaders;
    raw: string;
    body: Record<string, unknown>;
    status: number; // what the stand-in answered (0: it hung up)
    at: number;
    atHr: number; // the same instant with sub-millisecond resolution (epoch ms, fractional), for the benchmark
};

export type Failure =
    | {kind: 'status'; status: number; retryAfter?: number}
    | {kind: 'hang'}; // never answer: the client's timeout fires

type Rule = Failure & {remaining?: number; until?: number; paths?: string[]};

// A PagerTree user as linked data embeds it (d_user).
export type PTUser = {id: string; name: string; email: string};

// The "Outgoing Webhook" integration pointed at the plugin: url (the receiver URL with the secret,
// or the plain one), and basic auth when username is not empty (else no Authorization header).
export type Outgoing = {url: string; username: string; password: string; linkedData: boolean};

export type EventBody = {type: string; data: Record<string, unknown>; [extra: string]: unknown};

// What PagerTree's v3 alert object carries beyond the REST stand-in's alert (who, when).
type V3Extra = {acknowledgedby?: string; resolvedby?: string; acknowledged?: number; resolved?: number; d_user?: PTUser;
    handoffs?: Array<{to: string; from: string; time: number}>; updatedAt?: string;};

export const PATHS = {mattermost: '/integration/int_mattermost', webhook: '/integration/int_webhook', builtin: '/builtin'};

export class PagerTreeStandIn {
    readonly requests: Recorded[] = [];
    readonly rest = new PagerTreeRestStandIn(); // the REST API v4 under /api/v4/ (stand_in_rest.ts)
    outgoing: Outgoing | null = null; // the "Outgoing Webhook" integration pointed at the plugin
    private v3 = new Map<string, V3Extra>();
    token: string;

    // More "Mattermost (Outgoing Webhook)" integrations, by path, each with its own token (routes).
    readonly integrations = new Map<string, string>();
    private rules: Rule[] = [];
    private server: http.Server | null = null;
    private sockets = new Set<Socket>();
    private reopen?: NodeJS.Timeout;
    port = 0;
    onRecord?: (r: Recorded) => void; // called once per request, after it was answered
    onSent?: (s: {body: EventBody; status: number; text: string}) => void; // after each autoEvents event was answered

    // autoEvents: after acting on an alert (REST acknowledge/resolve, or the Webhook
    // integration's acknowledge/resolve) the stand-in sends the resulting outgoing-webhook event
    // to the receiver, after autoEventDelayMs, like PagerTree does. Their answers are kept.
    autoEvents = false;
    autoEventDelayMs = 0;
    readonly autoSent: Array<{type: string; status: number; body: EventBody}> = [];
    readonly keyOwner: PTUser = {id: 'usr_key', name: 'Kay Key', email: 'kay@pagertree.example'};

    constructor(token: string) {
        this.token = token;
        this.rest.keyUser = this.keyOwner;

        // Every comment made, through the API (the plugin's: PagerTree echoes them too) or in the
        // app, is sent as comment.created, like PagerTree's Outgoing Webhook does.
        this.rest.onComment((a, c) => {
            if (this.autoEvents && this.outgoing) {
                this.sendLater(this.commentEventFor(a, c));
            }
        });
        this.rest.onChange((c) => {
            if (!this.autoEvents || !this.outgoing || c.from === null || (c.to !== 'acknowledged' && c.to !== 'resolved')) {
                return;
            }

            // The REST API acts as the key's user, the app as the person who acted there; the
            // integration acts as nobody in particular.
            this.sendLater(this.event(c.alert, `alert.${c.to}`, c.by ?? (c.via === 'api' ? this.keyOwner : undefined)));
        });
    }

    // sendLater sends an event after autoEventDelayMs and keeps the answer in autoSent.
    private sendLater(body: EventBody): void {
        setTimeout(() => {
            this.send(body).then(
                (r) => {
                    this.autoSent.push({type: body.type, status: r.status, body});
                    this.onSent?.({body, status: r.status, text: r.text});
                },
                () => {
                    this.autoSent.push({type: body.type, status: 0, body});
                    this.onSent?.({body, status: 0, text: ''});
                },
            );
        }, this.autoEventDelayMs);
    }

    get url(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    async start(): Promise<void> {
        const server = http.createServer((req, res) => this.handle(req, res));
        server.on('connection', (s) => {
            this.sockets.add(s);
            s.on('close', () => this.sockets.delete(s));
        });
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(this.port, '127.0.0.1', resolve);
        });
        this.port = (server.address() as AddressInfo).port;
        this.server = server;
    }

    // listening tells whether the port is open (false after stop(), and during refuseFor).
    get listening(): boolean {
        return this.server !== null;
    }

    // stop closes the port: connections are refused until start() again. A reopening that
    // refuseFor scheduled is cancelled.
    async stop(): Promise<void> {
        clearTimeout(this.reopen);
        const server = this.server;
        this.server = null;
        this.sockets.forEach((s) => s.destroy());
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    }

    // refuseFor simulates PagerTree unreachable for ms milliseconds: it closes the port and
    // returns; ms later the stand-in opens it again on the same port by itself (see listening).
    async refuseFor(ms: number): Promise<void> {
        await this.stop();
        this.reopen = setTimeout(() => {
            this.start().catch((err) => {
                console.error(`stand-in: could not open port ${this.port} again after refusing connections: ${err}`); // listening stays false
            });
        }, ms);
    }

    // failNext answers the next n requests (to the given paths, default all) with the failure.
    failNext(n: number, failure: Failure, paths?: string[]): void {
        this.rules.push({...failure, remaining: n, paths});
    }

    // failFor answers every request for ms milliseconds with the failure.
    failFor(ms: number, failure: Failure, paths?: string[]): void {
        this.rules.push({...failure, until: Date.now() + ms, paths});
    }

    clearFailures(): void {
        this.rules = [];
    }

    private takeRule(path: string): Rule | undefined {
        const now = Date.now();
        this.rules = this.rules.filter((r) => (r.remaining === undefined || r.remaining > 0) && (r.until === undefined || r.until > now));
        const rule = this.rules.find((r) => !r.paths || r.paths.includes(path));
        if (rule && rule.remaining !== undefined) {
            rule.remaining--;
        }
        return rule;
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        let raw = '';
        req.on('data', (c) => {
            raw += c;
        });
        req.on('end', () => {
            const path = (req.url || '/').split('?')[0];
            let body: Record<string, unknown> = {};
            try {
                body = raw ? JSON.parse(raw) : {};
            } catch {
                body = {};
            }
            const rec: Recorded = {method: req.method || 'GET', path, url: req.url || '/', headers: req.headers, raw, body, status: 0, at: Date.now(), atHr: performance.timeOrigin + performance.now()};
            this.requests.push(rec);
            const rule = this.takeRule(path);
            if (rule?.kind === 'hang') {
                return; // the socket stays open until the client gives up or stop()
            }
            let status = 200;
            if (rule?.kind === 'status') {
                status = rule.status;
                if (rule.retryAfter !== undefined) {
                    res.setHeader('Retry-After', String(rule.retryAfter));
                }
            } else if (PagerTreeRestStandIn.handles(path)) {
                const answer = this.rest.answer(req.method || 'GET', req.url || '/', req.headers, body);
                rec.status = answer.status;
                res.writeHead(answer.status, {'Content-Type': 'application/json'});
                res.end(JSON.stringify(answer.body));
                this.onRecord?.(rec);
                return;
            } else if (this.integrations.has(path)) {
                status = body.token === this.integrations.get(path) ? 200 : 403;
            } else if (path === PATHS.mattermost && this.token && body.token !== this.token) {
                status = 403;
            } else if (path === PATHS.webhook && this.token && req.headers['pagertree-token'] !== this.token) {
                status = 403;
            } else if (path !== PATHS.mattermost && path !== PATHS.webhook && path !== PATHS.builtin) {
                status = 404;
            }
            rec.status = status;

            // Every integration makes an alert, as PagerTree's do: the routes' integrations are
            // "Mattermost (Outgoing Webhook)" ones.
            if (status === 200 && (path === PATHS.mattermost || path === PATHS.webhook || this.integrations.has(path))) {
                this.rest.recordIntegration(path === PATHS.webhook ? 'webhook' : 'mattermost', body);
            }
            res.writeHead(status);
            res.end();
            this.onRecord?.(rec);
        });
    }

    // matching returns the recorded requests whose raw body contains text.
    matching(text: string, path?: string): Recorded[] {
        return this.requests.filter((r) => r.raw.includes(text) && (!path || r.path === path));
    }

    async waitFor(text: string, opts: {path?: string; count?: number; timeoutMs?: number; status?: number} = {}): Promise<Recorded[]> {
        const deadline = Date.now() + (opts.timeoutMs ?? 15000);
        const count = opts.count ?? 1;
        for (;;) {
            const got = this.matching(text, opts.path).filter((r) => opts.status === undefined || r.status === opts.status);
            if (got.length >= count) {
                return got;
            }
            if (Date.now() > deadline) {
                throw new Error(`stand-in: ${got.length} of ${count} requests containing ${JSON.stringify(text)}${opts.status ? ` answered ${opts.status}` : ''} within ${opts.timeoutMs ?? 15000} ms`);
            }
            await new Promise((r) => setTimeout(r, 100));
        }
    }

    // alertFor finds the alert an integration made from the request containing text (or with
    // that thirdparty id).
    alertFor(text: string): StandInAlert {
        const a = this.rest.alerts.find((x) => x.title.includes(text) || x.thirdparty_id === text);
        if (!a) {
            throw new Error(`stand-in: no alert made from a request containing ${JSON.stringify(text)}`);
        }
        return a;
    }

    // sendTo points the stand-in's "Outgoing Webhook" integration at the plugin's receiver.
    sendTo(outgoing: Outgoing): void {
        this.outgoing = outgoing;
    }

    // event builds the body PagerTree sends for an event about a, after changing a the way a
    // person acting in PagerTree would. The body can be sent again (a repeat) or later (out of order).
    event(a: StandInAlert, type: string, by?: PTUser, extra: Record<string, unknown> = {}): EventBody {
        const now = Math.floor(Date.now() / 1000);
        const x = this.v3.get(a.id) || {};
        this.v3.set(a.id, x);
        x.updatedAt = new Date().toISOString();
        if (by) {
            x.d_user = by;
        }
        switch (type) {
        case 'alert.acknowledged':
            a.status = 'acknowledged';
            a.acknowledged_at = x.updatedAt;
            x.acknowledged = now;
            x.acknowledgedby = by?.id;
            break;
        case 'alert.resolved':
            a.status = 'resolved';
            a.resolved_at = x.updatedAt;
            x.resolved = now;
            x.resolvedby = by?.id;
            break;
        case 'alert.dropped':
            a.status = 'dropped';
            break;
        case 'alert.handoff':
            x.handoffs = [...(x.handoffs || []), {to: by?.id || '', from: x.acknowledgedby || '', time: now}];
            break;
        }

        // PagerTree's v3 alert object (DESIGN §10): id alt_…, tinyId, thirdparty_id, …
        const data: Record<string, unknown> = {
            id: a.prefix_id,
            tinyId: a.tiny_id,
            thirdparty_id: a.thirdparty_id,
            title: a.title,
            description: a.description ?? a.title,
            status: a.status,
            urgency: a.urgency,
            created: Math.floor(Date.parse(a.created_at) / 1000),
            updatedAt: x.updatedAt,
            acknowledged: x.acknowledged,
            acknowledgedby: x.acknowledgedby,
            resolved: x.resolved,
            resolvedby: x.resolvedby,
            handoffs: x.handoffs,
            d_user_id: x.d_user?.id,
            meta: a.meta,
            incident: a.incident,
            incident_severity: a.incident_severity,
            incident_message: a.incident_message,
        };
        if (this.outgoing?.linkedData && x.d_user) {
            data.d_user = x.d_user; // "send linked data", an option of the integration
        }
        return {type, data: JSON.parse(JSON.stringify(data)), ...extra};
    }

    // commentEvent builds a comment.created body for a comment not kept in the alert's list
    // (a one-off; commentInPagerTree keeps it): it names the alert only by its id.
    commentEvent(a: StandInAlert, body: string, author: PTUser): EventBody {
        const id = Math.random().toString(36).slice(2, 12);
        return this.commentEventFor(a, {id,
            prefix_id: 'cmt_' + id,
            body,
            by: author.name,
            account_user_id: author.id,
            email: author.email,
            created_at: new Date().toISOString(),
            via: 'app'});
    }

    // commentEventFor is PagerTree's comment.created event for a comment (DESIGN §13: id,
    // prefix_id, commentable_type, commentable_id, account_user_id, account_user.user{name,email},
    // created_by_name, created_at, body).
    commentEventFor(a: StandInAlert, c: StandInComment): EventBody {
        return {
            type: 'comment.created',
            data: {
                id: c.id,
                prefix_id: c.prefix_id,
                commentable_type: 'Alert',
                commentable_id: a.prefix_id,
                account_user_id: c.account_user_id,
                account_user: {id: c.account_user_id, user: {name: c.by, email: c.email}},
                created_by_name: c.by,
                created_at: c.created_at,
                body: c.body,
            },
        };
    }

    // commentInPagerTree is a person commenting in PagerTree's app: the comment is kept in the
    // alert's list (the REST API lists it) and, with autoEvents, its event is sent. The event's
    // body is returned, to send again (PagerTree delivers at least once).
    commentInPagerTree(a: StandInAlert, body: string, author: PTUser): EventBody {
        return this.commentEventFor(a, this.rest.commentInApp(a, body, author));
    }

    // send posts an event body to the receiver like PagerTree: JSON, and basic auth (when the
    // integration has a username) as base64(user:pass) WITHOUT the "Basic " prefix. opts.url sends to
    // another receiver URL. It returns the status, the answer and the time taken.
    async send(body: EventBody | string, opts: {authorization?: string | null; contentType?: string; url?: string} = {}): Promise<{status: number; text: string; ms: number}> {
        if (!this.outgoing) {
            throw new Error('stand-in: sendTo() the receiver first');
        }
        const headers: Record<string, string> = {'Content-Type': opts.contentType ?? 'application/json', 'User-Agent': 'PagerTree-Webhooks'};
        let auth = opts.authorization;
        if (auth === undefined) {
            auth = this.outgoing.username ? Buffer.from(`${this.outgoing.username}:${this.outgoing.password}`).toString('base64') : null;
        }
        if (auth !== null) {
            headers.Authorization = auth;
        }
        const started = Date.now();
        const res = await fetch(opts.url ?? this.outgoing.url, {method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body)});
        return {status: res.status, text: await res.text(), ms: Date.now() - started};
    }
}
