// Comments both ways (issue 19 points 3 and 4, DESIGN §13) on the real server: a person's reply
// in a paged thread becomes a comment on the PagerTree alert, named by its author; PagerTree's
// echo of it (its Outgoing Webhook sends the comments the API key's user made, too) never comes
// back to the thread; a comment made in PagerTree reaches the thread once however often it is
// sent; replies in threads that never paged, and bots' replies, stay in Mattermost. In polled
// mode, comments made in PagerTree arrive by polling, with the same guard.
import fs from 'fs';
import path from 'path';

import type {Post} from '@mattermost/types/posts';

import {scenarioSettings} from '../src/scenario_settings';
import {PagerTreeStandIn} from '../src/stand_in';
import type {StandInAlert} from '../src/stand_in_rest';
import {command, installPlugin, nothingMoreWithin, pluginRunning, post, ref, setPluginSettings, sharedWorld, waitUntil} from '../src/world';
import type {PluginSettings, World} from '../src/world';

const TOKEN = 'e2e-comments-token';
const KEY = 'ptk_e2e_comments_key';
const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';
const DEE = {id: 'usr_dee', name: 'Dee Ops', email: 'dee@elsewhere.example'};

let w: World;
let botId = '';
const pt = new PagerTreeStandIn(TOKEN);
let base: PluginSettings;
const samples: Array<{test: string; thread: Array<{user: string; message: string}>; pagertree_comments: Array<{via: string; by: string; body: string}>}> = [];

// thread is the thread's posts, oldest first, as people see them (who: a username).
async function thread(rootId: string): Promise<Array<{user: string; message: string; post: Post}>> {
    const list = await w.admin.getPostThread(rootId);
    const names = new Map<string, string>();
    const out: Array<{user: string; message: string; post: Post}> = [];
    for (const p of Object.values(list.posts).sort((a, b) => a.create_at - b.create_at)) {
        if (!names.has(p.user_id)) {
            names.set(p.user_id, (await w.admin.getUser(p.user_id)).username);
        }
        out.push({user: names.get(p.user_id) as string, message: p.message || '(card) ' + String((p.props?.attachments as Array<{title?: string}> | undefined)?.[0]?.title ?? ''), post: p});
    }
    return out;
}

function keep(test: string, t: Array<{user: string; message: string}>, a: StandInAlert): void {
    samples.push({test, thread: t.map(({user, message}) => ({user, message})), pagertree_comments: a.comments.map((c) => ({via: c.via, by: c.by, body: c.body}))});
}

// paged posts a trigger and waits for the alert in PagerTree, its card in the thread, and the
// alert.open event PagerTree sends on creation (it tells the plugin PagerTree's alert id).
async function paged(text: string): Promise<{root: Post; alert: StandInAlert}> {
    const r = ref();
    const root = await post(w.alice, w.ops.id, `${text} ${r}`);
    await pt.waitFor(r, {status: 200});
    const alert = pt.alertFor(r);
    await waitUntil(async () => (await thread(root.id)).some((p) => p.post.user_id === botId && p.post.props?.pagertree_alert), 'the card in the thread', 20000);
    expect((await pt.send(pt.event(alert, 'alert.open'))).status).toBe(200);
    return {root, alert};
}

function commentsFromPagerTree(t: Array<{message: string}>): string[] {
    return t.map((p) => p.message).filter((m) => m.includes('commented in PagerTree'));
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
        SendRepliesAsComments: true,
    });
    await setPluginSettings(w, base);
    if (!(await pluginRunning(w))) {
        await installPlugin(w, BUNDLE);
    }
    botId = (await w.admin.getUserByUsername('pagertree')).id;
    const info = await (await fetch(`${MM_URL}/plugins/pagertree/api/v1/receiver`, {headers: {Authorization: `Bearer ${w.admin.getToken()}`}})).json();
    pt.sendTo({url: info.secret_url, username: '', password: '', linkedData: true});
    pt.autoEvents = true; // every comment made (the plugin's too) comes back as comment.created
    pt.autoEventDelayMs = 100;
});

beforeEach(async () => {
    pt.clearFailures();
    pt.autoEvents = true;
    await setPluginSettings(w, base);
});

afterAll(async () => {
    // The server's settings are shared with the other files: leave the comments off, as found
    // (files that clear the API key would otherwise have their settings refused).
    await setPluginSettings(w, {...base, SendRepliesAsComments: false});
    await pt.stop();
    if (samples.length) {
        const out = path.join(__dirname, '..', '.run', 'comments-sample.json');
        fs.mkdirSync(path.dirname(out), {recursive: true});
        fs.writeFileSync(out, JSON.stringify(samples, null, 2));
    }
});

describe('Thread → PagerTree', () => {
    test('a reply in the paged thread becomes a PagerTree comment naming its author; PagerTree\'s echo of it does not come back', async () => {
        const {root, alert} = await paged('outage in checkout');
        const sentBefore = pt.autoSent.length;
        await post(w.bob, w.ops.id, 'rolled back the deploy, watching the error rate', root.id);
        await waitUntil(() => alert.comments.length === 1, 'the comment in PagerTree');
        expect(alert.comments.map((c) => [c.via, c.by, c.body])).toEqual([['api', 'Kay Key', '@bob: rolled back the deploy, watching the error rate']]);

        // PagerTree sends the comment back (its Outgoing Webhook sends the API key user's comments too).
        await waitUntil(() => pt.autoSent.slice(sentBefore).some((s) => s.type === 'comment.created' && s.status === 200), 'PagerTree\'s echo delivered');
        const echo = pt.autoSent.slice(sentBefore).find((s) => s.type === 'comment.created');
        expect(echo?.body.data).toMatchObject({body: '@bob: rolled back the deploy, watching the error rate', created_by_name: 'Kay Key', commentable_id: alert.prefix_id});
        const again = await pt.send((echo as NonNullable<typeof echo>).body); // at least once: it may come twice
        expect(JSON.parse(again.text).result).toBe('unchanged');
        await nothingMoreWithin(2500, 'no echo in the thread', async () => {
            expect(commentsFromPagerTree(await thread(root.id))).toEqual([]);
        });

        // The plugin's own card and replies were never sent.
        expect(alert.comments).toHaveLength(1);
        keep('reply → comment, echo stays in PagerTree', await thread(root.id), alert);

        const status = await command(w.admin, w, w.ops.id, '/pagertree status');
        expect(status).toMatch(/Thread replies → PagerTree comments \| on: people's replies/);
    }, 60000);

    test('a reply in a thread that never paged, and a bot\'s reply, are not sent', async () => {
        const quiet = await post(w.alice, w.ops.id, `lunch plans ${ref()}`);
        await post(w.bob, w.ops.id, 'pizza?', quiet.id);
        const {root, alert} = await paged('outage in search');
        await post(w.bot, w.ops.id, 'monitor: error rate 12%', root.id);
        await post(w.alice, w.ops.id, 'looking into search', root.id); // after the others: it arrives last
        await waitUntil(() => alert.comments.length === 1, 'the person\'s reply in PagerTree');
        await nothingMoreWithin(2500, 'nothing else sent to PagerTree', () => {
            expect(alert.comments.map((c) => c.body)).toEqual(['@alice: looking into search']);
            expect(pt.rest.alerts.flatMap((a) => a.comments).filter((c) => c.body.includes('pizza'))).toEqual([]);
        });
        keep('bot reply and unpaged thread not sent', await thread(root.id), alert);
    }, 60000);
});

describe('PagerTree → thread', () => {
    test('a comment made in PagerTree appears in the thread once, even when PagerTree sends it twice', async () => {
        const {root, alert} = await paged('outage in payments');
        const body = pt.commentInPagerTree(alert, 'DBA here: replica lag is 40 s, failing over', DEE); // sent once by autoEvents
        await waitUntil(async () => commentsFromPagerTree(await thread(root.id)).length === 1, 'PagerTree\'s comment in the thread');
        const res = await pt.send(body); // and once more
        expect(JSON.parse(res.text).result).toBe('unchanged');
        await nothingMoreWithin(2500, 'one copy of the comment', async () => {
            expect(commentsFromPagerTree(await thread(root.id))).toEqual(['Dee Ops commented in PagerTree:\n> DBA here: replica lag is 40 s, failing over']);
        });

        // A reply to it goes to PagerTree; nothing of it comes back.
        await post(w.bob, w.ops.id, 'thanks Dee', root.id);
        await waitUntil(() => alert.comments.length === 2, 'the reply in PagerTree');
        await nothingMoreWithin(2500, 'still one comment from PagerTree in the thread', async () => {
            expect(commentsFromPagerTree(await thread(root.id))).toHaveLength(1);
        });
        keep('PagerTree comment once, reply back', await thread(root.id), alert);
    }, 60000);

    test('polled mode: comments made in PagerTree arrive by polling, the plugin\'s own do not come back', async () => {
        pt.autoEvents = false; // PagerTree cannot reach Mattermost
        await setPluginSettings(w, {...base, UpdatesArrive: 'polled', PollSeconds: 5});
        const r = ref();
        const root = await post(w.alice, w.ops.id, `outage behind the firewall ${r}`);
        await pt.waitFor(r, {status: 200});
        const alert = pt.alertFor(r);
        await waitUntil(async () => (await thread(root.id)).some((p) => p.post.user_id === botId && p.post.props?.pagertree_alert), 'the card in the thread', 20000);
        await post(w.bob, w.ops.id, 'on it from chat', root.id);
        await waitUntil(() => alert.comments.length === 1, 'the reply in PagerTree', 20000);
        pt.rest.commentInApp(alert, 'paged the network team', DEE);
        await waitUntil(async () => commentsFromPagerTree(await thread(root.id)).length === 1, 'the polled comment in the thread', 30000);
        await nothingMoreWithin(6000, 'a poll later: the same, and not the plugin\'s own comment', async () => {
            expect(commentsFromPagerTree(await thread(root.id))).toEqual(['Dee Ops commented in PagerTree:\n> paged the network team']);
        });
        const calls = pt.rest.calls.filter((c) => c.method === 'GET' && c.path.endsWith('/comments'));
        expect(calls.length).toBeGreaterThan(0);
        keep('polled comments', await thread(root.id), alert);
    }, 90000);
});
