// "Page PagerTree…" on a real server: a message bob posted is paged by alice through the
// channel's own route (the Webhook format) with a title, severity and a note; PagerTree gets the
// note, the message, its author and a permalink, and the card lands in the message's thread. A
// user who cannot read the channel is refused without learning the text; a second page of the
// thread is told it already paged, with its card. /pagertree alert's form (the interactive
// dialog) submits to the plugin as the user and pages through the channel's route.
import type {Channel} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';

import {scenarioSettings} from '../src/scenario_settings';
import {PagerTreeStandIn, PATHS} from '../src/stand_in';
import {installPlugin, nothingMoreWithin, pluginRunning, post, ref, setPluginSettings, sharedWorld, waitUntil} from '../src/world';
import type {World} from '../src/world';

const TOKEN = 'e2e-token';
const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';
const NOT_FOUND = 'That message was not found, or you cannot read it.';

let w: World;
const pt = new PagerTreeStandIn(TOKEN);
let incidents: Channel; // public, with its own route in the Webhook format
let hidden: Channel; // private: alice only
let botId: string;

async function asUser(token: string, path: string, init: RequestInit = {}): Promise<{status: number; body: Record<string, unknown>; raw: string}> {
    const res = await fetch(`${MM_URL}${path}`, {
        ...init,
        headers: {Authorization: `Bearer ${token}`, 'X-Requested-With': 'XMLHttpRequest', 'Content-Type': 'application/json'},
    });
    const raw = await res.text();
    return {status: res.status, body: raw ? JSON.parse(raw) : {}, raw};
}

const prefill = (token: string, postId: string) => asUser(token, `/plugins/pagertree/api/v1/page-from-post?post_id=${postId}`);
const page = (token: string, req: Record<string, string>) => asUser(token, '/plugins/pagertree/api/v1/page-from-post', {method: 'POST', body: JSON.stringify(req)});

async function cardIn(rootId: string): Promise<Post | undefined> {
    const thread = await w.admin.getPostThread(rootId);
    return Object.values(thread.posts).find((x) => x.user_id === botId && x.root_id === rootId && x.props?.pagertree_alert);
}

beforeAll(async () => {
    if (!MM_URL || !BUNDLE) {
        throw new Error('run the suite with e2e/run.sh (make e2e): it starts Mattermost and sets MM_URL and PLUGIN_BUNDLE');
    }
    await pt.start();
    w = await sharedWorld(MM_URL);
    const channel = (name: string, type: 'O' | 'P') => w.admin.getChannelByName(w.team.id, name).catch(() => w.admin.createChannel({team_id: w.team.id, name, display_name: name, type} as Channel));
    incidents = await channel('page-incidents', 'O');
    hidden = await channel('page-hidden', 'P');
    await w.admin.addToChannel(w.aliceUser.id, incidents.id);
    await w.admin.addToChannel(w.bobUser.id, incidents.id);
    await w.admin.addToChannel(w.aliceUser.id, hidden.id);
    await setPluginSettings(w, scenarioSettings(pt, TOKEN, {
        UrgencyAliases: '',
        AlertCommandLimit: 0, // files before this one page as alice too; the limit is Go-tested (TestPageFromPostPerUserLimit)
        APIBaseURL: pt.url,
        Routes: JSON.stringify([{id: 'inc', name: 'Incidents', channels: [incidents.id], endpoint_url: pt.url + PATHS.webhook, format: 'webhook'}]),
        RouteTokens: JSON.stringify({inc: TOKEN}),
    }));
    if (!(await pluginRunning(w))) {
        await installPlugin(w, BUNDLE);
    }
    botId = (await w.admin.getUserByUsername('pagertree')).id;
});

afterAll(async () => {
    await setPluginSettings(w, {Routes: '', RouteTokens: ''});
    await pt.stop();
});

let pagedRoot: Post;

test('paging from bob\'s message through the channel\'s route: the note, the message, its author and a permalink reach PagerTree; the card lands in the thread', async () => {
    const r = ref();
    pagedRoot = await post(w.bob, incidents.id, `payments-api answers 502 for EU cards ${r}\nsince 10:02, about 38% of checkouts`);
    const start = await prefill(w.alice.getToken(), pagedRoot.id);
    expect(start.status).toBe(200);
    expect(start.body).toMatchObject({author: 'bob', title: `payments-api answers 502 for EU cards ${r}`, route: 'inc', title_max: 120, note_max: 1000});
    expect((start.body.routes as Array<{key: string}>).map((x) => x.key)).toEqual(['inc', '@default']);

    const res = await page(w.alice.getToken(), {post_id: pagedRoot.id, route: '', urgency: 'high', severity: 'SEV-2', title: `EU card payments failing ${r}`, note: 'Support has 40 tickets; started after the 10:00 deploy.'});
    expect(res.status).toBe(200);
    expect(res.body.message).toBe('PagerTree is being paged through the route "Incidents". The status card appears in the message\'s thread.');
    const [got] = await pt.waitFor(`EU card payments failing ${r}`, {path: PATHS.webhook, status: 200});
    console.log(`PagerTree (the stand-in) received for a page from a message:\n${JSON.stringify(got.body, null, 2)}`); // eslint-disable-line no-console
    const permalink = `${MM_URL}/${w.team.name}/pl/${pagedRoot.id}`;
    expect(got.headers['pagertree-token']).toBe(TOKEN);
    expect(got.body).toMatchObject({event_type: 'create', Title: `EU card payments failing ${r}`, Urgency: 'high'});
    expect(got.body.Description).toBe(
        'Note from @alice: Support has 40 tickets; started after the 10:00 deploy.\n\n' +
        `Message from @bob:\n${pagedRoot.message}\n\n---\n` +
        `Paged by @alice from a message in ~${incidents.name} (team ${w.team.name})\n${permalink}`);
    expect(got.body.Id).not.toBe(pagedRoot.id);

    let card: Post | undefined;
    await waitUntil(async () => {
        card = await cardIn(pagedRoot.id);
        return Boolean(card);
    }, 'the card in the message\'s thread');
    expect(card?.channel_id).toBe(incidents.id);
    await waitUntil(async () => (await w.admin.getReactionsForPost(pagedRoot.id)).some((x) => x.emoji_name === 'rotating_light' && x.user_id === botId), 'the reaction on the message');
});

test('a user who cannot read the channel is refused as for an unknown message, without the text', async () => {
    const secret = `the vault unseal key rotation failed ${ref()}`;
    const hiddenPost = await post(w.alice, hidden.id, secret);
    for (const res of [
        await prefill(w.bob.getToken(), hiddenPost.id),
        await page(w.bob.getToken(), {post_id: hiddenPost.id, title: 'x'}),
        await page(w.bob.getToken(), {post_id: 'nopostnopostnopostnopostno', title: 'x'}),
    ]) {
        expect(res.status).toBe(404);
        expect(res.body).toEqual({error: NOT_FOUND});
        expect(res.raw).not.toContain('vault');
    }
    await nothingMoreWithin(800, 'no page for a refused message', () => {
        expect(pt.matching('vault')).toEqual([]);
    });
});

test('a second page of the same thread says it already paged and links its card', async () => {
    const card = await cardIn(pagedRoot.id);
    const reply = await post(w.alice, incidents.id, 'still failing', pagedRoot.id);
    const before = pt.requests.length;
    for (const res of [await page(w.bob.getToken(), {post_id: reply.id, title: 'again'}), await page(w.alice.getToken(), {post_id: pagedRoot.id, title: 'again'})]) {
        expect(res.status).toBe(409);
        expect(res.body).toEqual({error: 'This thread already paged PagerTree: open its status card to follow or act on that alert.', permalink: `${MM_URL}/${w.team.name}/pl/${card?.id}`});
    }
    const start = await prefill(w.bob.getToken(), reply.id);
    expect(start.body.already_paged).toMatchObject({permalink: `${MM_URL}/${w.team.name}/pl/${card?.id}`});
    await nothingMoreWithin(800, 'no second page of the thread', () => {
        expect(pt.requests.length).toBe(before);
    });
});

test('/pagertree alert\'s form: its submission comes to the plugin as the user, field errors come back, a good one pages through the channel\'s route', async () => {
    const submit = (submission: Record<string, string>, channelId = incidents.id, token = w.alice.getToken()) => asUser(token, '/api/v4/actions/dialogs/submit', {method: 'POST',
        body: JSON.stringify({
            url: '/plugins/pagertree/api/v1/dialog/alert', callback_id: 'pagertree_alert', state: '', channel_id: channelId, team_id: w.team.id, submission, cancelled: false,
        })});
    const bad = await submit({message: '  ', urgency: 'from_message', severity: 'none'});
    expect(bad.body).toEqual({errors: {message: 'Say what is happening.'}});
    const r = ref();
    const good = await submit({message: `card reader fleet offline ${r}`, urgency: 'critical', severity: 'SEV-1'});
    expect(good.status).toBe(200);
    expect(good.body).toEqual({});
    const [got] = await pt.waitFor(r, {path: PATHS.webhook, status: 200});
    expect(got.body).toMatchObject({Title: `card reader fleet offline ${r}`, Urgency: 'critical'});
    const posts = await w.admin.getPosts(incidents.id, 0, 5);
    expect(Object.values(posts.posts).some((p) => p.user_id === botId && p.message.startsWith('@alice paged PagerTree through the route "Incidents" — urgency: critical, incident SEV-1') && p.message.includes(r))).toBe(true);

    // A channel bob is not in is refused before anything is paged: by Mattermost, and by the
    // plugin when the submission is posted to its URL directly (a logged-in user can).
    const submission = {message: `not here ${r}`, urgency: 'high', severity: 'none'};
    expect((await submit(submission, hidden.id, w.bob.getToken())).status).toBe(403);
    const direct = await asUser(w.bob.getToken(), '/plugins/pagertree/api/v1/dialog/alert', {method: 'POST',
        body: JSON.stringify({type: 'dialog_submission', callback_id: 'pagertree_alert', channel_id: hidden.id, team_id: w.team.id, submission})});
    expect(direct.body).toEqual({error: 'PagerTree was not paged: you cannot post in this channel.'});
    await nothingMoreWithin(500, 'no page from a refused form', () => {
        expect(pt.matching(`not here ${r}`)).toEqual([]);
    });
});
