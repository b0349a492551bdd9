// make bench-e2e: the plugin side by side with Mattermost's built-in outgoing webhook on a real
// server (started by ../run.sh with E2E_SUITE=bench), all measured in one run. Prints a table
// with the targets of DESIGN §11 and writes the figures as JSON (BENCH_JSON, default
// e2e/.run/bench.json). Sizes can be lowered for a quick try (BENCH_BURST=100 …).
import fs from 'fs';
import os from 'os';
import path from 'path';

import {burst, latency, outage, postPath} from './phases';
import type {Context} from './phases';
import {TOKEN, activate, addBuiltinWebhook, buildNoopBundle, createBench, installPagerTree, uploadNoop} from './setup';
import {Tracker} from './tracker';

import {PATHS, PagerTreeStandIn} from '../src/stand_in';
import type {World} from '../src/world';
import {setPluginSettings} from '../src/world';

const env = (name: string, dflt: number): number => Number(process.env[name] || dflt);
const SIZES = {
    latencyPosts: env('BENCH_LATENCY_POSTS', 50),
    burstPosts: env('BENCH_BURST', 1000),
    clients: env('BENCH_CLIENTS', 20),
    postRounds: env('BENCH_POST_ROUNDS', 10),
    postBlock: env('BENCH_POST_BLOCK', 100),
    outageAlerts: env('BENCH_OUTAGE_ALERTS', 300),
    outageMs: env('BENCH_OUTAGE_MS', 60000),
};

const LABELS = {none: 'no plugin', noop: 'do-nothing plugin', plugin: 'this plugin'};

function line(label: string, value: string): void {
    console.log(`  ${label.padEnd(52)} ${value}`);
}

function phase(name: string): void {
    console.log(`\n== ${name} (${new Date().toISOString().slice(11, 19)})`);
}

async function main(): Promise<void> {
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

    phase(`(a) post → PagerTree latency, ${SIZES.latencyPosts} sequential posts`);
    const lat = await latency(c, SIZES.latencyPosts, 5);
    line('built-in webhook p50 / p95 (ms)', `${lat.builtin.p50} / ${lat.builtin.p95}`);
    line('plugin p50 / p95 (ms)', `${lat.plugin.p50} / ${lat.plugin.p95}`);
    line('ratio p50 / p95 (target ≤ 1.2 / ≤ 1.5)', `${lat.ratio_p50} / ${lat.ratio_p95}`);

    phase(`(b) burst: ${SIZES.burstPosts} trigger posts from ${SIZES.clients} clients`);
    const bu = await burst(c, SIZES.burstPosts, SIZES.clients, 120000);
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

    phase(`(c) POST /posts, non-trigger posts, ${SIZES.postRounds} rounds × 3 blocks of ${SIZES.postBlock}`);
    const pp = await postPath(c, SIZES.postRounds, SIZES.postBlock, 10);
    for (const k of ['none', 'noop', 'plugin'] as const) {
        line(`${LABELS[k]}: median / p95 (ms)`, `${pp[k].p50} / ${pp[k].p95}`);
    }
    line('this plugin ÷ do-nothing, median (target ≤ 1.02)', `${pp.ratio_plugin_vs_noop_median}`);
    line('this plugin ÷ do-nothing, p95', `${pp.ratio_plugin_vs_noop_p95}`);
    line('do-nothing ÷ no plugin, median', `${pp.ratio_noop_vs_none_median}`);

    phase(`(d) ${SIZES.outageAlerts} alerts posted while PagerTree answers 503 for ${SIZES.outageMs / 1000} s`);
    const out = await outage(c, SIZES.outageAlerts, SIZES.clients, SIZES.outageMs, 150000);
    line('posting took (ms)', `${out.posting_ms}`);
    line('plugin: last delivery after recovery (ms, target ≤ 5000)', `${out.plugin.last_after_recovery_ms}`);
    line('plugin: delivered / exactly once / duplicates', `${out.plugin.delivered} / ${out.plugin.exactly_once} / ${out.plugin.duplicates}`);
    line('plugin: requests, per alert (target ≤ 2)', `${out.plugin.requests}, ${out.plugin.requests_per_alert}`);
    line('plugin: warning/error lines in the server log', `${out.plugin.log_lines}`);
    line('built-in: delivered (requests)', `${out.builtin.delivered} (${out.builtin.requests})`);

    const targets = [
        {target: 'latency p50 ≤ 1.2× built-in', value: lat.ratio_p50, met: lat.ratio_p50 <= 1.2},
        {target: 'latency p95 ≤ 1.5× built-in', value: lat.ratio_p95, met: lat.ratio_p95 <= 1.5},
        {target: 'burst last delivery ≤ 1.2× built-in', value: bu.ratio_last, met: bu.ratio_last <= 1.2},
        {target: 'burst all delivered, no duplicates', value: `${bu.plugin.delivered}/${bu.posts}, ${bu.plugin.duplicates} dup`, met: bu.plugin.delivered === bu.posts && bu.plugin.duplicates === 0},
        {target: 'non-trigger post median ≤ 1.02× do-nothing plugin', value: pp.ratio_plugin_vs_noop_median, met: pp.ratio_plugin_vs_noop_median <= 1.02},
        {target: 'outage: all delivered ≤ 5 s after recovery', value: out.plugin.last_after_recovery_ms, met: out.plugin.delivered === out.alerts && out.plugin.last_after_recovery_ms <= 5000},
        {target: 'outage: ≤ 2 requests per alert', value: out.plugin.requests_per_alert, met: out.plugin.requests_per_alert <= 2},
        {target: 'outage: exactly once', value: `${out.plugin.exactly_once}/${out.alerts}`, met: out.plugin.exactly_once === out.alerts},
    ];
    phase('targets');
    for (const t of targets) {
        line(`${t.met ? 'met    ' : 'NOT met'} ${t.target}`, String(t.value));
    }

    const result = {
        when: new Date().toISOString(),
        machine: {cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100)},
        commit: process.env.BENCH_COMMIT || '',
        sizes: SIZES,
        latency: lat,
        burst: bu,
        post_path: pp,
        outage: out,
        targets,
        duration_s: Math.round((Date.now() - started) / 1000),
    };
    const file = process.env.BENCH_JSON || path.join(runDir, 'bench.json');
    fs.writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
    console.log(`\nbench: ${result.duration_s} s; JSON in ${file}`);
    await pt.stop();
}

main().catch((err) => {
    console.error('bench failed:', err);

    // The stand-in and keep-alive connections would keep the process (and run.sh) waiting.
    // eslint-disable-next-line no-process-exit
    process.exit(1);
});
