// The stand-in's REST API on its own (no Mattermost server): what the plugin's REST client and
// the acting scenarios rely on, checked against DESIGN §10 and PagerTree's API docs.
import http from 'http';
import type {AddressInfo} from 'net';

import {PagerTreeStandIn, PATHS} from '../src/stand_in';
import type {AlertChange} from '../src/stand_in_rest';

const pt = new PagerTreeStandIn('tok');
const KEY = 'ptk_stand_in';

async function rest(method: string, path: string, key = KEY, body?: unknown): Promise<{status: number; body: Record<string, unknown>}> {
    const res = await fetch(pt.url + path, {
        method,
        headers: {Authorization: `Bearer ${key}`, 'Content-Type': 'application/json'},
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    return {status: res.status, body: await res.json()};
}

async function integration(path: string, body: unknown, headers: Record<string, string> = {}): Promise<number> {
    const res = await fetch(pt.url + path, {method: 'POST', headers: {'Content-Type': 'application/json', ...headers}, body: JSON.stringify(body)});
    return res.status;
}

beforeAll(async () => {
    await pt.start();
    pt.rest.apiKey = KEY;
});

afterAll(async () => {
    await pt.stop();
});

test('a Mattermost-format alert is found by channel_id.timestamp, acknowledged, resolved and refused a second acknowledge', async () => {
    const changes: AlertChange[] = [];
    pt.rest.onChange((c) => changes.push(c));
    expect(await integration(PATHS.mattermost, {token: 'tok', channel_id: 'ch1', timestamp: 1764240000123, text: 'db down'})).toBe(200);
    expect(await integration(PATHS.mattermost, {token: 'wrong', channel_id: 'ch1', timestamp: 1764240000999, text: 'no'})).toBe(403);

    const found = await rest('GET', '/api/v4/alerts?thirdparty_id=ch1.1764240000123&limit=1&sort=created_at&direction=desc');
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({has_more: false, total_count: 1});
    const alert = (found.body.data as Array<Record<string, unknown>>)[0];
    expect(alert).toMatchObject({status: 'open', title: 'db down', thirdparty_id: 'ch1.1764240000123', urgency: 'medium'}); // no urgency word: the default

    expect(await rest('GET', '/api/v4/alerts?thirdparty_id=ch1.1764240000999')).toMatchObject({body: {data: [], total_count: 0}});

    expect(await rest('POST', `/api/v4/alerts/${alert.id}/acknowledge`)).toMatchObject({status: 200, body: {status: 'acknowledged'}});
    expect(await rest('POST', `/api/v4/alerts/${alert.id}/comments`, KEY, {body: 'Acknowledged from Mattermost by @alice'})).toMatchObject({status: 201});
    expect(await rest('POST', `/api/v4/alerts/${alert.id}/comments`, KEY, {})).toMatchObject({status: 422});
    expect(await rest('POST', `/api/v4/alerts/${alert.id}/resolve`)).toMatchObject({status: 200, body: {status: 'resolved'}});
    const again = await rest('POST', `/api/v4/alerts/${alert.id}/acknowledge`);
    expect(again.status).toBe(422);
    expect(again.body).toMatchObject({code: 422, errors: [{message: expect.stringMatching(/resolved/)}]});
    expect(changes.map((c) => [c.from, c.to, c.via])).toEqual([[null, 'open', 'integration'], ['open', 'acknowledged', 'api'], ['acknowledged', 'resolved', 'api']]);
});

test('a Mattermost-format alert\'s urgency is the first urgency word anywhere in its text, a substring (DESIGN §4.1)', async () => {
    const cases = [['[high] db down', 'high'], ['db slow, CRITICAL later', 'low'], ['Critical: disk', 'critical']];
    for (const [i, [text, urgency]] of cases.entries()) {
        const ts = 1764240001000 + i;
        expect(await integration(PATHS.mattermost, {token: 'tok', channel_id: 'ch2', timestamp: ts, text})).toBe(200);
        expect(pt.rest.byThirdpartyId(`ch2.${ts}`)[0].urgency).toBe(urgency);
    }
});

test('the Webhook integration acknowledges and resolves the newest alert with its Id', async () => {
    const hdr = {'pagertree-token': 'tok'};
    expect(await integration(PATHS.webhook, {event_type: 'create', Id: 'post9', Title: 't', Urgency: 'high'}, hdr)).toBe(200);
    expect(await integration(PATHS.webhook, {event_type: 'create', Id: 'post9', Title: 't again'}, hdr)).toBe(200); // aggregated
    expect(pt.rest.byThirdpartyId('post9')).toHaveLength(1);
    expect(await integration(PATHS.webhook, {event_type: 'acknowledge', Id: 'post9'}, hdr)).toBe(200);
    expect(pt.rest.byThirdpartyId('post9')[0].status).toBe('acknowledged');
    expect(await integration(PATHS.webhook, {event_type: 'resolve', id: 'post9'}, hdr)).toBe(200);
    expect(pt.rest.byThirdpartyId('post9')[0]).toMatchObject({status: 'resolved', urgency: 'high'});
});

test('a wrong key gets 401 and unknown things 404 in PagerTree\'s error shape', async () => {
    expect(await rest('GET', '/api/v4/teams', 'wrong')).toEqual({status: 401, body: {errors: [{message: 'Unauthorized'}], code: 401}});
    expect(await rest('POST', '/api/v4/alerts/nope/resolve')).toMatchObject({status: 404, body: {code: 404}});
    expect(await rest('GET', '/api/v4/account_users/nope')).toMatchObject({status: 404});
    expect(await rest('GET', '/api/v4/teams/nope/current_oncall')).toMatchObject({status: 404});
});

test('teams, current on-call and account users', async () => {
    pt.rest.teams = [{id: 'T1', name: 'Devops', oncall: [{layer: 1, account_user_ids: ['U1']}]}];
    pt.rest.users = [{id: 'U1', name: 'Ada', emails: ['ada@example.com', 'ada@old.example']}];
    expect(await rest('GET', '/api/v4/teams')).toMatchObject({status: 200, body: {data: [{id: 'T1', name: 'Devops'}], has_more: false, total_count: 1}});
    const oncall = await fetch(pt.url + '/api/v4/teams/T1/current_oncall', {headers: {Authorization: `Bearer ${KEY}`}});
    expect(await oncall.json()).toMatchObject([{layer: 1, attendees: [{attendee_id: 'U1'}]}]);
    expect(await rest('GET', '/api/v4/account_users/U1')).toMatchObject({
        status: 200,
        body: {id: 'U1', user: {name: 'Ada', emails: [{email: 'ada@example.com', primary: true}, {email: 'ada@old.example', primary: false}]}},
    });
});

test('after acting (Webhook integration or REST API) the stand-in sends the resulting event to the receiver, like PagerTree', async () => {
    const got: Array<{auth: string; body: {type: string; data: Record<string, unknown>}}> = [];
    const receiver = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (c) => {
            raw += c;
        });
        req.on('end', () => {
            got.push({auth: String(req.headers.authorization), body: JSON.parse(raw)});
            res.writeHead(200);
            res.end('{}');
        });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    const port = (receiver.address() as AddressInfo).port;
    pt.sendTo({url: `http://127.0.0.1:${port}/events`, username: 'pagertree', password: 'pw', linkedData: false});
    pt.autoEvents = true;
    try {
        expect(await integration(PATHS.webhook, {event_type: 'create', Id: 'auto-1', Title: 'auto'}, {'pagertree-token': 'tok'})).toBe(200);
        expect(await integration(PATHS.webhook, {event_type: 'acknowledge', Id: 'auto-1'}, {'pagertree-token': 'tok'})).toBe(200);
        await waitFor(() => got.length === 1);
        expect(got[0].auth).toBe(Buffer.from('pagertree:pw').toString('base64')); // no "Basic " prefix
        expect(got[0].body).toMatchObject({type: 'alert.acknowledged', data: {thirdparty_id: 'auto-1', status: 'acknowledged'}});
        const a = pt.alertFor('auto-1');
        expect((await rest('POST', `/api/v4/alerts/${a.id}/resolve`)).status).toBe(200);
        await waitFor(() => got.length === 2);
        expect(got[1].body).toMatchObject({type: 'alert.resolved', data: {thirdparty_id: 'auto-1', status: 'resolved', d_user_id: 'usr_key'}});
        expect(pt.autoSent.map((s) => s.status)).toEqual([200, 200]);
    } finally {
        pt.autoEvents = false;
        await new Promise((r) => receiver.close(r));
    }
});

async function waitFor(check: () => boolean): Promise<void> {
    const deadline = Date.now() + 5000;
    while (!check()) {
        if (Date.now() > deadline) {
            throw new Error('timed out');
        }
        await new Promise((r) => setTimeout(r, 50));
    }
}
