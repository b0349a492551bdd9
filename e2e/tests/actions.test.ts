// Acting from Mattermost (DESIGN §10): the card's Acknowledge and Resolve buttons, pressed
// through the real server as a user, reach the stand-in PagerTree (REST API with a key, or the
// Webhook integration without one); the stand-in's returning event updates the card.
import fs from 'fs';
import path from 'path';

import type {Client4} from '@mattermost/client';
import type {Post} from '@mattermost/types/posts';
import type {UserProfile} from '@mattermost/types/users';

import {scenarioSettings} from '../src/scenario_settings';
import {PagerTreeStandIn, PATHS} from '../src/stand_in';
import {client, command, installPlugin, nothingMoreWithin, PASSWORD, pluginRunning, post, ref, setPluginSettings, sharedWorld, verifyEmail, waitUntil} from '../src/world';
import type {PluginSettings, World} from '../src/world';

const TOKEN = 'e2e-actions-token';
const KEY = 'ptk_e2e_actions_key';
const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';
const ACTIONS_PATH = '/plugins/pagertree/api/v1/actions/card';

let w: World;
let botId = '';
const pt = new PagerTreeStandIn(TOKEN);
let base: PluginSettings;
let carol: Client4; // in the team, not in the private channel

type Action = {id: string; name: string};
type Attachment = {color: string; title: string; fields: Array<{title: string; value: string}>; actions?: Action[]};

const saved: Array<{step: string; attachment: Attachment}> = [];

function attachmentOf(p: Post | undefined): Attachment | undefined {
    return (p?.props?.attachments as Attachment[] | undefined)?.[0];
}

// currentCard reads the card in the thread as it is now (undefined: none yet).
async function currentCard(rootId: string): Promise<Post | undefined> {
    const thread = await w.admin.getPostThread(rootId);
    return Object.values(thread.posts).find((x) => x.user_id === botId && attachmentOf(x));
}

// replyTexts are the messages of the thread's replies (the card included), as they are now.
async function replyTexts(rootId: string): Promise<string[]> {
    const thread = await w.admin.getPostThread(rootId);
    return Object.values(thread.posts).filter((x) => x.root_id === rootId).map((x) => x.message);
}

// bothReplies waits for the Acknowledged and the Resolved reply: the card is drawn first, its
// replies are posted after it.
async function bothReplies(rootId: string): Promise<string[]> {
    let replies: string[] = [];
    await waitUntil(async () => {
        replies = await replyTexts(rootId);
        return ['**Acknowledged**', '**Resolved**'].every((start) => replies.some((m) => m.startsWith(start)));
    }, 'the Acknowledged and the Resolved reply', 20000);
    return replies;
}

async function cardPost(rootId: string, check: (a: Attachment) => boolean = () => true, what = 'the card'): Promise<Post> {
    let found: Post | undefined;
    await waitUntil(async () => {
        found = await currentCard(rootId);
        return Boolean(found && check(attachmentOf(found) as Attachment));
    }, what, 20000);
    return found as Post;
}

function fields(a: Attachment): Record<string, string> {
    return Object.fromEntries(a.fields.map((f) => [f.title, f.value]));
}

function buttons(a: Attachment): string[] {
    return (a.actions || []).map((x) => x.id);
}

// press clicks a button the way the webapp and the mobile app do: through the server.
async function press(c: Client4, postId: string, actionId: string): Promise<void> {
    await c.doPostAction(postId, actionId);
}

// direct POSTs to the plugin's route as a logged-in user (what a forger can do); the answer
// carries the sentence the clicker sees.
async function direct(c: Client4, body: Record<string, unknown>): Promise<{status: number; json: {ephemeral_text?: string; update?: unknown}}> {
    const res = await fetch(MM_URL + ACTIONS_PATH, {method: 'POST', headers: {'Content-Type': 'application/json', Authorization: `Bearer ${c.getToken()}`}, body: JSON.stringify(body)});
    return {status: res.status, json: await res.json()};
}

async function pageAndCard(channelId: string, text: string, who: Client4 = w.alice): Promise<{p: Post; card: Post; r: string}> {
    const r = ref();
    const p = await post(who, channelId, `${text} ${r}`);
    await pt.waitFor(r, {status: 200});
    return {p, card: await cardPost(p.id), r};
}

beforeAll(async () => {
    if (!MM_URL || !BUNDLE) {
        throw new Error('run the suite with e2e/run.sh (make e2e): it starts Mattermost and sets MM_URL and PLUGIN_BUNDLE');
    }
    await pt.start();
    pt.rest.apiKey = KEY;
    w = await sharedWorld(MM_URL);
    base = scenarioSettings(pt, TOKEN, {
        WatchPrivateChannels: true,
        APIKey: KEY,
        APIBaseURL: pt.url,
    });
    await setPluginSettings(w, base);
    if (!(await pluginRunning(w))) {
        await installPlugin(w, BUNDLE);
    }
    botId = (await w.admin.getUserByUsername('pagertree')).id;
    const info = await (await fetch(`${MM_URL}/plugins/pagertree/api/v1/receiver`, {headers: {Authorization: `Bearer ${w.admin.getToken()}`}})).json();
    pt.sendTo({url: info.secret_url, username: '', password: '', linkedData: true}); // the URL secret: every server
    pt.autoEvents = true;
    pt.autoEventDelayMs = 1500; // long enough to see "acknowledging…" on the card

    let carolUser: UserProfile;
    try {
        carolUser = await w.admin.getUserByUsername('carol');
    } catch {
        carolUser = await w.admin.createUser({email: 'carol@example.com', username: 'carol', password: PASSWORD} as UserProfile, '', '');
        await w.admin.addToTeam(w.team.id, carolUser.id);
    }
    carol = client(MM_URL);
    await carol.login('carol', PASSWORD);
});

beforeEach(async () => {
    pt.clearFailures();
    pt.rest.apiKey = KEY;
    await setPluginSettings(w, base);
});

afterAll(async () => {
    await pt.stop();
    if (saved.length) {
        const out = path.join(__dirname, '..', '.run', 'action-cards.json');
        fs.mkdirSync(path.dirname(out), {recursive: true});
        fs.writeFileSync(out, JSON.stringify(saved, null, 2));
    }
});

describe('Acknowledge and Resolve from the card', () => {
    test('REST API with a key: press Acknowledge then Resolve as a user → PagerTree acted → the returning event updates the card', async () => {
        const {card, r} = await pageAndCard(w.ops.id, 'outage in payments');
        const alert = pt.alertFor(r);
        const before = attachmentOf(card) as Attachment;
        saved.push({step: 'api: before Acknowledge', attachment: before});
        expect(buttons(before)).toEqual(['acknowledge', 'resolve']);

        // The server strips each action's integration (URL, context) before giving a post to
        // clients; the Go tests check those.
        expect(before.actions?.map((x) => x.name)).toEqual(['Acknowledge', 'Resolve']);

        const callsBefore = pt.rest.calls.length;
        await press(w.bob, card.id, 'acknowledge');
        const pending = attachmentOf(await cardPost(card.root_id, (a) => (fields(a)['From Mattermost'] || '').startsWith('Acknowledging'), 'acknowledging…')) as Attachment;
        saved.push({step: 'api: right after Acknowledge', attachment: pending});
        expect(buttons(pending)).toEqual([]);
        const acked = attachmentOf(await cardPost(card.root_id, (a) => fields(a).Status === 'Acknowledged', 'the acknowledged card')) as Attachment;
        saved.push({step: 'api: after PagerTree confirmed Acknowledge', attachment: acked});
        expect(acked.color).toBe('#FFBC1F');
        expect(fields(acked)['Acknowledged by']).toBe('Kay Key');
        expect(fields(acked)['From Mattermost']).toBeUndefined();
        expect(buttons(acked)).toEqual(['resolve']);
        const calls = pt.rest.calls.slice(callsBefore).map((c) => `${c.method} ${c.path.replace(alert.id, ':id').replace(alert.prefix_id, ':id')} ${c.status}`);
        expect(calls).toEqual(['GET /api/v4/alerts 200', 'POST /api/v4/alerts/:id/acknowledge 200', 'POST /api/v4/alerts/:id/comments 201']);
        expect(alert.comments.map((c) => c.body)).toEqual(['Acknowledged from Mattermost by @bob']);

        await press(w.alice, card.id, 'resolve');
        const resolved = attachmentOf(await cardPost(card.root_id, (a) => fields(a).Status === 'Resolved', 'the resolved card')) as Attachment;
        saved.push({step: 'api: after PagerTree confirmed Resolve', attachment: resolved});
        expect(resolved.color).toBe('#3DB887');
        expect(buttons(resolved)).toEqual([]);
        expect(alert.status).toBe('resolved');
        expect(alert.comments.map((c) => c.body)).toEqual(['Acknowledged from Mattermost by @bob', 'Resolved from Mattermost by @alice']);
    });

    test('Webhook format without an API key: the integration acknowledges and resolves with the same Id', async () => {
        await setPluginSettings(w, {...base, APIKey: '', Format: 'webhook', EndpointURL: pt.url + PATHS.webhook});
        const r = ref();
        const p = await post(w.alice, w.ops.id, `sev-1 checkout is down ${r}`);
        await pt.waitFor(r, {status: 200, path: PATHS.webhook});
        const card = await cardPost(p.id);
        saved.push({step: 'webhook: before Acknowledge', attachment: attachmentOf(card) as Attachment});
        expect(buttons(attachmentOf(card) as Attachment)).toEqual(['acknowledge', 'resolve']);

        const callsBefore = pt.rest.calls.length;
        await press(w.bob, card.id, 'acknowledge');
        const ackReq = await pt.waitFor('"acknowledge"', {path: PATHS.webhook});
        expect(ackReq[0].body).toEqual({event_type: 'acknowledge', Id: p.id});
        expect(ackReq[0].headers['pagertree-token']).toBe(TOKEN);
        const acked = attachmentOf(await cardPost(p.id, (a) => fields(a).Status === 'Acknowledged', 'the acknowledged card')) as Attachment;
        saved.push({step: 'webhook: after PagerTree confirmed Acknowledge', attachment: acked});
        expect(fields(acked)['Acknowledged by']).toBe('someone in PagerTree');
        expect(buttons(acked)).toEqual(['resolve']);

        await press(w.bob, card.id, 'resolve');
        await pt.waitFor('"resolve"', {path: PATHS.webhook});
        const resolved = attachmentOf(await cardPost(p.id, (a) => fields(a).Status === 'Resolved', 'the resolved card')) as Attachment;
        saved.push({step: 'webhook: after PagerTree confirmed Resolve', attachment: resolved});
        expect(buttons(resolved)).toEqual([]);
        expect(pt.rest.calls.length).toBe(callsBefore); // no API key: the REST API was never called
    });

    test('Mattermost format without an API key: no buttons, and a press is refused with the reason', async () => {
        await setPluginSettings(w, {...base, APIKey: ''});
        const {card} = await pageAndCard(w.ops.id, 'outage in mail');
        const a = attachmentOf(card) as Attachment;
        saved.push({step: 'mattermost format, no key: no buttons', attachment: a});
        expect(a.actions || []).toEqual([]);
        const res = await direct(w.bob, {post_id: card.id, context: {action: 'acknowledge', alert: card.props.pagertree_alert}});

        // Bob is told a System Admin must look; an admin is told which setting (issue 21).
        expect(res.json.ephemeral_text).toMatch(/^This alert cannot be acknowledged from Mattermost: the plugin's PagerTree settings do not allow it\. Ask a System Admin/);
        expect(res.json.ephemeral_text).not.toMatch(/API key|Outgoing Webhook/);
        const forAdmin = await direct(w.admin, {post_id: card.id, context: {action: 'acknowledge', alert: card.props.pagertree_alert}});
        expect(forAdmin.json.ephemeral_text).toMatch(/cannot be acknowledged from Mattermost: .*Mattermost \(Outgoing Webhook\) integration.*no PagerTree API key is set/);
    });

    test('forged presses are refused and nothing reaches PagerTree', async () => {
        const one = await pageAndCard(w.ops.id, 'outage in search');
        const two = await pageAndCard(w.ops.id, 'outage in billing');
        const secret = await pageAndCard(w.secret.id, 'outage in vault');
        const callsBefore = pt.rest.calls.length;
        const tpOne = one.card.props.pagertree_alert as string;
        const tpTwo = two.card.props.pagertree_alert as string;

        // The other alert's id on this card.
        expect((await direct(w.bob, {post_id: one.card.id, context: {action: 'acknowledge', alert: tpTwo}})).json.ephemeral_text).toMatch(/does not match the alert/);

        // A post that is not a card (alice's trigger post).
        expect((await direct(w.bob, {post_id: one.p.id, context: {action: 'acknowledge', alert: tpOne}})).json.ephemeral_text).toMatch(/not a PagerTree status card/);

        // An action the card does not offer.
        expect((await direct(w.bob, {post_id: one.card.id, context: {action: 'reject', alert: tpOne}})).json.ephemeral_text).toMatch(/not something the PagerTree card offers/);

        // A user who cannot read the channel: directly, and through the server.
        const forged = await direct(carol, {post_id: secret.card.id, user_id: w.aliceUser.id, context: {action: 'acknowledge', alert: secret.card.props.pagertree_alert}});
        expect(forged.json.ephemeral_text).toMatch(/channel you cannot read/);
        await expect(press(carol, secret.card.id, 'acknowledge')).rejects.toBeTruthy();

        // No session at all.
        expect((await fetch(MM_URL + ACTIONS_PATH, {method: 'POST', body: '{}'})).status).toBe(401);

        await nothingMoreWithin(1000, 'nothing to reach PagerTree and every card to stay open', async () => {
            expect(pt.rest.calls.length).toBe(callsBefore);
            for (const c of [one, two, secret]) {
                expect(fields(attachmentOf(await currentCard(c.p.id)) as Attachment).Status).toBe('Open');
            }
        });
    });

    test('API key rejected (401): the clicker gets a sentence, the card offers the buttons again', async () => {
        const {card} = await pageAndCard(w.ops.id, 'outage in login');
        pt.rest.apiKey = 'a-different-key';
        const res = await direct(w.bob, {post_id: card.id, context: {action: 'acknowledge', alert: card.props.pagertree_alert}});
        expect(res.status).toBe(200);
        expect(res.json.ephemeral_text).toMatch(/could not be acknowledged/);
        expect(res.json.ephemeral_text).toMatch(/API key/);
        expect(res.json.ephemeral_text).not.toContain(KEY);
        const after = attachmentOf(await cardPost(card.root_id, (a) => !fields(a)['From Mattermost'], 'the card without a pending action')) as Attachment;
        saved.push({step: 'api key rejected: card after the press', attachment: after});
        expect(buttons(after)).toEqual(['acknowledge', 'resolve']);
        expect(fields(after).Status).toBe('Open');
    });

    test('who may press: PagerTree team members only (verified e-mail matches), then System Admins only', async () => {
        pt.rest.users = [{id: 'usr_alice', name: 'Alice PT', emails: ['other@example.org', 'alice@example.com']}];
        await verifyEmail(w, w.aliceUser.id); // the proof "PagerTree team members" asks for
        await setPluginSettings(w, {...base, WhoMayPress: 'pagertree_users'});
        const {card} = await pageAndCard(w.ops.id, 'outage in cache');
        const ctx = {action: 'acknowledge', alert: card.props.pagertree_alert};
        const bob = await direct(w.bob, {post_id: card.id, context: ctx});
        expect(bob.json.ephemeral_text).toMatch(/Only PagerTree team members .* (your verified Mattermost e-mail is not a PagerTree user's|yours is not verified)/);
        expect(pt.alertFor(card.props.pagertree_alert as string).status).toBe('open');

        await setPluginSettings(w, {...base, WhoMayPress: 'system_admins'});
        expect((await direct(w.alice, {post_id: card.id, context: ctx})).json.ephemeral_text).toMatch(/Only System Admins/);

        await setPluginSettings(w, {...base, WhoMayPress: 'pagertree_users'});
        expect((await direct(w.alice, {post_id: card.id, context: ctx})).json.ephemeral_text).toMatch(/^Acknowledged PagerTree alert #\d+/);
        await cardPost(card.root_id, (a) => fields(a).Status === 'Acknowledged', 'the acknowledged card');
    });

    test('/pagertree ack and resolve from the card\'s thread, without an argument; by number too', async () => {
        const {p, card, r} = await pageAndCard(w.ops.id, 'outage in queue');
        const alert = pt.alertFor(r);
        const text = ((await w.bob.executeCommand('/pagertree ack', {channel_id: w.ops.id, team_id: w.team.id, root_id: p.id} as never)) as {text?: string}).text || '';
        expect(text).toMatch(/Acknowledged PagerTree alert #\d+/);
        await cardPost(card.root_id, (a) => fields(a).Status === 'Acknowledged', 'the acknowledged card');
        expect(alert.comments.map((c) => c.body)).toEqual(['Acknowledged from Mattermost by @bob']);

        const again = ((await w.bob.executeCommand(`/pagertree ack ${alert.tiny_id}`, {channel_id: w.ops.id, team_id: w.team.id} as never)) as {text?: string}).text || '';
        expect(again).toMatch(/cannot be acknowledged any more/);
        const outside = ((await w.bob.executeCommand('/pagertree resolve', {channel_id: w.ops.id, team_id: w.team.id} as never)) as {text?: string}).text || '';
        expect(outside).toMatch(/Name the alert/);
        const res = ((await w.alice.executeCommand(`/pagertree resolve #${alert.tiny_id}`, {channel_id: w.town.id, team_id: w.team.id} as never)) as {text?: string}).text || '';
        expect(res).toMatch(/Resolved (the )?PagerTree alert/);
        await cardPost(card.root_id, (a) => fields(a).Status === 'Resolved', 'the resolved card');
    });
});

// Alerts from other sources (issue 12 point 4): PagerTree alerts the plugin did not send get
// the same card, as a new root post, in the configured channel or the one an outgoing rule's
// setval mattermost_channel names; the buttons act on them by PagerTree's alert id.
describe('PagerTree alerts that did not come from Mattermost', () => {
    async function rootCard(channelId: string, alertId: string, check: (a: Attachment) => boolean = () => true, what = 'the card'): Promise<Post[]> {
        let found: Post[] = [];
        await waitUntil(async () => {
            const list = await w.admin.getPosts(channelId, 0, 60);
            found = Object.values(list.posts).filter((x) => x.user_id === botId && x.props?.pagertree_alert === `pt.${alertId}`);
            return found.length > 0 && check(attachmentOf(found[0]) as Attachment);
        }, what, 20000);
        return found;
    }

    test('posted to the configured channel, once; Acknowledge and Resolve from the card; later events follow it', async () => {
        await setPluginSettings(w, {...base, ExternalAlertsChannel: w.ops.id});
        const a = pt.rest.createElsewhere(`Disk full on db1 ${ref()}`, '98% used on /var');
        const created = pt.event(a, 'alert.created');
        const first = await pt.send(created);
        expect(first.status).toBe(200);
        expect(JSON.parse(first.text).result).toBe('applied');
        const again = await pt.send(created); // PagerTree retries; another node may get it too
        expect(JSON.parse(again.text).result).toBe('unchanged');

        const [card] = await rootCard(w.ops.id, a.prefix_id);
        expect(card.root_id).toBe('');
        expect(card.message).toBe(`PagerTree alert: ${a.title}`);
        const before = attachmentOf(card) as Attachment & {text?: string};
        saved.push({step: 'other source: before Acknowledge', attachment: before});
        expect(before.title).toBe(`PagerTree alert #${a.tiny_id}`);
        expect(before.text).toBe(`${a.title}\n98% used on /var`);
        expect(fields(before).Status).toBe('Open');
        expect(buttons(before)).toEqual(['acknowledge', 'resolve']);

        await press(w.bob, card.id, 'acknowledge');
        const acked = await rootCard(w.ops.id, a.prefix_id, (x) => fields(x).Status === 'Acknowledged', 'the acknowledged card');
        expect(a.status).toBe('acknowledged');
        expect(a.comments.map((c) => c.body)).toEqual(['Acknowledged from Mattermost by @bob']);
        saved.push({step: 'other source: after PagerTree confirmed Acknowledge', attachment: attachmentOf(acked[0]) as Attachment});

        // Resolved in PagerTree itself: the event (with the other source's thirdparty id) maps by alert id.
        const resolved = await pt.send(pt.event(a, 'alert.resolved', pt.keyOwner));
        expect(JSON.parse(resolved.text).result).toBe('applied');
        const done = await rootCard(w.ops.id, a.prefix_id, (x) => fields(x).Status === 'Resolved', 'the resolved card');
        expect(done).toHaveLength(1);
        expect(buttons(attachmentOf(done[0]) as Attachment)).toEqual([]);
        const replies = await bothReplies(card.id);
        expect(replies.some((m) => m.startsWith('**Acknowledged**'))).toBe(true);
        expect(replies.some((m) => m.startsWith('**Resolved**'))).toBe(true);
    });

    test('mattermost_channel (setval) picks the channel: team/name (private: the bot is a member), a bare name in the configured channel\'s team; unknown falls back', async () => {
        await setPluginSettings(w, {...base, ExternalAlertsChannel: w.ops.id});
        await w.admin.addToTeam(w.team.id, botId).catch(() => undefined); // a private channel may be named once a channel admin added the bot
        await w.admin.addToChannel(botId, w.secret.id);
        const byTeam = pt.rest.createElsewhere(`CPU high ${ref()}`, 'rule: team/name');
        expect((await pt.send(pt.event(byTeam, 'alert.created', undefined, {mattermost_channel: `${w.team.name}/${w.secret.name}`}))).status).toBe(200);
        await rootCard(w.secret.id, byTeam.prefix_id);

        const byName = pt.rest.createElsewhere(`Queue stuck ${ref()}`, 'rule: name');
        await pt.send(pt.event(byName, 'alert.open', undefined, {mattermost_channel: 'town-square'}));
        await rootCard(w.town.id, byName.prefix_id);

        const unknown = pt.rest.createElsewhere(`Cert expiring ${ref()}`, 'rule: no such channel');
        await pt.send(pt.event(unknown, 'alert.created', undefined, {mattermost_channel: 'no-such-channel'}));
        await rootCard(w.ops.id, unknown.prefix_id);
    });

    test('no channel configured: such events stay ignored (2xx, nothing posted)', async () => {
        const a = pt.rest.createElsewhere(`Ignored ${ref()}`, 'nobody asked for it');
        const res = await pt.send(pt.event(a, 'alert.created'));
        expect(res.status).toBe(200);
        expect(JSON.parse(res.text).result).toBe('ignored');
        await nothingMoreWithin(1500, 'no card for the ignored alert', async () => {
            const list = await w.admin.getPosts(w.ops.id, 0, 60);
            expect(Object.values(list.posts).filter((x) => x.props?.pagertree_alert === `pt.${a.prefix_id}`)).toHaveLength(0);
        });
    });
});

// Behind a firewall (issue 12 point 5): PagerTree cannot reach the receiver; the plugin polls
// PagerTree's REST API instead.
describe('Updates polled from PagerTree', () => {
    test('polled mode with the receiver unreachable: the card still follows acknowledge and resolve done in PagerTree', async () => {
        pt.autoEvents = false; // the stand-in sends no event: as if PagerTree could not reach Mattermost
        try {
            await setPluginSettings(w, {...base, UpdatesArrive: 'polled', PollSeconds: 5});
            const {card, r} = await pageAndCard(w.ops.id, 'outage behind the firewall');
            const alert = pt.alertFor(r);
            const sent = pt.autoSent.length;

            expect(pt.rest.actInApp(alert, 'acknowledged')).toBe(true);
            const acked = attachmentOf(await cardPost(card.root_id, (a) => fields(a).Status === 'Acknowledged', 'the card acknowledged by polling')) as Attachment;
            saved.push({step: 'polled: after Acknowledge in PagerTree', attachment: acked});
            expect(acked.color).toBe('#FFBC1F');
            expect(acked.title).toBe(`PagerTree alert #${alert.tiny_id}`);

            expect(pt.rest.actInApp(alert, 'resolved')).toBe(true);
            const resolved = attachmentOf(await cardPost(card.root_id, (a) => fields(a).Status === 'Resolved', 'the card resolved by polling')) as Attachment;
            saved.push({step: 'polled: after Resolve in PagerTree', attachment: resolved});
            expect(buttons(resolved)).toEqual([]);
            expect(pt.autoSent.length).toBe(sent); // nothing was pushed

            const replies = await bothReplies(card.root_id);
            expect(replies.filter((m) => m.startsWith('**Acknowledged**'))).toHaveLength(1);
            expect(replies.filter((m) => m.startsWith('**Resolved**'))).toHaveLength(1);

            const status = await command(w.admin, w, w.ops.id, '/pagertree status');
            expect(status).toContain('polled from PagerTree\'s API every 5s');
            expect(status).toMatch(/Last poll of PagerTree[^\n]*alerts checked/);
            const lookups = pt.rest.calls.filter((c) => c.method === 'GET' && c.path.startsWith('/api/v4/alerts'));
            expect(lookups.length).toBeGreaterThan(0);
        } finally {
            pt.autoEvents = true;
        }
    }, 60000);
});
