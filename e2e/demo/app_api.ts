// What a person does in PagerTree's app, for the demo's stand-in (stand_in_main.ts), as a small
// JSON API on a port of its own, so the walk-through and you (with curl) can act the way
// PagerTree's users do. Each change makes the stand-in send PagerTree's event to the plugin.
//
//   PUT  /app/outgoing-webhook       {"url", "username"?, "password"?, "linked_data"?}  point PagerTree's
//                                    "Outgoing Webhook" integration at the plugin's receiver
//   GET  /app/alerts                 the alerts, newest last
//   POST /app/alerts                 {"title", "description"?, "urgency"?}  an alert from another source
//                                    (monitoring, e-mail): PagerTree sends alert.created
//   POST /app/alerts/N/acknowledge   N: the alert's number (#N) or id (alt_…); {"name", "email"}? who
//   POST /app/alerts/N/resolve       acts (default: Ann Alice, alice@example.com)
//   POST /app/alerts/N/comments      {"body", "name"?, "email"?}  PagerTree sends comment.created
import type {EventBody, PagerTreeStandIn, PTUser} from '../src/stand_in';
import type {StandInAlert} from '../src/stand_in_rest';

export type AppAnswer = {status: number; body: unknown};

// Send is how the app sends an event to the plugin's receiver (the stand-in's send, logged).
export type Send = (body: EventBody) => Promise<{status: number; text: string}>;

// The person signed in to the stand-in's app: alice's e-mail, so the card names @alice.
export const APP_USER: PTUser = {id: 'usr_ann', name: 'Ann Alice', email: 'alice@example.com'};

const MAX_TEXT = 2000;

function text(v: unknown): string {
    return typeof v === 'string' ? v.trim().slice(0, MAX_TEXT) : '';
}

function fail(status: number, error: string): AppAnswer {
    return {status, body: {error}};
}

function person(body: Record<string, unknown>): PTUser {
    const name = text(body.name);
    const email = text(body.email);
    if (!name && !email) {
        return APP_USER;
    }
    return {id: 'usr_' + Buffer.from(email || name).toString('hex').slice(0, 12), name: name || email, email};
}

export function alertView(a: StandInAlert): Record<string, unknown> {
    return {number: a.tiny_id, id: a.prefix_id, status: a.status, title: a.title, urgency: a.urgency, thirdparty_id: a.thirdparty_id, source: a.source};
}

function find(pt: PagerTreeStandIn, ref: string): StandInAlert | undefined {
    const n = ref.replace(/^#/, '');
    return pt.rest.alerts.find((a) => String(a.tiny_id) === n || a.prefix_id === n || a.id === n);
}

export async function handleApp(pt: PagerTreeStandIn, send: Send, method: string, url: string, raw: string): Promise<AppAnswer> {
    let body: Record<string, unknown> = {};
    if (raw.trim()) {
        try {
            const parsed = JSON.parse(raw);
            if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
                body = parsed;
            } else {
                return fail(400, 'The body must be a JSON object.');
            }
        } catch {
            return fail(400, 'The body is not JSON.');
        }
    }
    const parts = decodeURIComponent(url.split('?')[0]).split('/').filter(Boolean);
    if (parts[0] !== 'app') {
        return fail(404, 'Not found: the app\'s paths start with /app/.');
    }
    const [, resource, ref, action] = parts;
    if (resource === 'outgoing-webhook' && method === 'PUT' && parts.length === 2) {
        const target = text(body.url);
        if (!(/^https?:\/\//).test(target)) {
            return fail(422, 'url must be the plugin\'s receiver URL (http:// or https://).');
        }
        pt.sendTo({url: target, username: text(body.username), password: text(body.password), linkedData: body.linked_data !== false});
        return {status: 200, body: {url: target, basic_auth: Boolean(text(body.username)), linked_data: body.linked_data !== false}};
    }
    if (resource !== 'alerts') {
        return fail(404, 'Not found.');
    }
    if (!ref) {
        if (method === 'GET') {
            return {status: 200, body: pt.rest.alerts.map(alertView)};
        }
        if (method === 'POST') {
            const title = text(body.title);
            if (!title) {
                return fail(422, 'title is required.');
            }
            const urgency = text(body.urgency) || 'high';
            if (!['low', 'medium', 'high', 'critical'].includes(urgency)) {
                return fail(422, 'urgency is one of low, medium, high, critical.');
            }
            return {status: 201, body: alertView(pt.rest.createElsewhere(title, text(body.description), urgency))};
        }
        return fail(405, 'Use GET or POST on /app/alerts.');
    }
    const a = find(pt, ref);
    if (!a) {
        return fail(404, `No alert ${ref}: name it by its number or its alt_ id (GET /app/alerts lists them).`);
    }
    if (method !== 'POST' || parts.length !== 4) {
        return fail(404, 'Not found.');
    }
    if (action === 'acknowledge' || action === 'resolve') {
        const to = action === 'acknowledge' ? 'acknowledged' : 'resolved';
        if (!pt.rest.actInApp(a, to, person(body))) {
            return fail(422, `Alert #${a.tiny_id} cannot be ${to} from the ${a.status} state.`);
        }
        return {status: 200, body: alertView(a)};
    }
    if (action === 'comments') {
        const comment = text(body.body);
        if (!comment) {
            return fail(422, 'body (the comment) is required.');
        }
        if (!pt.outgoing) {
            return fail(409, 'No outgoing webhook is configured: PUT /app/outgoing-webhook first.');
        }
        const res = await send(pt.commentEvent(a, comment, person(body)));
        return {status: 201, body: {alert: alertView(a), receiver_answered: res.status}};
    }
    return fail(404, 'Not found: acknowledge, resolve or comments.');
}
