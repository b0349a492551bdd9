// The four measurements of make bench-e2e. Each posts real messages through the REST API and
// reads what the PagerTree stand-in received, for the plugin and the built-in webhook alike.
import fs from 'fs';

import {activate, createPost} from './setup';
import type {Bench} from './setup';
import {ratio, round, summary} from './stats';
import type {Summary} from './stats';
import type {Tracker, Path} from './tracker';

import type {PagerTreeStandIn} from '../src/stand_in';
import {sleep} from '../src/world';

export type Context = {b: Bench; pt: PagerTreeStandIn; tracker: Tracker; serverLog: string};

let seq = 0;

// tag makes a reference that is neither a trigger nor an urgency word.
function tag(phase: string): string {
    seq++;
    return `${phase}${seq}`;
}

// waitAll polls the tracker until every ref is delivered on every path, or the deadline.
async function waitAll(t: Tracker, refs: string[], paths: Path[], deadline: number, pollMs = 100): Promise<void> {
    for (;;) {
        t.update();
        if (paths.every((p) => t.count(p, refs).delivered === refs.length) || Date.now() > deadline) {
            return;
        }
        await sleep(pollMs);
    }
}

// spread runs fn for posts 0..n-1 on `clients` concurrent clients, each with its own user.
async function spread(c: Context, n: number, clients: number, fn: (i: number, poster: number) => Promise<void>): Promise<void> {
    let next = 0;
    await Promise.all(Array.from({length: clients}, async (_, k) => {
        for (let i = next++; i < n; i = next++) {
            await fn(i, k % c.b.posters.length);
        }
    }));
}

export type Latency = {
    posts: number;
    plugin: Summary;
    builtin: Summary;
    lost: Record<Path, number>;
    ratio_p50: number;
    ratio_p95: number;
    ratio_p99: number;

    // plugin − built-in, ms: the plugin's own cost, which does not depend on how fast the built-in was.
    diff_p50_ms: number;
    diff_p95_ms: number;
    diff_p99_ms: number;
};

const hrNow = (): number => performance.timeOrigin + performance.now();

// latency: sequential trigger posts; for each, the time from sending the post to its arrival
// at PagerTree, for both paths (sub-millisecond clocks on both ends: one process).
export async function latency(c: Context, n: number, warmup: number): Promise<Latency> {
    const samples: Record<Path, number[]> = {plugin: [], builtin: []};
    const lost: Record<Path, number> = {plugin: 0, builtin: 0};
    for (let i = 0; i < warmup + n; i++) {
        const ref = tag('L');
        const t0 = hrNow();
        await createPost(c.b, c.b.posters[0], `outage in the checkout service ref=${ref}`);
        await waitAll(c.tracker, [ref], ['plugin', 'builtin'], Date.now() + 10000, 2);
        if (i >= warmup) {
            for (const p of ['plugin', 'builtin'] as Path[]) {
                const at = c.tracker.firstOKHr(p, ref);
                if (at === undefined) {
                    lost[p]++;
                } else {
                    samples[p].push(at - t0);
                }
            }
        }
        await sleep(150); // let the plugin's reaction and reply settle: posts are sparse in life
    }
    const plugin = summary(samples.plugin);
    const builtin = summary(samples.builtin);
    return {
        posts: n,
        plugin,
        builtin,
        lost,
        ratio_p50: ratio(plugin.p50, builtin.p50),
        ratio_p95: ratio(plugin.p95, builtin.p95),
        ratio_p99: ratio(plugin.p99, builtin.p99),
        diff_p50_ms: round(plugin.p50 - builtin.p50),
        diff_p95_ms: round(plugin.p95 - builtin.p95),
        diff_p99_ms: round(plugin.p99 - builtin.p99),
    };
}

export type PathResult = {delivered: number; lost: number; duplicates: number; requests: number; last_after_first_post_ms: number};
export type Burst = {
    posts: number;
    clients: number;
    posting_ms: number;
    plugin: PathResult;
    builtin: PathResult;
    ratio_last: number;

    // Per post, from sending it to its arrival: where the time goes (keeping pace, or falling behind).
    lag_ms: Record<Path, Summary & {max: number}>;
};

// burst: n trigger posts from `clients` concurrent users; when has each path delivered all?
export async function burst(c: Context, n: number, clients: number, timeoutMs: number): Promise<Burst> {
    const refs = Array.from({length: n}, () => tag('B'));
    const sent = new Array<number>(n);
    const t0 = Date.now();
    await spread(c, n, clients, async (i, k) => {
        sent[i] = Date.now();
        await createPost(c.b, c.b.posters[k], `outage reported by the load balancer ref=${refs[i]}`);
    });
    const posted = Date.now();
    await waitAll(c.tracker, refs, ['plugin', 'builtin'], posted + timeoutMs);
    await sleep(3000); // late duplicates would show up now
    c.tracker.update();
    const res = (p: Path): PathResult => {
        const r = c.tracker.count(p, refs);
        return {delivered: r.delivered, lost: n - r.delivered, duplicates: r.duplicates, requests: r.requests, last_after_first_post_ms: r.last ? r.last - t0 : NaN};
    };
    const plugin = res('plugin');
    const builtin = res('builtin');
    const lag = (p: Path) => {
        const lags = refs.map((ref, i) => (c.tracker.firstOK(p, ref) ?? NaN) - sent[i]).filter((x) => !Number.isNaN(x));
        return {...summary(lags), max: Math.max(...lags)};
    };
    return {
        posts: n,
        clients,
        posting_ms: posted - t0,
        plugin,
        builtin,
        ratio_last: ratio(plugin.last_after_first_post_ms, builtin.last_after_first_post_ms),
        lag_ms: {plugin: lag('plugin'), builtin: lag('builtin')},
    };
}

// quiet waits until the plugin's reactions and replies for the burst before are all posted
// (the channel's message count stops growing), so they do not weigh on the blocks measured.
export async function quiet(c: Context): Promise<void> {
    const deadline = Date.now() + 90000;
    let last = -1;
    let still = 0;
    while (still < 3 && Date.now() < deadline) {
        const count = (await c.b.admin.getChannel(c.b.channel.id)).total_msg_count;
        still = count === last ? still + 1 : 0;
        last = count;
        await sleep(1000);
    }
}

export type Config = 'none' | 'noop' | 'plugin';
export type PostPath = {
    rounds: number;
    per_block: number;
    none: Summary;
    noop: Summary;
    plugin: Summary;
    ratio_plugin_vs_noop_median: number;
    ratio_plugin_vs_noop_p95: number;
    ratio_noop_vs_none_median: number;
    block_medians: Record<Config, number[]>;
};

// postPath: POST /posts latency of non-trigger posts with no plugin, the do-nothing plugin and
// this plugin, in alternating blocks (the order rotates each round) so drift in the machine's
// load hits all three alike. The posts go to the bench's post channel (with BENCH_ROUTES, one
// in a route: the gate then weighs that route's trigger words too).
export async function postPath(c: Context, rounds: number, perBlock: number, warmup: number): Promise<PostPath> {
    const configs: Config[] = ['none', 'noop', 'plugin'];
    const samples: Record<Config, number[]> = {none: [], noop: [], plugin: []};
    const blockMedians: Record<Config, number[]> = {none: [], noop: [], plugin: []};
    await quiet(c);
    for (let r = 0; r < rounds; r++) {
        for (let k = 0; k < configs.length; k++) {
            const cfg = configs[(k + r) % configs.length];
            await activate(c.b, cfg);
            const block: number[] = [];
            for (let i = 0; i < warmup + perBlock; i++) {
                const took = await createPost(c.b, c.b.posters[i % c.b.posters.length], `just chatting about lunch plans, item ${i}`, c.b.postChannel.id);
                if (i >= warmup) {
                    block.push(took);
                }
            }
            samples[cfg].push(...block);
            blockMedians[cfg].push(summary(block).p50);
        }
    }
    await activate(c.b, 'plugin');
    const [none, noop, plugin] = configs.map((k) => summary(samples[k]));
    return {
        rounds,
        per_block: perBlock,
        none,
        noop,
        plugin,
        ratio_plugin_vs_noop_median: ratio(plugin.p50, noop.p50),
        ratio_plugin_vs_noop_p95: ratio(plugin.p95, noop.p95),
        ratio_noop_vs_none_median: ratio(noop.p50, none.p50),
        block_medians: blockMedians,
    };
}

export type Outage = {
    alerts: number;
    outage_ms: number;
    posting_ms: number;
    plugin: PathResult & {last_after_recovery_ms: number; requests_per_alert: number; exactly_once: number; log_lines: number};
    builtin: {delivered: number; requests: number};
};

// pluginLogLines counts the plugin's warning and error lines written to the server log since offset.
function pluginLogLines(file: string, offset: number): number {
    let text = '';
    try {
        const fd = fs.openSync(file, 'r');
        const size = fs.fstatSync(fd).size;
        const buf = Buffer.alloc(Math.max(0, size - offset));
        fs.readSync(fd, buf, 0, buf.length, offset);
        fs.closeSync(fd);
        text = buf.toString('utf8');
    } catch {
        return NaN;
    }
    return text.split('\n').filter((l) => l.includes('"plugin_id":"pagertree"') && (/"level":"(warn|error)"/).test(l)).length;
}

function logSize(file: string): number {
    try {
        return fs.statSync(file).size;
    } catch {
        return 0;
    }
}

// outage: PagerTree answers 503 for outageMs while n alerts are posted; how soon after it
// recovers is everything delivered, with how many requests, and how much log?
export async function outage(c: Context, n: number, clients: number, outageMs: number, timeoutMs: number): Promise<Outage> {
    const refs = Array.from({length: n}, () => tag('D'));
    const logFrom = logSize(c.serverLog);
    const t0 = Date.now();
    c.pt.failFor(outageMs, {kind: 'status', status: 503});
    const recovery = t0 + outageMs;
    await spread(c, n, clients, async (i, k) => {
        await createPost(c.b, c.b.posters[k], `outage of the payment gateway ref=${refs[i]}`);
    });
    const posted = Date.now();
    await sleep(Math.max(0, recovery - Date.now()));
    await waitAll(c.tracker, refs, ['plugin'], recovery + timeoutMs);
    await sleep(3000);
    c.tracker.update();
    const r = c.tracker.count('plugin', refs);
    const once = refs.filter((ref) => c.tracker.arrivals('plugin', ref).filter((a) => a.status >= 200 && a.status < 300).length === 1).length;
    const builtin = c.tracker.count('builtin', refs);
    return {
        alerts: n,
        outage_ms: outageMs,
        posting_ms: posted - t0,
        plugin: {
            delivered: r.delivered,
            lost: n - r.delivered,
            duplicates: r.duplicates,
            requests: r.requests,
            last_after_first_post_ms: r.last ? r.last - t0 : NaN,
            last_after_recovery_ms: r.last ? r.last - recovery : NaN,
            requests_per_alert: round(r.requests / n),
            exactly_once: once,
            log_lines: pluginLogLines(c.serverLog, logFrom),
        },
        builtin: {delivered: builtin.delivered, requests: builtin.requests},
    };
}
