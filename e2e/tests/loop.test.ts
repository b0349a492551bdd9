// The loop back (DESIGN §10): PagerTree's outgoing webhooks, sent by the stand-in like
// PagerTree sends them, update the status card in the thread that paged, on the real server.
import fs from 'fs';
import path from 'path';

import type {Post} from '@mattermost/types/posts';

import {scenarioSettings} from '../src/scenario_settings';
import {PagerTreeStandIn, PATHS} from '../src/stand_in';
import type {EventBody, PTUser} from '../src/stand_in';
import type {StandInAlert} from '../src/stand_in_rest';
import {command, installPlugin, nothingMoreWithin, pluginRunning, post, ref, setPluginSettings, sharedWorld, verifyEmail, waitUntil} from '../src/world';
import type {PluginSettings, World} from '../src/world';

const TOKEN = 'e2e-loop-token';
const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';

let w: World;
let botId = '';
const pt = new PagerTreeStandIn(TOKEN);
let base: PluginSettings;
let receiver: {url: string; secret_url: string; username: string; password: string};
let headerArrives = false; // whether this server passes a plugin the Authorization header (9.4 and later here)

// People in PagerTree: Ann's e-mail is alice's in Mattermost, Pat is nobody there.
const ANN: PTUser = {id: 'usr_ann', name: 'Ann Alice', email: 'alice@example.com'};
const PAT: PTUser = {id: 'usr_pat', name: 'Pat Tree', email: 'pat@elsewhere.example'};

type Attachment = {color: string; title: string; title_link?: string; fields: Array<{title: string; value: string}>};

function pluginApi(p: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${MM_URL}/plugins/pagertree/api/v1/${p}`, {
        ...init,
        headers: {'Content-Type': 'application/json', Authorization: `Bearer ${w.admin.getToken()}`},
    });
}

async function threadPosts(rootId: string): Promise<Post[]> {
    const thread = await w.admin.getPostThread(rootId);
    return Object.values(thread.posts).filter((x) => x.root_id === rootId && x.user_id === botId).sort((a, b) => a.create_at - b.create_at);
}

function attachmentOf(p: Post | undefined): Attachment | undefined {
    return (p?.props?.attachments as Attachment[] | undefined)?.[0];
}

// currentCard reads the thread's card as it is now (undefined: none yet).
async function currentCard(rootId: string): Promise<Attachment | undefined> {
    const cards = (await threadPosts(rootId)).filter((x) => attachmentOf(x));
    if (cards.length > 1) {
        throw new Error(`${cards.length} cards in one thread`);
    }
    return attachmentOf(cards[0]);
}

async function card(rootId: string, check: (a: Attachment) => boolean = () => true, what = 'the card'): Promise<Attachment> {
    let found: Attachment | undefined;
    await waitUntil(async () => {
        found = await currentCard(rootId);
        return Boolean(found && check(found));
    }, what);
    return found as Attachment;
}

function fields(a: Attachment): Record<string, string> {
    return Object.fromEntries(a.fields.map((f) => [f.title, f.value]));
}

async function replies(rootId: string): Promise<string[]> {
    return (await threadPosts(rootId)).filter((x) => !attachmentOf(x)).map((x) => x.message);
}

const saved: Array<{state: string; attachment: Attachment}> = [];
let firstBySecret: Record<string, unknown> | null = null; // the first event delivered by the URL secret, kept in .run/

// send posts an event like PagerTree and checks the answer came within a second.
async function send(body: EventBody | string, opts: Parameters<PagerTreeStandIn['send']>[1] = {}) {
    const res = await pt.send(body, opts);
    expect(res.ms).toBeLessThan(1000);
    if (!firstBySecret && opts.url === undefined && opts.authorization === undefined && res.status === 200) {
        firstBySecret = {
            request: {method: 'POST', url: receiver.url + '/<secret: ' + (receiver.secret_url.length - receiver.url.length - 1) + ' characters>', headers: {'Content-Type': 'application/json', 'User-Agent': 'PagerTree-Webhooks'}, body},
            answer: {status: res.status, body: res.text, ms: res.ms},
        };
    }
    return res;
}

async function pageAndCard(text: string): Promise<{p: Post; alert: StandInAlert; r: string}> {
    const r = ref();
    const p = await post(w.alice, w.ops.id, `${text} ${r}`);
    await pt.waitFor(r, {status: 200});
    await card(p.id);
    return {p, alert: pt.alertFor(r), r};
}

beforeAll(async () => {
    if (!MM_URL || !BUNDLE) {
        throw new Error('run the suite with e2e/run.sh (make e2e): it starts Mattermost and sets MM_URL and PLUGIN_BUNDLE');
    }
    await pt.start();
    w = await sharedWorld(MM_URL);
    await verifyEmail(w, w.aliceUser.id); // PagerTree's alice@example.com is shown as @alice only on a verified e-mail
    base = scenarioSettings(pt, TOKEN);
    await setPluginSettings(w, base);
    if (!(await pluginRunning(w))) {
        await installPlugin(w, BUNDLE);
    }
    botId = (await w.admin.getUserByUsername('pagertree')).id;
    const info = await (await pluginApi('receiver')).json();
    expect(info.url).toBe(`${MM_URL}/plugins/pagertree/api/v1/pagertree/events`);
    expect(info.secret_url).toMatch(new RegExp(`^${info.url}/[A-Za-z0-9_-]{43}$`));
    receiver = info;
    headerArrives = await serverPassesAuthorization();

    // PagerTree's integration as the plugin advises on every server: the URL with the secret, no basic auth.
    pt.sendTo({url: info.secret_url, username: '', password: '', linkedData: true});
});

beforeEach(async () => {
    pt.clearFailures();
    await setPluginSettings(w, base);
});

afterAll(async () => {
    await pt.stop();
    if (saved.length) {
        const out = path.join(__dirname, '..', '.run', 'cards.json');
        fs.mkdirSync(path.dirname(out), {recursive: true});
        fs.writeFileSync(out, JSON.stringify(saved, null, 2));
    }
    if (firstBySecret) {
        fs.writeFileSync(path.join(__dirname, '..', '.run', 'url-secret-event.json'), JSON.stringify(firstBySecret, null, 2));
    }
});

describe('PagerTree → the thread that paged', () => {
    test('trigger → card (open) → acknowledged → resolved, Mattermost format mapped by channel_id.timestamp', async () => {
        const r = ref();
        const p = await post(w.alice, w.ops.id, `outage in payments, urgency:high ${r}`);
        await pt.waitFor(r, {status: 200});
        const open = await card(p.id);
        saved.push({state: 'sent', attachment: open});
        expect(open).toMatchObject({color: '#D24B4E', title: 'PagerTree alert'});
        expect(fields(open)).toEqual({Status: 'Open', Urgency: 'high', Trigger: 'outage'});
        const alert = pt.alertFor(r);
        expect(alert.thirdparty_id).toBe(`${w.ops.id}.${p.create_at}`);

        expect((await send(pt.event(alert, 'alert.created'))).text).toContain('"applied"');
        const numbered = await card(p.id, (a) => a.title === `PagerTree alert #${alert.tiny_id}`, 'the alert number');
        saved.push({state: 'open', attachment: numbered});
        expect(numbered.title_link).toBe(`https://app.pagertree.com/alerts/${alert.prefix_id}`);

        await send(pt.event(alert, 'alert.acknowledged', ANN));
        const acked = await card(p.id, (a) => a.color === '#FFBC1F', 'the amber card');
        saved.push({state: 'acknowledged', attachment: acked});
        expect(fields(acked)).toMatchObject({Status: 'Acknowledged', 'Acknowledged by': '@alice'});

        await send(pt.event(alert, 'alert.resolved', PAT));
        const resolved = await card(p.id, (a) => a.color === '#3DB887', 'the green card');
        saved.push({state: 'resolved', attachment: resolved});
        expect(fields(resolved)).toMatchObject({Status: 'Resolved', 'Acknowledged by': '@alice', 'Resolved by': 'Pat Tree'});
        await waitUntil(async () => (await replies(p.id)).length === 2, 'two thread replies');
        expect(await replies(p.id)).toEqual(['**Acknowledged** in PagerTree by @alice.', '**Resolved** in PagerTree by Pat Tree.']);
    });

    test('a repeated and an out-of-order event change nothing and post nothing twice', async () => {
        const {p, alert} = await pageAndCard('outage in search');
        const open = pt.event(alert, 'alert.open');
        const ack = pt.event(alert, 'alert.acknowledged', PAT);
        expect((await send(ack)).text).toContain('"applied"');
        expect((await send(ack)).text).toContain('"unchanged"');
        await send(pt.event(alert, 'alert.resolved', PAT));
        await card(p.id, (a) => a.color === '#3DB887', 'the green card');
        expect((await send(open)).text).toContain('"unchanged"'); // late: would move it backwards
        expect((await send(ack)).text).toContain('"unchanged"');
        await waitUntil(async () => (await replies(p.id)).length >= 2, 'the two replies');
        await nothingMoreWithin(1500, 'the late events to change nothing and post nothing', async () => {
            expect(fields(await currentCard(p.id) as Attachment).Status).toBe('Resolved');
            expect(await replies(p.id)).toEqual(['**Acknowledged** in PagerTree by Pat Tree.', '**Resolved** in PagerTree by Pat Tree.']);
        });
    });

    test('a wrong URL secret or password gets 401 and changes nothing; basic auth works where the header arrives', async () => {
        const {p, alert} = await pageAndCard('outage in login');
        const before = await (await pluginApi('receiver')).json();
        const ack = pt.event(alert, 'alert.acknowledged', PAT);
        const wrongSecret = await send(ack, {url: `${receiver.url}/not-the-secret`});
        expect(wrongSecret.status).toBe(401);
        expect(wrongSecret.text).not.toContain('not-the-secret');
        expect((await send(ack, {url: receiver.url})).status).toBe(401); // the plain URL, no credentials
        const wrong = await send(ack, {url: receiver.url, authorization: Buffer.from(`${receiver.username}:not-the-password`).toString('base64')});
        expect(wrong.status).toBe(401);
        await nothingMoreWithin(1000, 'the refused events to change nothing', async () => {
            expect(fields(await currentCard(p.id) as Attachment).Status).toBe('Open');
            expect(await replies(p.id)).toEqual([]);
            expect((await (await pluginApi('receiver')).json()).last_event).toEqual(before.last_event);
        });

        // Basic auth on the plain URL (both forms): it reaches the plugin only where the server
        // passes the Authorization header on; before 9.4 the server strips it (mattermost#23575).
        const basic = await send(ack, {url: receiver.url, authorization: 'Basic ' + Buffer.from(`${receiver.username}:${receiver.password}`).toString('base64')});
        if (!headerArrives) {
            expect(basic.status).toBe(401);
            expect((await send(ack)).status).toBe(200); // the URL secret works on this server
            await card(p.id, (a) => fields(a).Status === 'Acknowledged', 'the acknowledged card');
            const info = await (await pluginApi('receiver')).json();
            expect(info.last_event).toMatchObject({header_arrived: false, by_url_secret: true});
            expect(info.advice).toMatchObject({mode: 'secret_url'});
            expect(info.advice.text).toContain('Basic auth does not reach the plugin on this server');
            return;
        }
        expect(basic.status).toBe(200);
        await card(p.id, (a) => fields(a).Status === 'Acknowledged', 'the acknowledged card');
        const noPrefix = await send(pt.event(alert, 'alert.resolved', PAT), {url: receiver.url, authorization: Buffer.from(`${receiver.username}:${receiver.password}`).toString('base64')});
        expect(noPrefix.status).toBe(200);
        await card(p.id, (a) => fields(a).Status === 'Resolved', 'the resolved card');
        const info = await (await pluginApi('receiver')).json();
        expect(info.last_event).toMatchObject({header_arrived: true, by_url_secret: false});
        expect(info.advice).toMatchObject({mode: 'basic_auth'});
    });

    test('a PagerTree comment becomes a reply', async () => {
        const {p, alert} = await pageAndCard('outage in billing');
        await send(pt.event(alert, 'alert.open'));
        const comment = pt.commentEvent(alert, 'Rolling back the deploy.\n@all stay calm', {id: 'usr_dee', name: 'Dee Ops', email: 'dee@elsewhere.example'});
        expect((await send(comment)).text).toContain('"applied"');
        await send(comment);
        await waitUntil(async () => (await replies(p.id)).length === 1, 'the comment reply');
        await nothingMoreWithin(800, 'one reply for the repeated comment', async () => {
            expect(await replies(p.id)).toEqual(['Dee Ops commented in PagerTree:\n> Rolling back the deploy.\n> @\u200ball stay calm']);
        });
    });

    test('events for alerts this plugin did not send, and unknown types, are accepted and ignored', async () => {
        const stranger = {type: 'alert.acknowledged', data: {id: 'alt_stranger', tinyId: 999, thirdparty_id: 'from-another-tool', status: 'acknowledged'}};
        const res = await send(stranger);
        expect(res.status).toBe(200);
        expect(res.text).toContain('"ignored"');
        const unknown = await send({type: 'event_reminder.going_on_call', data: {id: 'evr_1'}});
        expect(unknown.status).toBe(200);
        expect(unknown.text).toContain('"ignored"');
        const info = await (await pluginApi('receiver')).json();
        expect(info.last_event).toMatchObject({type: 'event_reminder.going_on_call', matched: false});
        expect((await send('type=alert.open', {contentType: 'application/x-www-form-urlencoded'})).status).toBe(415);
        expect((await send('{"type":', {})).status).toBe(400);
    });

    test('Webhook format: the event maps by the Id we sent (the post id)', async () => {
        await setPluginSettings(w, {...base, Format: 'webhook', EndpointURL: pt.url + PATHS.webhook});
        const r = ref();
        const p = await post(w.alice, w.ops.id, `sev-1 checkout is down ${r}`);
        await pt.waitFor(r, {status: 200, path: PATHS.webhook});
        const alert = pt.alertFor(p.id);
        expect(alert.thirdparty_id).toBe(p.id);
        await send(pt.event(alert, 'alert.acknowledged', ANN));
        const c = await card(p.id, (a) => a.color === '#FFBC1F', 'the amber card');
        expect(fields(c)).toMatchObject({Urgency: 'critical', Trigger: 'sev-1', 'Acknowledged by': '@alice'});
    });

    test('cards only: the card follows, no replies; dropped is grey', async () => {
        await setPluginSettings(w, {...base, StatusUpdates: 'card_only'});
        const {p, alert} = await pageAndCard('outage in mail');
        await send(pt.event(alert, 'alert.timeout'));
        await send(pt.event(alert, 'alert.dropped'));
        const dropped = await card(p.id, (a) => a.color === '#8D93A5', 'the grey card');
        saved.push({state: 'dropped', attachment: dropped});
        expect(fields(dropped).Status).toBe('Dropped (nobody acknowledged)');
        await nothingMoreWithin(800, 'no replies with cards only', async () => {
            expect(await replies(p.id)).toEqual([]);
        });
    });

    test('with "Reply in thread" off the card appears with the first PagerTree event; without linked data people are "someone"', async () => {
        await setPluginSettings(w, {...base, ReplyInThread: false});
        pt.sendTo({...(pt.outgoing as NonNullable<typeof pt.outgoing>), linkedData: false});
        const r = ref();
        const p = await post(w.alice, w.ops.id, `outage in search again ${r}`);
        await pt.waitFor(r, {status: 200});
        await nothingMoreWithin(1000, 'no card and no reply before PagerTree\'s first event', async () => {
            expect(await threadPosts(p.id)).toEqual([]);
        });
        await send(pt.event(pt.alertFor(r), 'alert.acknowledged', PAT));
        const c = await card(p.id, (a) => a.color === '#FFBC1F', 'the card');
        pt.sendTo({...(pt.outgoing as NonNullable<typeof pt.outgoing>), linkedData: true});
        expect(fields(c)['Acknowledged by']).toBe('someone in PagerTree');

        // The replies follow the card (the card queue draws it first): wait for them.
        await waitUntil(async () => (await replies(p.id)).length > 0, 'the status reply');
        expect(await replies(p.id)).toEqual(['**Acknowledged** in PagerTree by someone in PagerTree.']);
    });

    test('/pagertree status shows the receiver and the last event, never the password', async () => {
        const status = await command(w.admin, w, w.ops.id, '/pagertree status');
        expect(status).toContain(receiver.url);
        expect(status).toMatch(/Last event from PagerTree \| .*\(/);
        expect(status).not.toContain(receiver.password);
        expect(status).not.toContain(receiver.secret_url);
        expect(status).toContain('What to paste into PagerTree');
    });
});

// serverPassesAuthorization: Mattermost before 9.4 removes the Authorization header from every
// request to a plugin (mattermost/mattermost#23575, fixed by PR #24391).
async function serverPassesAuthorization(): Promise<boolean> {
    const v = (await fetch(`${MM_URL}/api/v4/system/ping`)).headers.get('x-version-id') || '';
    const [major, minor] = v.split('.').map((x) => parseInt(x, 10));
    return major > 9 || (major === 9 && minor >= 4);
}
