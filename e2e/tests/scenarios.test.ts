// End-to-end scenarios: the real bundle in a real Mattermost server (started by ../run.sh),
// real posts through the REST API, and what arrives at a local PagerTree stand-in.
import fs from 'fs';
import path from 'path';

import type {Post} from '@mattermost/types/posts';

import {scenarioSettings} from '../src/scenario_settings';
import {PagerTreeStandIn, PATHS} from '../src/stand_in';
import type {Recorded} from '../src/stand_in';
import {command, installPlugin, nothingMoreWithin, pluginRunning, post, ref, setPluginSettings, sharedWorld, verifyEmail, waitUntil} from '../src/world';
import type {PluginSettings, World} from '../src/world';

const TOKEN = 'e2e-token';
const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';

let w: World;
const pt = new PagerTreeStandIn(TOKEN);
let base: PluginSettings;

// quiet checks that posts which should not page do not: a later post that does page is seen
// first, then nothing arrives for any of refs for a little longer (the hook runs per post, not
// strictly in order).
async function quiet(channelId: string, refs: string[]): Promise<void> {
    const sentinel = ref();
    await post(w.alice, channelId, `outage sentinel ${sentinel}`);
    await pt.waitFor(sentinel);
    await nothingMoreWithin(800, `no page for ${refs.join(' ')}`, () => {
        for (const r of refs) {
            expect(pt.matching(r)).toEqual([]);
        }
    });
}

// pluginStatus is the /pagertree status table as a System Admin sees it.
function pluginStatus(): Promise<string> {
    return command(w.admin, w, w.ops.id, '/pagertree status');
}

async function paged(r: string, path = PATHS.mattermost): Promise<Recorded> {
    const [rec] = await pt.waitFor(r, {path});
    return rec;
}

beforeAll(async () => {
    if (!MM_URL || !BUNDLE) {
        throw new Error('run the suite with e2e/run.sh (make e2e): it starts Mattermost and sets MM_URL and PLUGIN_BUNDLE');
    }
    await pt.start();
    w = await sharedWorld(MM_URL);
    base = scenarioSettings(pt, TOKEN, {
        TriggerWords: 'outage, sev-1, db down',
        UrgencyAliases: 'sev-1=critical, p2=medium',
        APIBaseURL: pt.url,
    });
    await setPluginSettings(w, base);
    await installPlugin(w, BUNDLE);
});

beforeEach(async () => {
    pt.clearFailures();
    await setPluginSettings(w, base);
});

afterAll(async () => {
    await pt.stop();
});

describe('trigger matching', () => {
    test('a trigger mid-sentence, in any case, pages with the exact Mattermost-format JSON', async () => {
        const r = ref();
        const p = await post(w.alice, w.ops.id, `We have an OUTAGE in eu ${r}`);
        const rec = await paged(r);
        expect(rec.status).toBe(200);
        expect(rec.headers['content-type']).toBe('application/json');
        expect(rec.body).toEqual({
            token: TOKEN,
            team_id: w.team.id,
            team_domain: 'acme',
            channel_id: w.ops.id,
            channel_name: 'ops',
            timestamp: p.create_at,
            user_id: w.aliceUser.id,
            user_name: 'alice',
            post_id: p.id,
            text: `We have an OUTAGE in eu ${r}`,
            trigger_word: 'outage',
            file_ids: '',
        });
        expect(typeof rec.body.timestamp).toBe('number');
    });

    test('word boundaries: "download" and "outages" do not page, "db down" is a phrase', async () => {
        const [a, b, c] = [ref(), ref(), ref()];
        await post(w.alice, w.ops.id, `downloading the outages report ${a}`);
        await post(w.alice, w.ops.id, `the db is down ${b}`);
        await post(w.alice, w.ops.id, `our DB   down since noon ${c}`);
        expect((await paged(c)).body.trigger_word).toBe('db down');
        await quiet(w.ops.id, [a, b]);
    });

    test('first-word modes copy the built-in webhook: first word only, case-sensitive', async () => {
        await setPluginSettings(w, {...base, MatchMode: 'first_word_is', TriggerWords: 'outage'});
        const [yes, mid, upper] = [ref(), ref(), ref()];
        await post(w.alice, w.ops.id, `outage in eu ${yes}`);
        await post(w.alice, w.ops.id, `an outage in eu ${mid}`);
        await post(w.alice, w.ops.id, `Outage in eu ${upper}`);
        await paged(yes);
        await quiet(w.ops.id, [mid, upper]);

        await setPluginSettings(w, {...base, MatchMode: 'first_word_starts_with', TriggerWords: 'sev'});
        const s = ref();
        await post(w.alice, w.ops.id, `sev1: checkout ${s}`);
        expect((await paged(s)).body.trigger_word).toBe('sev');
    });
});

describe('urgency', () => {
    test('the highest level word wins, and PagerTree is told with a prefix when it would read another', async () => {
        const r = ref();
        await post(w.alice, w.ops.id, `outage: low traffic then critical errors ${r}`);
        expect((await paged(r)).body.text).toBe(`[critical] outage: low traffic then critical errors ${r}`);
    });

    test('an explicit urgency:<level> wins', async () => {
        const r = ref();
        await post(w.alice, w.ops.id, `critical-looking outage, urgency:low ${r}`);
        expect((await paged(r)).body.text).toBe(`[low] critical-looking outage, urgency:low ${r}`);
    });

    test('an alias sets the urgency', async () => {
        const r = ref();
        await post(w.alice, w.ops.id, `sev-1 in payments ${r}`);
        const rec = await paged(r);
        expect(rec.body.text).toBe(`[critical] sev-1 in payments ${r}`);
        expect(rec.body.trigger_word).toBe('sev-1');
    });

    test('the default urgency, and the "slow" case', async () => {
        const plain = ref();
        await post(w.alice, w.ops.id, `db slow, outage ${plain}`);
        expect((await paged(plain)).body.text).toBe(`db slow, outage ${plain}`); // PagerTree decides (and reads "low")

        await setPluginSettings(w, {...base, DefaultUrgency: 'high'});
        const r = ref();
        await post(w.alice, w.ops.id, `db slow, outage ${r}`);
        expect((await paged(r)).body.text).toBe(`[high] db slow, outage ${r}`);
    });
});

describe('payloads and tokens', () => {
    test('the Webhook format: token header, Id, title, description with a permalink, urgency, tags', async () => {
        await setPluginSettings(w, {...base, Format: 'webhook', EndpointURL: pt.url + PATHS.webhook});
        const r = ref();
        const p = await post(w.alice, w.ops.id, `checkout outage in eu, high error rate ${r}\nsecond line`);
        const rec = await paged(r, PATHS.webhook);
        expect(rec.status).toBe(200);
        expect(rec.headers['pagertree-token']).toBe(TOKEN);
        expect(rec.body).toEqual({
            event_type: 'create',
            Id: p.id,
            Title: `checkout outage in eu, high error rate ${r}`,
            Description: `checkout outage in eu, high error rate ${r}\nsecond line\n\n---\nPosted by @alice in ~ops (team acme), trigger: outage\n${MM_URL}/acme/pl/${p.id}`,
            Urgency: 'high',
            Tags: ['acme', 'ops', 'outage'],
        });
    });

    test('a token mismatch is answered 403, not retried, and shows in the history', async () => {
        await setPluginSettings(w, {...base, Token: 'not-the-token'});
        const r = ref();
        await post(w.alice, w.ops.id, `outage ${r}`);
        await pt.waitFor(r, {status: 403});
        await nothingMoreWithin(5000, 'no retry of the rejected alert', () => {
            expect(pt.matching(r)).toHaveLength(1);
        });
        const history = await command(w.admin, w, w.ops.id, '/pagertree history 3');
        expect(history).toMatch(/\| @alice \| outage \| PagerTree default \| failed \| 1 \| 403 \| PagerTree rejected the token/);
    });
});

describe('which posts page', () => {
    test('private channels only when enabled; DMs never', async () => {
        const [priv, dm] = [ref(), ref()];
        await post(w.alice, w.secret.id, `outage ${priv}`);
        await post(w.alice, w.dm.id, `outage ${dm}`);
        await quiet(w.ops.id, [priv, dm]);

        await setPluginSettings(w, {...base, WatchPrivateChannels: true});
        const [priv2, dm2] = [ref(), ref()];
        await post(w.alice, w.secret.id, `outage ${priv2}`);
        await post(w.alice, w.dm.id, `outage ${dm2}`);
        expect((await paged(priv2)).body.channel_name).toBe('secret-ops');
        await quiet(w.ops.id, [dm2]);
    });

    test('system messages (join, leave) and edits never page', async () => {
        const watcher = await w.admin.createUser({email: 'outage-watcher@example.com', username: 'outage-watcher', password: 'E2e-password-1!'} as never, '', '');
        await w.admin.addToTeam(w.team.id, watcher.id);
        await w.admin.addToChannel(watcher.id, w.ops.id);
        await w.admin.removeFromChannel(watcher.id, w.ops.id);
        const r = ref();
        const p = await post(w.alice, w.ops.id, `all fine here ${r}`);
        await w.alice.patchPost({id: p.id, message: `outage after all ${r}`} as Post);
        await quiet(w.ops.id, [r, 'outage-watcher']);
    });

    test('bot posts only when enabled; the plugin\'s own bot never', async () => {
        const r = ref();
        await post(w.bot, w.ops.id, `outage detected by monitoring ${r}`);
        await quiet(w.ops.id, [r]);
        await setPluginSettings(w, {...base, ForwardBotPosts: true});
        const r2 = ref();
        await post(w.bot, w.ops.id, `outage detected by monitoring ${r2}`);
        expect((await paged(r2)).body.user_name).toBe('monitor-bot');
    });

    test('code blocks, inline code and quotes do not page', async () => {
        const [a, b, c] = [ref(), ref(), ref()];
        await post(w.alice, w.ops.id, `look at this log ${a}\n\`\`\`\nERROR outage detector fired\n\`\`\``);
        await post(w.alice, w.ops.id, `> outage yesterday was bad\nis it fixed? ${b}`);
        await post(w.alice, w.ops.id, `the \`outage\` flag is set ${c}`);
        await quiet(w.ops.id, [a, b, c]);
    });

    test('channel allow-list: only the listed channels page', async () => {
        await setPluginSettings(w, {...base, ChannelAllowList: w.town.id});
        const [ops, town] = [ref(), ref()];
        await post(w.alice, w.ops.id, `outage ${ops}`);
        await post(w.alice, w.town.id, `outage ${town}`);
        expect((await paged(town)).body.channel_name).toBe('town-square');
        await quiet(w.town.id, [ops]);
    });

    test('channel cooldown: a second alert in the same channel within the cooldown does not page', async () => {
        await setPluginSettings(w, {...base, ChannelCooldownSeconds: 60});
        const [first, second] = [ref(), ref()];
        await post(w.alice, w.ops.id, `outage one ${first}`);
        await paged(first);
        await post(w.bob, w.ops.id, `outage two ${second}`);
        await quiet(w.town.id, [second]);
        const history = await command(w.admin, w, w.ops.id, '/pagertree history 5');
        expect(history).toContain('suppressed');
        expect(history).toContain('cooldown');
    });

    test('one alert per thread', async () => {
        const [root, reply] = [ref(), ref()];
        const p = await post(w.alice, w.ops.id, `outage in checkout ${root}`);
        await paged(root);
        await post(w.bob, w.ops.id, `still an outage, sev-1 now ${reply}`, p.id);
        await quiet(w.ops.id, [reply]);
    });
});

describe('feedback in chat', () => {
    test('a reaction and a bot reply appear on the post', async () => {
        const r = ref();
        const p = await post(w.alice, w.ops.id, `outage in search, urgency:high ${r}`);
        await paged(r);
        await waitUntil(async () => (await w.admin.getReactionsForPost(p.id)).some((x) => x.emoji_name === 'rotating_light'), 'the reaction');
        const thread = await w.admin.getPostThread(p.id);
        const replies = Object.values(thread.posts).filter((x) => x.root_id === p.id);
        await waitUntil(async () => Object.values((await w.admin.getPostThread(p.id)).posts).some((x) => x.root_id === p.id), 'the bot reply');
        const bot = await w.admin.getUserByUsername('pagertree');
        const reply = Object.values((await w.admin.getPostThread(p.id)).posts).find((x) => x.root_id === p.id);
        expect(reply?.user_id).toBe(bot.id);
        expect(reply?.message).toBe('Paged PagerTree — urgency: high (trigger: outage)');
        expect(replies.length).toBeLessThanOrEqual(1);
        const reactions = await w.admin.getReactionsForPost(p.id);
        expect(reactions.find((x) => x.emoji_name === 'rotating_light')?.user_id).toBe(bot.id);
    });
});

describe('delivery', () => {
    test('PagerTree down for 30 s, then back: each alert delivered exactly once', async () => {
        // The outage is what is tested: the stand-in's port is closed for 30 s (refuseFor opens
        // it again by itself); meanwhile both alerts wait in the plugin's queue.
        const started = Date.now();
        await pt.refuseFor(30000);
        const [a, b] = [ref(), ref()];
        await post(w.alice, w.ops.id, `outage one ${a}`);
        await post(w.bob, w.ops.id, `sev-1 two ${b}`);
        const waiting = async () => Number((/\| Queue \| (\d+) waiting \|/).exec(await pluginStatus())?.[1]);
        await waitUntil(async () => (await waiting()) >= 2, 'both alerts waiting in the queue while PagerTree is down', 25000);
        await waitUntil(() => pt.listening, 'PagerTree back after its 30 s outage', 35000 - (Date.now() - started));
        await pt.waitFor(a, {status: 200, timeoutMs: 90000});
        await pt.waitFor(b, {status: 200, timeoutMs: 90000});
        await nothingMoreWithin(3000, 'no second delivery', () => {
            expect(pt.matching(a)).toHaveLength(1);
            expect(pt.matching(b)).toHaveLength(1);
        });
    });

    test('PagerTree answering 503 and 429 (Retry-After) is retried until accepted', async () => {
        pt.failNext(2, {kind: 'status', status: 503});
        pt.failNext(1, {kind: 'status', status: 429, retryAfter: 1});
        const r = ref();
        await post(w.alice, w.ops.id, `outage with retries ${r}`);
        const got = await pt.waitFor(r, {count: 4, timeoutMs: 60000});
        expect(got.map((x) => x.status)).toEqual([503, 503, 429, 200]);
        expect(got[3].at - got[2].at).toBeGreaterThanOrEqual(1000);
    });

    test('PagerTree hanging past the client timeout is retried', async () => {
        pt.failNext(1, {kind: 'hang'});
        const r = ref();
        await post(w.alice, w.ops.id, `outage while PagerTree hangs ${r}`);
        const got = await pt.waitFor(r, {count: 2, status: undefined, timeoutMs: 60000});
        expect(got.map((x) => x.status)).toEqual([0, 200]);
        expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(10000); // the plugin's 10 s timeout
    });

    test('plugin disabled and re-enabled with a pending delivery: delivered once', async () => {
        pt.failFor(600000, {kind: 'status', status: 503});
        const r = ref();
        await post(w.alice, w.ops.id, `outage while restarting ${r}`);
        await pt.waitFor(r, {status: 503});
        await w.admin.disablePlugin('pagertree');
        pt.clearFailures();
        await waitUntil(async () => !(await pluginRunning(w)), 'the plugin to stop');
        await w.admin.enablePlugin('pagertree');
        await pt.waitFor(r, {status: 200, timeoutMs: 60000});
        await nothingMoreWithin(2000, 'no second delivery', () => {
            expect(pt.matching(r).filter((x) => x.status === 200)).toHaveLength(1);
        });
    });
});

describe('/pagertree', () => {
    test('alert pages from any channel, including a DM, and announces it', async () => {
        const r = ref();
        expect(await command(w.alice, w, w.dm.id, `/pagertree alert high db on fire ${r}`)).toBe('');
        const rec = await paged(r);
        expect(rec.body.trigger_word).toBe('/pagertree');
        expect(rec.body.text).toBe(`[high] db on fire ${r}`);
        expect(rec.body.user_name).toBe('alice');
        const posts = await w.alice.getPosts(w.dm.id, 0, 5);
        const announce = Object.values(posts.posts).find((x) => x.message.includes(r) && x.message.startsWith('@alice paged PagerTree'));
        expect(announce?.message).toContain('urgency: high');
    });

    test('bad input answers with usage', async () => {
        expect(await command(w.alice, w, w.ops.id, '/pagertree alert hihg db down')).toContain('did you mean `high`?');
        expect(await command(w.alice, w, w.ops.id, '/pagertree frobnicate')).toContain('is not a /pagertree command');
        expect(await command(w.alice, w, w.ops.id, '/pagertree test')).toContain('Only System Admins can use `/pagertree test`');
    });

    test('test, status and history for System Admins', async () => {
        const answer = await command(w.admin, w, w.ops.id, '/pagertree test');
        expect(answer).toContain('PagerTree answered **200**: accepted by PagerTree.');
        expect((await pt.waitFor('This is only a test'))[0].body.text).toMatch(/^\[low\] Test alert/);
        const status = await command(w.admin, w, w.ops.id, '/pagertree status');
        expect(status).toContain('| Forwarding | on |');
        expect(status).toContain('| Token | set |');
        expect(status).not.toContain(TOKEN);
        expect(status).toMatch(/\| Queue \| 0 waiting \|/);
        const history = await command(w.admin, w, w.ops.id, '/pagertree history 5');
        expect(history).toContain('delivered (test)');
    });
});

describe('the plugin HTTP API behind the settings panel', () => {
    const api = (path: string, token: string, init: RequestInit = {}) => fetch(`${MM_URL}/plugins/pagertree/api/v1/${path}`, {
        ...init,
        headers: {'Content-Type': 'application/json', ...(token ? {Authorization: `Bearer ${token}`} : {})},
    });

    test('only logged-in System Admins, with JSON errors', async () => {
        const anon = await api('preview', '', {method: 'POST', body: '{}'});
        expect(anon.status).toBe(401);
        expect((await anon.json()).error).toMatch(/Log in/);
        const user = await api('deliveries', w.alice.getToken());
        expect(user.status).toBe(403);
        expect((await user.json()).error).toBe('Only System Admins can use the PagerTree plugin API.');
        const bad = await api('preview', w.admin.getToken(), {method: 'POST', body: '{"message":'});
        expect(bad.status).toBe(400);
    });

    test('preview, test with on-screen values, and deliveries', async () => {
        const token = w.admin.getToken();
        const preview = await (await api('preview', token, {method: 'POST', body: JSON.stringify({message: 'db slow: outage', settings: {DefaultUrgency: 'high'}})})).json();
        expect(preview).toMatchObject({would_page: true, trigger: 'outage', urgency: {urgency: 'high', source: 'default'}, pagertree_text: '[high] db slow: outage', pagertree_reads: 'high'});
        expect(preview.matches).toEqual([{trigger: 'outage', start: 9, end: 15}]);

        const ok = await (await api('test', token, {method: 'POST', body: JSON.stringify({settings: {token: '********************************'}})})).json();
        expect(ok).toMatchObject({class: 'delivered', status_code: 200, format: 'mattermost'});
        const wrong = await (await api('test', token, {method: 'POST', body: JSON.stringify({settings: {token: 'typed-on-screen'}})})).json();
        expect(wrong).toMatchObject({class: 'permanent', status_code: 403});
        expect(wrong.meaning).toMatch(/token/);

        const {entries} = await (await api('deliveries?n=2', token)).json();
        expect(entries.map((e: {status: string; test: boolean}) => [e.status, e.test])).toEqual([['failed', true], ['delivered', true]]);
    });
});

describe('side by side with the built-in outgoing webhook', () => {
    beforeAll(async () => {
        await w.admin.createOutgoingWebhook({
            team_id: w.team.id,
            channel_id: '',
            display_name: 'PagerTree (hand-made)',
            trigger_words: ['outage'],
            trigger_when: 0,
            callback_urls: [pt.url + PATHS.builtin],
            content_type: 'application/json',
        } as never);
    });

    test('the built-in misses mid-sentence, other case and private channels; the plugin does not', async () => {
        await setPluginSettings(w, {...base, WatchPrivateChannels: true});
        const [first, mid, upper, priv] = [ref(), ref(), ref(), ref()];
        await post(w.alice, w.ops.id, `outage first ${first}`);
        await post(w.alice, w.ops.id, `we have an outage ${mid}`);
        await post(w.alice, w.ops.id, `Outage now ${upper}`);
        await post(w.alice, w.secret.id, `outage ${priv}`);
        for (const r of [first, mid, upper, priv]) {
            await paged(r);
        }
        await pt.waitFor(first, {path: PATHS.builtin});
        await nothingMoreWithin(1500, 'the built-in to miss the other three', () => {
            for (const r of [mid, upper, priv]) {
                expect(pt.matching(r, PATHS.builtin)).toEqual([]);
            }
        });
    });

    test('during a PagerTree outage the built-in loses the alert; the plugin retries it through', async () => {
        pt.failFor(6000, {kind: 'status', status: 503});
        const r = ref();
        await post(w.alice, w.ops.id, `outage during maintenance ${r}`);
        await pt.waitFor(r, {status: 200, timeoutMs: 60000, path: PATHS.mattermost});
        await nothingMoreWithin(2000, 'the built-in to have fired once, never again', () => {
            const builtin = pt.matching(r, PATHS.builtin);
            expect(builtin.map((x) => x.status)).toEqual([503]);
        });
    });
});

describe('nothing lost to a configuration mistake, and what operators see', () => {
    const api = (path: string, init: RequestInit = {}) => fetch(`${MM_URL}/plugins/pagertree/api/v1/${path}`, {
        ...init,
        headers: {Authorization: `Bearer ${w.admin.getToken()}`, 'X-Requested-With': 'XMLHttpRequest', 'Content-Type': 'application/json'},
    });

    test('a wrong token (403) is resent once the admin fixes it: delivered once, marked as resent', async () => {
        await setPluginSettings(w, {...base, Token: 'wrong-token'});
        const r = ref();
        const p = await post(w.alice, w.ops.id, `db down in eu ${r}`);
        await pt.waitFor(r, {status: 403});
        await waitUntil(async () => (await (await api('deliveries?n=5')).json()).entries.some((e: {alert_id: string; status: string}) => e.alert_id === p.id && e.status === 'failed'), 'the failure in the history');

        await setPluginSettings(w, base); // fixed
        const first = await api('resend', {method: 'POST', body: JSON.stringify({alert_id: p.id})});
        expect(first.status).toBe(200);
        expect(await first.json()).toMatchObject({alert_id: p.id, queued: true});
        await pt.waitFor(r, {status: 200, timeoutMs: 30000});
        const resentReply = /^Paged PagerTree after a System Admin resent the alert \(resend 1\) — urgency: .* \(trigger: db down\)$/;
        await waitUntil(async () => Object.values((await w.admin.getPostThread(p.id)).posts).some((x) => x.root_id === p.id && resentReply.test(x.message)), 'the resend\'s reply in the thread');
        const {entries} = await (await api('deliveries?n=5')).json();
        expect(entries[0]).toMatchObject({alert_id: p.id, status: 'delivered', resent: {number: 1, by: w.adminUser.id}});

        const again = await api('resend', {method: 'POST', body: JSON.stringify({alert_id: p.id})});
        expect(again.status).toBe(409);
        expect((await again.json()).error).toMatch(/was delivered; there is nothing to resend/);
        const history = await command(w.admin, w, w.ops.id, '/pagertree history 3');
        expect(history).toContain('delivered (resend 1)');
        await nothingMoreWithin(1000, 'no request after the resend\'s', () => {
            expect(pt.matching(r).map((x) => x.status)).toEqual([403, 200]);
        });
    });

    test('the plugin\'s metrics are served on the metrics listener without a license', async () => {
        const metricsURL = process.env.MM_METRICS_URL || '';
        const res = await fetch(`${metricsURL}/plugins/pagertree/metrics`);
        expect(res.status).toBe(200);
        const text = await res.text();
        fs.writeFileSync(`${process.env.E2E_RUN || path.join(__dirname, '../.run')}-metrics.txt`, text); // kept after the run
        const value = (line: string) => Number((text.split('\n').find((l) => l.startsWith(line + ' ')) || ' NaN').split(' ').pop());

        // Counters start at zero when the plugin starts (it was disabled and enabled above).
        expect(value('mattermost_plugin_pagertree_alerts_delivered_total{origin="post",route="default"}')).toBeGreaterThan(3);
        expect(value('mattermost_plugin_pagertree_alerts_failed_total{reason="token_rejected",route="default"}')).toBeGreaterThanOrEqual(1);
        expect(value('mattermost_plugin_pagertree_delivery_retries_total')).toBeGreaterThan(0);
        expect(value('mattermost_plugin_pagertree_alerts_queued_total{origin="resend",route="default"}')).toBe(1);
        expect(value('mattermost_plugin_pagertree_queue_depth')).toBe(0);
        expect(text).toContain('mattermost_plugin_pagertree_post_to_pagertree_seconds_bucket');
    });
});

// Issue 10: the saved token goes only where it was saved for, no paging floods, no internal
// endpoints, bad settings refused at save time.
describe('hardening', () => {
    const MASK = '********************************';
    const api = (path: string, body: unknown) => fetch(`${MM_URL}/plugins/pagertree/api/v1/${path}`, {
        method: 'POST',
        headers: {'Content-Type': 'application/json', Authorization: `Bearer ${w.admin.getToken()}`},
        body: JSON.stringify(body),
    });

    // putConfig sends the whole config with the plugin's settings changed, as the console does.
    const putConfig = async (change: (c: Record<string, any>) => void) => { // eslint-disable-line @typescript-eslint/no-explicit-any
        const cfg = await w.admin.getConfig() as unknown as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
        change(cfg);
        const res = await fetch(`${MM_URL}/api/v4/config`, {
            method: 'PUT',
            headers: {'Content-Type': 'application/json', Authorization: `Bearer ${w.admin.getToken()}`, 'X-Requested-With': 'XMLHttpRequest'},
            body: JSON.stringify(cfg),
        });
        return {status: res.status, body: await res.json()};
    };
    const storedPluginSettings = async () => ((await w.admin.getConfig()).PluginSettings.Plugins as Record<string, Record<string, unknown>>).pagertree;

    test('the saved token is never sent to another endpoint: the test answers 400 and the other host gets nothing', async () => {
        const foreign = new PagerTreeStandIn('attacker');
        await foreign.start();
        try {
            for (const settings of [
                {EndpointURL: `${foreign.url}/capture`, Token: MASK},
                {EndpointURL: `${foreign.url}/capture`}, // no Token key at all
                {EndpointURL: `${pt.url}/integration/int_other`, Token: MASK}, // same host, other integration
            ]) {
                const res = await api('test', {settings});
                expect(res.status).toBe(400);
                expect(await res.json()).toEqual({error: 'Enter the token again: the saved token is only sent to the saved endpoint.', field: 'Token'});
            }
            await nothingMoreWithin(500, 'nothing sent to the other endpoints', () => {
                expect(foreign.requests).toEqual([]);
                expect(pt.requests.filter((r) => r.path === '/integration/int_other')).toEqual([]);
            });

            // Typed on screen, the token goes where the admin points it; the saved one never does.
            const typed = await (await api('test', {settings: {EndpointURL: foreign.url + PATHS.mattermost, Token: 'typed-on-screen'}})).json();
            expect(typed).toMatchObject({status_code: 403});
            expect(foreign.requests.map((r) => r.body.token)).toEqual(['typed-on-screen']);
            expect(JSON.stringify(foreign.requests)).not.toContain(TOKEN);
        } finally {
            await foreign.stop();
        }
    });

    test('/pagertree alert: a per-user limit, atomic under a parallel flood; System Admins are not limited', async () => {
        await setPluginSettings(w, {...base, AlertCommandLimit: 3});
        const refs = Array.from({length: 10}, () => ref());
        const answers = await Promise.all(refs.map((r) => command(w.bob, w, w.ops.id, `/pagertree alert critical flood ${r}`)));
        const sent = answers.filter((a) => a === '');
        const refused = answers.filter((a) => a !== '');
        expect(sent).toHaveLength(3);
        expect(refused).toHaveLength(7);
        for (const a of refused) {
            expect(a).toMatch(/^PagerTree was not paged: you have paged 3 times in the last 10 minutes; the limit is 3 per user per 10 minutes\. You can page again in (9|10) minutes\. If this cannot wait, ask a System Admin/);
        }
        const pagedRefs = () => refs.filter((r) => pt.matching(r, PATHS.mattermost).length > 0);
        await waitUntil(() => pagedRefs().length >= 3, 'the three accepted alerts at PagerTree');
        await nothingMoreWithin(2000, 'no page for the seven refused', () => {
            expect(pagedRefs()).toHaveLength(3);
        });

        const adminRef = ref();
        expect(await command(w.admin, w, w.ops.id, `/pagertree alert high admin page ${adminRef}`)).toBe('');
        await paged(adminRef);
        const help = await command(w.bob, w, w.ops.id, '/pagertree help');
        expect(help).toContain('Each user may page 3 times per 10 minutes with `/pagertree alert` (System Admins are not limited)');
        expect(help).toContain('apply to trigger words only');
    });

    test('internal endpoints: 169.254.169.254 is refused when saved and when tested', async () => {
        const saved = await putConfig((c) => {
            c.PluginSettings.Plugins.pagertree.endpointurl = 'https://169.254.169.254/latest/meta-data';
        });
        expect(saved.status).toBe(400);
        expect(saved.body.message).toBe('The PagerTree settings were not saved: the endpoint\'s address 169.254.169.254 is internal (loopback, private, link-local or otherwise not public), ' +
            'and Mattermost only lets integrations reach such a host when it is listed in "Allow untrusted internal connections to" (ServiceSettings.AllowedUntrustedInternalConnections, System Console > Environment > Developer); ' +
            'enter the token again: the saved token is only sent to the saved endpoint.'); // the console sent the token back masked
        expect((await storedPluginSettings()).endpointurl).toBe(pt.url + PATHS.mattermost);

        const tested = await api('test', {settings: {EndpointURL: 'https://169.254.169.254/', Token: 'typed'}});
        expect(tested.status).toBe(422);
        expect((await tested.json()).error).toMatch(/^Fix the settings first: the endpoint's address 169\.254\.169\.254 is internal .*AllowedUntrustedInternalConnections/);
    });

    test('a loopback endpoint works only while listed in AllowedUntrustedInternalConnections', async () => {
        const setAllowed = async (value: string) => {
            const res = await putConfig((c) => {
                c.ServiceSettings.AllowedUntrustedInternalConnections = value;
            });
            expect(res.status).toBe(200); // the plugin has re-read it: see setPluginSettings
        };
        try {
            await setAllowed('');
            const status = await command(w.admin, w, w.ops.id, '/pagertree status');
            expect(status).toMatch(/\| Forwarding \| paused: the endpoint URL must use https \(plain http is only allowed for a host listed in "Allow untrusted internal connections to"/);
            const r = ref();
            await post(w.alice, w.ops.id, `outage while unlisted ${r}`);
            const typed = await api('test', {settings: {Token: 'typed'}});
            expect(typed.status).toBe(422);
            expect(await command(w.alice, w, w.ops.id, `/pagertree alert high x ${r}`)).toBe(
                'PagerTree was not paged: forwarding is paused until a System Admin fixes the plugin settings. Ask a System Admin to check the PagerTree plugin.');
            await nothingMoreWithin(1000, 'no page while unlisted', () => {
                expect(pt.matching(r, PATHS.mattermost)).toEqual([]);
            });
        } finally {
            await setAllowed('127.0.0.1 localhost');
        }
        const back = ref();
        await post(w.alice, w.ops.id, `outage once listed again ${back}`);
        await paged(back);
    });

    test('wrongly typed settings are refused by PUT /api/v4/config with the sentence, and nothing is stored', async () => {
        const yes = await putConfig((c) => {
            c.PluginSettings.Plugins.pagertree.enabled = 'yes';
        });
        expect(yes.status).toBe(400);
        expect(yes.body.message).toBe('The PagerTree settings were not saved: the setting "Enable forwarding" (Enabled) must be true or false, not "yes".');
        const words = await putConfig((c) => {
            c.PluginSettings.Plugins.pagertree.triggerwords = 123;
        });
        expect(words.status).toBe(400);
        expect(words.body.message).toBe('The PagerTree settings were not saved: the setting "Trigger words" (TriggerWords) must be text, not the number 123.');
        const retry = await putConfig((c) => {
            c.PluginSettings.Plugins.pagertree.retrywindowminutes = 1000000000;
        });
        expect(retry.body.message).toBe('The PagerTree settings were not saved: the retry window must be between 1 and 1440 minutes, not 1000000000.');
        const stored = await storedPluginSettings();
        expect([stored.enabled, stored.triggerwords, stored.retrywindowminutes]).toEqual([true, base.TriggerWords, 60]);

        // The console sends the saved token back masked: saving other changes is fine.
        const ok = await putConfig((c) => {
            c.PluginSettings.Plugins.pagertree.defaulturgency = 'high';
        });
        expect(ok.status).toBe(200);
        const r = ref();
        await post(w.alice, w.ops.id, `outage still forwarded ${r}`);
        expect((await paged(r)).body.token).toBe(TOKEN);
    });
});

describe('PagerTree REST API: who is on call and the API key', () => {
    const API_KEY = 'e2e-api-key';
    const SAVED = '********************************'; // how the System Console sends back a saved secret
    const api = (path: string, token: string, body: unknown) => fetch(`${MM_URL}/plugins/pagertree/api/v1/${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: {'Content-Type': 'application/json', Authorization: `Bearer ${token}`},
    });

    beforeAll(() => {
        pt.rest.apiKey = API_KEY;
        pt.rest.teams = [
            {id: 'T1', name: 'Devops', oncall: [{layer: 1, account_user_ids: ['U1']}, {layer: 2, account_user_ids: ['U2']}]},
            {id: 'T2', name: 'Databases', oncall: []},
        ];
        pt.rest.users = [
            {id: 'U1', name: 'Alice Liddell', emails: ['alice@example.com']},
            {id: 'U2', name: 'Grace Hopper', emails: ['grace@pagertree.example']},
        ];
    });

    test('/pagertree oncall without an API key says so (the detail to admins only) and calls nothing', async () => {
        const before = pt.rest.calls.length;
        const text = await command(w.alice, w, w.ops.id, '/pagertree oncall');
        expect(text).toBe("Who is on call comes from PagerTree's REST API, which the plugin is not set up to use. Ask a System Admin to check the PagerTree plugin.");
        const forAdmin = await command(w.admin, w, w.ops.id, '/pagertree oncall');
        expect(forAdmin).toMatch(/no PagerTree API key is set/);
        expect(forAdmin).toMatch(/Check API key/);
        expect(pt.rest.calls.length).toBe(before);
    });

    test('/pagertree oncall shows who is on call per team, with an @mention where the e-mail is a verified one', async () => {
        await setPluginSettings(w, {...base, APIKey: API_KEY});
        await verifyEmail(w, w.aliceUser.id);
        const before = pt.rest.calls.length;
        const text = await command(w.alice, w, w.ops.id, '/pagertree oncall');
        expect(text).toContain('**Devops**: layer 1: @alice (Alice Liddell) · layer 2: Grace Hopper');
        expect(text).toContain('**Databases**: nobody is on call right now');
        const calls = pt.rest.calls.slice(before);
        expect(calls.map((c) => `${c.method} ${c.path} ${c.status}`)).toEqual([
            'GET /api/v4/teams 200',
            'GET /api/v4/teams/T1/current_oncall 200',
            'GET /api/v4/account_users/U1 200',
            'GET /api/v4/account_users/U2 200',
            'GET /api/v4/teams/T2/current_oncall 200',
        ]);
        expect(new Set(calls.map((c) => c.auth))).toEqual(new Set([`Bearer ${API_KEY}`]));

        const one = await command(w.bob, w, w.ops.id, '/pagertree oncall data');
        expect(one).toContain('**Databases**');
        expect(one).not.toContain('Devops');
        expect(await command(w.bob, w, w.ops.id, '/pagertree oncall frontend')).toMatch(/No PagerTree team matches `frontend`. Teams: Devops, Databases/);
    });

    test('/pagertree oncall with a key PagerTree rejects (401) says so: the detail to admins, "ask a System Admin" to others', async () => {
        await setPluginSettings(w, {...base, APIKey: 'revoked-key'});
        const text = await command(w.admin, w, w.ops.id, '/pagertree oncall');
        expect(text).toMatch(/PagerTree rejected the API key/);
        expect(text).not.toContain('revoked-key');
        const forUser = await command(w.alice, w, w.ops.id, '/pagertree oncall');
        expect(forUser).toBe("Could not read who is on call from PagerTree. The plugin's PagerTree API key or settings need a System Admin's attention. Ask a System Admin to check the PagerTree plugin.");
        expect(pt.rest.calls[pt.rest.calls.length - 1]).toMatchObject({path: '/api/v4/teams', status: 401});
    });

    test('Check API key: the saved key works, a typed wrong one gets 401, the saved key never goes to another URL', async () => {
        await setPluginSettings(w, {...base, APIKey: API_KEY});
        const token = w.admin.getToken();
        const ok = await api('apikey/check', token, {settings: {apikey: SAVED, apibaseurl: pt.url}});
        expect(ok.status).toBe(200);
        expect(await ok.json()).toMatchObject({ok: true, teams: 2, message: 'PagerTree accepted the API key: it sees 2 teams (Devops, Databases).'});

        const wrong = await (await api('apikey/check', token, {settings: {apikey: 'typed-wrong', apibaseurl: pt.url}})).json();
        expect(wrong).toMatchObject({ok: false, kind: 'bad_key', status: 401});
        expect(wrong.message).toMatch(/PagerTree rejected the API key/);

        const before = pt.requests.length;
        const elsewhere = await api('apikey/check', token, {settings: {apikey: SAVED, apibaseurl: 'http://127.0.0.1:9'}});
        expect(elsewhere.status).toBe(422);
        expect((await elsewhere.json()).error).toMatch(/only sent to the saved PagerTree API URL/);
        expect(pt.requests.length).toBe(before);

        const user = await api('apikey/check', w.alice.getToken(), {settings: {}});
        expect(user.status).toBe(403);
    });
});
