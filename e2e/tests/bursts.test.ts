// Bursts on the real server (DESIGN §10, §11; issue 17): PagerTree's events a thousand at a
// time, 25 in flight, must all be answered without a 5xx and leave every card showing its
// record; and twenty trigger posts at once in one channel (Mattermost format) must make twenty
// PagerTree alerts, each followed on its own post's card. The figures are printed and kept in
// e2e/.run/bursts.json.
import {execFile} from 'child_process';
import fs from 'fs';
import path from 'path';
import {promisify} from 'util';

import type {Channel} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';

import {scenarioSettings} from '../src/scenario_settings';
import {PagerTreeStandIn, PATHS} from '../src/stand_in';
import type {EventBody, PTUser} from '../src/stand_in';
import type {StandInAlert} from '../src/stand_in_rest';
import {installPlugin, nothingMoreWithin, pluginRunning, post, ref, setPluginSettings, sharedWorld, verifyEmail, waitUntil} from '../src/world';
import type {World} from '../src/world';

const TOKEN = 'e2e-bursts-token';
const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';
const DSN = process.env.E2E_CONFIG_DSN || ''; // the server's database (run.sh): the records are read there

const ALERTS = 100;
const EVENTS_PER_ALERT = 10; // 1 000 events
const IN_FLIGHT = 25;
const CARDS_RIGHT_WITHIN_MS = 30000;
const CONCURRENT_POSTS = 20;

const ANN: PTUser = {id: 'usr_ann', name: 'Ann Alice', email: 'alice@example.com'}; // alice's verified e-mail: @alice
const PAT: PTUser = {id: 'usr_pat', name: 'Pat Tree', email: 'pat@elsewhere.example'};
const DEE: PTUser = {id: 'usr_dee', name: 'Dee Ops', email: 'dee@elsewhere.example'};

type Attachment = {color: string; title: string; fields: Array<{title: string; value: string}>};
type State = 'open' | 'acknowledged' | 'resolved' | 'dropped';
const LABEL: Record<State, string> = {open: 'Open', acknowledged: 'Acknowledged', resolved: 'Resolved', dropped: 'Dropped (nobody acknowledged)'};

// A record as the plugin stores it (server/followup/record.go), the fields compared here.
type StoredRecord = {
    thirdparty_id: string;
    root_id: string;
    rev: number;
    card_rev: number;
    status: {state: State; tiny_id?: string; ack_by?: string; resolved_by?: string};
};

let w: World;
let botId = '';
const pt = new PagerTreeStandIn(TOKEN);
const figures: Record<string, unknown> = {};

function attachmentOf(p: Post): Attachment | undefined {
    return (p.props?.attachments as Attachment[] | undefined)?.[0];
}

function fields(a: Attachment): Record<string, string> {
    return Object.fromEntries(a.fields.map((f) => [f.title, f.value]));
}

async function channelNamed(name: string): Promise<Channel> {
    try {
        return await w.admin.getChannelByName(w.team.id, name);
    } catch {
        const ch = await w.admin.createChannel({team_id: w.team.id, name, display_name: name, type: 'O'} as Channel);
        await w.admin.addToChannel(w.aliceUser.id, ch.id);
        return ch;
    }
}

// channelPosts reads every post of a channel (a page of 200 at a time).
async function channelPosts(channelId: string): Promise<Post[]> {
    const out: Post[] = [];
    for (let page = 0; ; page++) {
        const list = await w.admin.getPosts(channelId, page, 200);
        out.push(...list.order.map((id) => list.posts[id]));
        if (list.order.length < 200) {
            return out;
        }
    }
}

// cardsByThread maps each thread root to the bot's cards in it (a thread has one, or the test fails).
async function cardsByThread(channelId: string): Promise<Map<string, Attachment[]>> {
    const cards = new Map<string, Attachment[]>();
    for (const p of await channelPosts(channelId)) {
        const a = attachmentOf(p);
        if (p.user_id === botId && p.root_id && a) {
            cards.set(p.root_id, [...(cards.get(p.root_id) || []), a]);
        }
    }
    return cards;
}

// storedRecords reads the plugin's alert records from the server's database, by thirdparty id.
async function storedRecords(): Promise<Map<string, StoredRecord>> {
    const sql = "SELECT convert_from(pvalue, 'UTF8') FROM pluginkeyvaluestore WHERE pluginid = 'pagertree' AND pkey LIKE 'alert\\_tp\\_%'";
    const {stdout} = await promisify(execFile)('psql', [DSN, '-At', '-v', 'ON_ERROR_STOP=1', '-c', sql], {maxBuffer: 64 << 20});
    const out = new Map<string, StoredRecord>();
    for (const line of stdout.split('\n').filter(Boolean)) {
        const r = JSON.parse(line) as StoredRecord;
        out.set(r.thirdparty_id, r);
    }
    return out;
}

// cardProblem says how a card differs from what its record holds ('' when it shows it).
function cardProblem(card: Attachment | undefined, r: StoredRecord): string {
    if (!card) {
        return 'no card';
    }
    const f = fields(card);
    const want: Record<string, string | undefined> = {
        Status: LABEL[r.status.state],
        'Acknowledged by': r.status.ack_by || r.status.state === 'acknowledged' ? r.status.ack_by || 'someone in PagerTree' : undefined,
        'Resolved by': r.status.state === 'resolved' ? r.status.resolved_by || 'someone in PagerTree' : undefined,
    };
    for (const [title, value] of Object.entries(want)) {
        if (f[title] !== value) {
            return `${title} is ${JSON.stringify(f[title])}, the record says ${JSON.stringify(value)}`;
        }
    }
    const title = r.status.tiny_id ? `PagerTree alert #${r.status.tiny_id}` : 'PagerTree alert';
    if (card.title !== title) {
        return `the title is ${JSON.stringify(card.title)}, the record says ${JSON.stringify(title)}`;
    }
    if (r.card_rev < r.rev) {
        return `the record says its card shows revision ${r.card_rev} of ${r.rev}`;
    }
    return '';
}

// inPool runs fn on every item, n at a time, in order.
async function inPool<T, R>(items: T[], n: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array(items.length);
    let next = 0;
    const worker = async () => {
        while (next < items.length) {
            const i = next++;
            out[i] = await fn(items[i], i);
        }
    };
    await Promise.all(Array.from({length: Math.min(n, items.length)}, worker));
    return out;
}

// shuffled is a seeded Fisher-Yates shuffle (mulberry32), so a failing order can be replayed.
function shuffled<T>(items: T[], seed: number): T[] {
    let s = seed >>> 0;
    const rand = () => {
        s = (s + 0x6d2b79f5) >>> 0;
        let t = s;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
}

function percentile(sorted: number[], p: number): number {
    return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// eventsFor is what PagerTree sends about one alert in the burst: EVENTS_PER_ALERT bodies ending
// it in the plan's state, with PagerTree's retries (the same body again) and late deliveries
// (an earlier body after a newer one). Bodies are built in the order PagerTree would make them.
function eventsFor(a: StandInAlert, plan: State): EventBody[] {
    const created = pt.event(a, 'alert.created');
    const open = pt.event(a, 'alert.open');
    switch (plan) {
    case 'open': {
        const timeout = pt.event(a, 'alert.timeout');
        const comment = pt.commentEvent(a, 'Looking at it.', DEE);
        return [created, open, created, open, timeout, timeout, comment, comment, open, created];
    }
    case 'acknowledged': {
        const ack = pt.event(a, 'alert.acknowledged', ANN);
        return [created, open, ack, ack, open, created, ack, open, ack, created];
    }
    case 'resolved': {
        const ack = pt.event(a, 'alert.acknowledged', PAT);
        const resolved = pt.event(a, 'alert.resolved', PAT);
        return [created, open, ack, resolved, resolved, ack, open, resolved, created, resolved];
    }
    }
    const timeout = pt.event(a, 'alert.timeout'); // dropped
    const dropped = pt.event(a, 'alert.dropped');
    return [created, open, timeout, dropped, dropped, open, timeout, created, dropped, open];
}

beforeAll(async () => {
    if (!MM_URL || !BUNDLE || !DSN) {
        throw new Error('run the suite with e2e/run.sh (make e2e): it starts Mattermost and sets MM_URL, PLUGIN_BUNDLE and E2E_CONFIG_DSN');
    }
    await pt.start();
    w = await sharedWorld(MM_URL);
    await verifyEmail(w, w.aliceUser.id);
    await setPluginSettings(w, scenarioSettings(pt, TOKEN, {
        TriggerWords: 'outage',
        UrgencyAliases: '',
    }));
    if (!(await pluginRunning(w))) {
        await installPlugin(w, BUNDLE);
    }
    botId = (await w.admin.getUserByUsername('pagertree')).id;
    const res = await fetch(`${MM_URL}/plugins/pagertree/api/v1/receiver`, {headers: {Authorization: `Bearer ${w.admin.getToken()}`}});
    const receiver = await res.json();
    pt.sendTo({url: receiver.secret_url, username: '', password: '', linkedData: true});
});

afterAll(async () => {
    await pt.stop();
    if (Object.keys(figures).length) {
        const out = path.join(__dirname, '..', '.run', 'bursts.json');
        fs.mkdirSync(path.dirname(out), {recursive: true});
        fs.writeFileSync(out, JSON.stringify(figures, null, 2));
    }
});

describe('bursts on a real server', () => {
    test(`${ALERTS} alerts, then ${ALERTS * EVENTS_PER_ALERT} PagerTree events with ${IN_FLIGHT} in flight: no 5xx, every card shows its record within ${CARDS_RIGHT_WITHIN_MS / 1000} s`, async () => {
        const ch = await channelNamed('bursts');
        const tag = ref();
        const posts = await inPool(Array.from({length: ALERTS}, (_, i) => i), 10, (i) => post(w.alice, ch.id, `outage number ${i} ${tag}`));
        await pt.waitFor(tag, {status: 200, count: ALERTS, timeoutMs: 60000});
        const alerts = posts.map((p, i) => pt.alertFor(`outage number ${i} ${tag}`));
        await waitUntil(async () => (await cardsByThread(ch.id)).size === ALERTS, `${ALERTS} cards`, 60000);

        const plans: State[] = ['open', 'acknowledged', 'resolved', 'dropped'];
        const planOf = new Map(alerts.map((a, i) => [a.thirdparty_id, plans[i % plans.length]]));
        const events = shuffled(alerts.flatMap((a) => eventsFor(a, planOf.get(a.thirdparty_id) as State)), 17);
        expect(events).toHaveLength(ALERTS * EVENTS_PER_ALERT);

        const started = Date.now();
        const answers = await inPool(events, IN_FLIGHT, async (e) => {
            const r = await pt.send(e);
            let result = '';
            try {
                result = (JSON.parse(r.text) as {result?: string}).result || '';
            } catch {
                result = r.text.slice(0, 80);
            }
            return {status: r.status, result, ms: r.ms};
        });
        const answered = Date.now();
        const count = (key: (a: typeof answers[number]) => string) => answers.reduce<Record<string, number>>((m, a) => ({...m, [key(a)]: (m[key(a)] || 0) + 1}), {});
        const ms = answers.map((a) => a.ms).sort((x, y) => x - y);

        // Every card shows its record, and every record the state its events lead to.
        let last = '';
        await waitUntil(async () => {
            const [records, cards] = await Promise.all([storedRecords(), cardsByThread(ch.id)]);
            const problems: string[] = [];
            for (const [i, a] of alerts.entries()) {
                const r = records.get(a.thirdparty_id);
                const want = planOf.get(a.thirdparty_id) as State;
                const thread = cards.get(posts[i].id) || [];
                let problem = '';
                if (!r) {
                    problem = 'no record';
                } else if (r.root_id !== posts[i].id) {
                    problem = `the record follows thread ${r.root_id}`;
                } else if (r.status.state !== want) {
                    problem = `the record is ${r.status.state}, its events lead to ${want}`;
                } else if (thread.length === 1) {
                    problem = cardProblem(thread[0], r);
                } else {
                    problem = `${thread.length} cards in the thread`;
                }
                if (problem) {
                    problems.push(`${a.thirdparty_id}: ${problem}`);
                }
            }
            last = `${problems.length} of ${ALERTS} cards not right, e.g. ${problems.slice(0, 3).join('; ')}`;
            return problems.length === 0;
        }, 'every card to show its record', CARDS_RIGHT_WITHIN_MS).catch((err) => {
            throw new Error(`${err instanceof Error ? err.message : err}: ${last}`);
        });
        const right = Date.now();

        figures.events = {
            alerts: ALERTS,
            sent: events.length,
            in_flight: IN_FLIGHT,
            answers_by_status: count((a) => String(a.status)),
            answers_by_result: count((a) => a.result),
            answer_ms: {p50: percentile(ms, 50), p99: percentile(ms, 99), max: ms[ms.length - 1]},
            all_answered_after_ms: answered - started,
            every_card_right_after_last_answer_ms: right - answered,
            final_states: Object.fromEntries(plans.map((p) => [p, [...planOf.values()].filter((x) => x === p).length])),
        };
        console.log(`bursts: ${JSON.stringify(figures.events)}`);
        expect(answers.filter((a) => a.status >= 500)).toEqual([]);
        expect(count((a) => String(a.status))).toEqual({200: events.length});
    });

    test(`${CONCURRENT_POSTS} concurrent trigger posts in one channel: ${CONCURRENT_POSTS} alerts, ${CONCURRENT_POSTS} cards, an acknowledge reaches its own card only`, async () => {
        const ch = await channelNamed('bursts-twenty');
        const refs = Array.from({length: CONCURRENT_POSTS}, () => ref());
        const posts = await Promise.all(refs.map((r) => post(w.alice, ch.id, `outage all at once ${r}`)));
        for (const r of refs) {
            await pt.waitFor(r, {status: 200, path: PATHS.mattermost, timeoutMs: 30000});
        }
        const alerts = refs.map((r) => pt.alertFor(r));
        const ids = new Set(alerts.map((a) => a.thirdparty_id));
        const createAts = new Set(posts.map((p) => p.create_at));
        const moved = alerts.filter((a, i) => a.thirdparty_id !== `${ch.id}.${posts[i].create_at}`).length;
        expect(ids.size).toBe(CONCURRENT_POSTS);
        for (const a of alerts) {
            expect(a.thirdparty_id).toMatch(new RegExp(`^${ch.id}\\.\\d{13}$`));
        }
        expect(pt.matching('outage all at once', PATHS.mattermost)).toHaveLength(CONCURRENT_POSTS); // one request per post

        // Each post's thread has its own card; no thread has two.
        await waitUntil(async () => {
            const cards = await cardsByThread(ch.id);
            return posts.every((p) => cards.get(p.id)?.length === 1) && cards.size === CONCURRENT_POSTS;
        }, `${CONCURRENT_POSTS} cards, one in each post's thread`, 30000);

        // An acknowledge of one alert is drawn on that alert's card, and on no other.
        const k = 7;
        const res = await pt.send(pt.event(alerts[k], 'alert.acknowledged', ANN));
        expect(res.status).toBe(200);
        expect(res.text).toContain('"applied"');
        await waitUntil(async () => {
            const card = (await cardsByThread(ch.id)).get(posts[k].id)?.[0];
            return Boolean(card && fields(card).Status === 'Acknowledged');
        }, 'the acknowledged card');
        await nothingMoreWithin(1500, 'the acknowledge to change only its own card', async () => {
            const cards = await cardsByThread(ch.id);
            const shown = posts.map((p) => fields((cards.get(p.id) as Attachment[])[0]));
            expect(shown.map((f) => f.Status)).toEqual(posts.map((_, i) => (i === k ? 'Acknowledged' : 'Open')));
            expect(shown[k]['Acknowledged by']).toBe('@alice');
        });
        figures.concurrent_posts = {
            posts: CONCURRENT_POSTS,
            distinct_create_at: createAts.size,
            alerts_at_the_stand_in: alerts.length,
            distinct_thirdparty_ids: ids.size,
            timestamps_moved_to_a_free_millisecond: moved,
            cards: CONCURRENT_POSTS,
            acknowledged_card: posts[k].id,
        };
        console.log(`bursts: ${JSON.stringify(figures.concurrent_posts)}`);
    });
});
