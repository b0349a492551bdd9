// make bench-e2e: the plugin side by side with Mattermost's built-in outgoing webhook on a real
// server (started by ../run.sh with E2E_SUITE=bench), all measured in one run. Prints a table
// with the targets of DESIGN §11 and writes the figures as JSON (BENCH_JSON, default
// e2e/.run/bench.json). Sizes can be lowered for a quick try (BENCH_BURST=100 …).
// BENCH_PHASES=a,a′,b,c,d,e (default all; a′ also written a') runs only those phases (e needs b).
// BENCH_ROUTES=N (default 0) configures N routes over 10·N channels; the post path posts in one.
import fs from 'fs';
import os from 'os';
import path from 'path';

import {events} from './events';
import type {Events} from './events';
import {floor} from './floor';
import type {Floor} from './floor';
import {kvCounters, perAlert} from './kvstats';
import type {KVPerAlert} from './kvstats';
import {burst, latency, outage, postPath, quiet} from './phases';
import type {Burst, Context, Latency, Outage, PostPath} from './phases';
import {presendBetween, readPresend} from './presend';
import type {Presend} from './presend';
import {CHANNELS_PER_ROUTE, setUpRoutes} from './routes';
import {TOKEN, activate, addBuiltinWebhook, buildNoopBundle, createBench, installPagerTree, uploadNoop} from './setup';
import {Tracker} from './tracker';

import {PATHS, PagerTreeStandIn} from '../src/stand_in';
import type {World} from '../src/world';
import {setPluginSettings} from '../src/world';

const env = (name: string, dflt: number): number => Number(process.env[name] || dflt);
const SIZES = {
    latencyPosts: env('BENCH_LATENCY_POSTS', 200),
    floorWrites: env('BENCH_FLOOR_WRITES', 200),
    burstPosts: env('BENCH_BURST', 1000),
    clients: env('BENCH_CLIENTS', 20),
    postRounds: env('BENCH_POST_ROUNDS', 10),
    postBlock: env('BENCH_POST_BLOCK', 100),
    outageAlerts: env('BENCH_OUTAGE_ALERTS', 300),
    outageMs: env('BENCH_OUTAGE_MS', 60000),
    events: env('BENCH_EVENTS', 1000),
    eventsInFlight: env('BENCH_EVENTS_IN_FLIGHT', 25),
};

const PHASES = ['a', 'a′', 'b', 'c', 'd', 'e'] as const;
type Phase = typeof PHASES[number];

// phasesWanted reads BENCH_PHASES before anything starts: a wrong name is refused, not skipped.
function phasesWanted(text: string): Set<Phase> {
    if (text.trim() === '') {
        return new Set(PHASES);
    }
    const want = new Set<Phase>();
    for (const raw of text.split(',')) {
        const id = raw.trim().replace("'", '′');
        if (!(PHASES as readonly string[]).includes(id)) {
            throw new Error(`BENCH_PHASES is a comma-separated list of ${PHASES.join(', ')} (got "${raw.trim()}")`);
        }
        want.add(id as Phase);
    }
    if (want.has('e') && !want.has('b')) {
        throw new Error('BENCH_PHASES: phase e sends events about the alerts of phase b\'s burst, so it needs b too');
    }
    return want;
}

// routesWanted reads BENCH_ROUTES: a whole number up to the plugin's limit of 100 routes.
function routesWanted(text: string): number {
    const n = Number(text || 0);
    if (!Number.isInteger(n) || n < 0 || n > 100) {
        throw new Error(`BENCH_ROUTES is how many routes to configure, a whole number from 0 to 100 (got "${text}")`);
    }
    return n;
}

const LABELS = {none: 'no plugin', noop: 'do-nothing plugin', plugin: 'this plugin'};

function line(label: string, value: string): void {
    console.log(`  ${label.padEnd(52)} ${value}`);
}

function phase(name: string): void {
    console.log(`\n== ${name} (${new Date().toISOString().slice(11, 19)})`);
}

async function main(): Promise<void> {
    const want = phasesWanted(process.env.BENCH_PHASES || '');
    const nRoutes = routesWanted(process.env.BENCH_ROUTES || '');
    const url = process.env.MM_URL || '';
    const bundle = process.env.PLUGIN_BUNDLE || '';
    const serverLog = process.env.MM_SERVER_LOG || '';
    if (!url || !bundle) {
        throw new Error('run the benchmark with make bench-e2e (e2e/run.sh starts Mattermost and sets MM_URL and PLUGIN_BUNDLE)');
    }
    const root = path.resolve(__dirname, '..', '..', '..', '..');
    const runDir = path.join(root, 'e2e', '.run');
    const started = Date.now();

    phase('setup');
    const pt = new PagerTreeStandIn(TOKEN);
    await pt.start();
    const b = await createBench(url, SIZES.clients);
    await addBuiltinWebhook(b, pt, 'outage');
    const settings = {
        Enabled: true,
        EndpointURL: pt.url + PATHS.mattermost,
        Token: TOKEN,
        Format: 'mattermost',
        TriggerWords: 'outage, sev-1, #page',
        MatchMode: 'whole_word',
        DefaultUrgency: 'pagertree_default',
        OneAlertPerThread: true,
        RetryWindowMinutes: 60,
        ReactionEmoji: 'rotating_light',
        ReplyInThread: true,
    };
    await setPluginSettings({admin: b.admin} as World, settings);
    await installPagerTree(b, bundle);
    await uploadNoop(b, buildNoopBundle(root, runDir));
    await activate(b, 'plugin');
    const c: Context = {b, pt, tracker: new Tracker(pt), serverLog};
    console.log(`  server ${url}, ${SIZES.clients} posting users, plugin settings: defaults, Mattermost format, trigger "outage"`);
    if (nRoutes > 0) {
        const r = await setUpRoutes(b, pt, nRoutes);
        b.postChannel = r.postChannel;
        console.log(`  routes: ${r.routes} routes of ${CHANNELS_PER_ROUTE} channels each (${r.channels} channels made), each with its own trigger words;` +
            ` no team routes (the bench has one team); non-trigger posts go to ~${r.postChannel.name}, in a route`);
    }
    if (want.size < PHASES.length) {
        console.log(`  phases: ${[...want].join(', ')} only (BENCH_PHASES)`);
    }
    const loadAtStart = os.loadavg().map((x) => x.toFixed(2)).join(' ');
    console.log(`  machine: ${os.cpus().length} CPUs, load average ${loadAtStart} (1, 5, 15 min)`);

    type Target = {target: string; value: string | number; met: boolean};
    const targets: Target[] = [];
    let lat: Latency | undefined;
    let presend: Presend | undefined;
    if (want.has('a')) {
        phase(`(a) post → PagerTree latency, ${SIZES.latencyPosts} sequential posts`);
        const presendBefore = await readPresend();
        lat = await latency(c, SIZES.latencyPosts, 5);
        presend = presendBetween(presendBefore, await readPresend());
        line('built-in webhook p50 / p95 / p99 (ms)', `${lat.builtin.p50} / ${lat.builtin.p95} / ${lat.builtin.p99}`);
        line('plugin p50 / p95 / p99 (ms)', `${lat.plugin.p50} / ${lat.plugin.p95} / ${lat.plugin.p99}`);
        line('ratio p50 / p95 / p99 (target ≤ 1.2 / ≤ 1.3 / –)', `${lat.ratio_p50} / ${lat.ratio_p95} / ${lat.ratio_p99}`);
        line('plugin − built-in p50 / p95 / p99 (ms)', `${lat.diff_p50_ms} / ${lat.diff_p95_ms} / ${lat.diff_p99_ms}`);
        line('lost: built-in / plugin', `${lat.lost.builtin} / ${lat.lost.plugin}`);
        if (presend) {
            line('plugin pre-send (hook → request written) p50 / mean (ms)', `${presend.p50_ms} / ${presend.mean_ms} (presend_seconds, ${presend.alerts} alerts)`);
        }
        targets.push(
            {target: 'latency p50 ≤ 1.2× built-in', value: lat.ratio_p50, met: lat.ratio_p50 <= 1.2},
            {target: 'latency p95 ≤ 1.3× built-in', value: lat.ratio_p95, met: lat.ratio_p95 <= 1.3},
        );
    }

    let fl: Floor | undefined;
    if (want.has('a′')) {
        phase(`(a′) the floor: one plugin KV write through the plugin API, ${SIZES.floorWrites} times`);
        fl = await floor(c, SIZES.floorWrites);
        line('one write p50 / p95 / p99 (ms)', `${fl.one.p50} / ${fl.one.p95} / ${fl.one.p99}`);
        line('two writes at once p50 / p95 (ms)', `${fl.two_parallel.p50} / ${fl.two_parallel.p95}`);
        line('four writes at once p50 / p95 (ms)', `${fl.four_parallel.p50} / ${fl.four_parallel.p95}`);
        if (lat) {
            const budget = Math.round((fl.one.p50 + 1) * 100) / 100;
            line('plugin − built-in p50 vs one write + 1 ms (ms)', `${lat.diff_p50_ms} vs ${budget}`);
            targets.push({target: 'latency plugin − built-in p50 ≤ one KV write + 1 ms', value: `${lat.diff_p50_ms} ≤ ${budget}`, met: lat.diff_p50_ms <= budget});
        }
    }

    let bu: Burst | undefined;
    let burstKV: KVPerAlert | undefined;
    if (want.has('b')) {
        phase(`(b) burst: ${SIZES.burstPosts} trigger posts from ${SIZES.clients} clients`);
        const kvBefore = kvCounters();
        bu = await burst(c, SIZES.burstPosts, SIZES.clients, 120000);
        await quiet(c); // the cards, reactions and replies are written too
        await new Promise((r) => setTimeout(r, 1500)); // the server flushes its table counters
        burstKV = perAlert(kvBefore, kvCounters(), SIZES.burstPosts);
        line('posting took (ms)', `${bu.posting_ms}`);
        for (const p of ['builtin', 'plugin'] as const) {
            const r = bu[p];
            line(`${p}: last delivery after first post (ms)`, `${r.last_after_first_post_ms}`);
            line(`${p}: delivered / lost / duplicates / requests`, `${r.delivered} / ${r.lost} / ${r.duplicates} / ${r.requests}`);
        }
        line('ratio of last deliveries (target ≤ 1.2)', `${bu.ratio_last}`);
        for (const p of ['builtin', 'plugin'] as const) {
            line(`${p}: post → delivery p50 / p95 / max (ms)`, `${bu.lag_ms[p].p50} / ${bu.lag_ms[p].p95} / ${bu.lag_ms[p].max}`);
        }
        if (burstKV) {
            line('plugin KV table per alert: writes / lookups', `${burstKV.writes} / ${burstKV.lookups} (inserted ${burstKV.inserted}, updated ${burstKV.updated}, deleted ${burstKV.deleted})`);
        }
        targets.push(
            {target: 'burst last delivery ≤ 1.2× built-in', value: bu.ratio_last, met: bu.ratio_last <= 1.2},
            {target: 'burst all delivered, no duplicates', value: `${bu.plugin.delivered}/${bu.posts}, ${bu.plugin.duplicates} dup`, met: bu.plugin.delivered === bu.posts && bu.plugin.duplicates === 0},
        );
    }

    let pp: PostPath | undefined;
    if (want.has('c')) {
        phase(`(c) POST /posts, non-trigger posts, ${SIZES.postRounds} rounds × 3 blocks of ${SIZES.postBlock}`);
        pp = await postPath(c, SIZES.postRounds, SIZES.postBlock, 10);
        for (const k of ['none', 'noop', 'plugin'] as const) {
            line(`${LABELS[k]}: median / p95 (ms)`, `${pp[k].p50} / ${pp[k].p95}`);
        }
        line('this plugin ÷ do-nothing, median (target ≤ 1.02)', `${pp.ratio_plugin_vs_noop_median}`);
        line('this plugin ÷ do-nothing, p95', `${pp.ratio_plugin_vs_noop_p95}`);
        line('do-nothing ÷ no plugin, median', `${pp.ratio_noop_vs_none_median}`);
        targets.push({target: 'non-trigger post median ≤ 1.02× do-nothing plugin', value: pp.ratio_plugin_vs_noop_median, met: pp.ratio_plugin_vs_noop_median <= 1.02});
    }

    let out: Outage | undefined;
    if (want.has('d')) {
        phase(`(d) ${SIZES.outageAlerts} alerts posted while PagerTree answers 503 for ${SIZES.outageMs / 1000} s`);
        out = await outage(c, SIZES.outageAlerts, SIZES.clients, SIZES.outageMs, 150000);
        line('posting took (ms)', `${out.posting_ms}`);
        line('plugin: last delivery after recovery (ms, target ≤ 5000)', `${out.plugin.last_after_recovery_ms}`);
        line('plugin: delivered / exactly once / duplicates', `${out.plugin.delivered} / ${out.plugin.exactly_once} / ${out.plugin.duplicates}`);
        line('plugin: requests, per alert (target ≤ 2)', `${out.plugin.requests}, ${out.plugin.requests_per_alert}`);
        line('plugin: warning/error lines in the server log', `${out.plugin.log_lines}`);
        line('built-in: delivered (requests)', `${out.builtin.delivered} (${out.builtin.requests})`);
        targets.push(
            {target: 'outage: all delivered ≤ 5 s after recovery', value: out.plugin.last_after_recovery_ms, met: out.plugin.delivered === out.alerts && out.plugin.last_after_recovery_ms <= 5000},
            {target: 'outage: ≤ 2 requests per alert', value: out.plugin.requests_per_alert, met: out.plugin.requests_per_alert <= 2},
            {target: 'outage: exactly once', value: `${out.plugin.exactly_once}/${out.alerts}`, met: out.plugin.exactly_once === out.alerts},
        );
    }

    let ev: Events | undefined;
    if (want.has('e')) {
        phase(`(e) PagerTree's events: ${SIZES.events} events, ${SIZES.eventsInFlight} in flight, about the burst's alerts`);
        ev = await events(c, SIZES.events, SIZES.eventsInFlight, 'B', 120000);
        line('sending took (ms)', `${ev.sending_ms}`);
        line('answer p50 / p95 / p99 / max (ms)', `${ev.answer_ms.p50} / ${ev.answer_ms.p95} / ${ev.answer_ms.p99} / ${ev.answer_ms.max}`);
        line('answers by status', JSON.stringify(ev.statuses));
        line('answers by result', JSON.stringify(ev.results));
        line(`cards showing Acknowledged (of ${ev.alerts})`, `${ev.cards_right}`);
        line('every card right after the first event (ms)', `${ev.all_cards_right_ms}`);
        const fiveXX = Object.entries(ev.statuses).filter(([k]) => Number(k) >= 500 || k === '0').reduce((n, [, v]) => n + v, 0);
        targets.push(
            {target: 'events: no 5xx (or no answer)', value: fiveXX, met: fiveXX === 0},
            {target: 'events: every card right', value: `${ev.cards_right}/${ev.alerts}`, met: ev.cards_right >= ev.alerts},
        );
    }

    phase('targets');
    for (const t of targets) {
        line(`${t.met ? 'met    ' : 'NOT met'} ${t.target}`, String(t.value));
    }

    // A phase that did not run, and the routes and phases when left at their defaults, are
    // left out (undefined): the default run's JSON is what it always was.
    const result = {
        when: new Date().toISOString(),
        machine: {cpus: os.cpus().length, loadavg_at_start: loadAtStart, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100)},
        commit: process.env.BENCH_COMMIT || '',
        sizes: SIZES,
        routes: nRoutes > 0 ? {routes: nRoutes, channels: nRoutes * CHANNELS_PER_ROUTE, team_routes: 0} : undefined,
        phases: want.size < PHASES.length ? [...want] : undefined,
        latency: lat,
        floor: fl,
        presend,
        burst: bu,
        burst_kv_per_alert: burstKV,
        post_path: pp,
        outage: out,
        events: ev,
        targets,
        duration_s: Math.round((Date.now() - started) / 1000),
    };
    const file = process.env.BENCH_JSON || path.join(runDir, 'bench.json');
    fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    console.log(`\nbench: ${result.duration_s} s; load average at the end ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}; JSON in ${file}`);
    await pt.stop();
}

main().catch((err) => {
    console.error('bench failed:', err);

    // The stand-in and keep-alive connections would keep the process (and run.sh) waiting.
    // eslint-disable-next-line no-process-exit
    process.exit(1);
});
