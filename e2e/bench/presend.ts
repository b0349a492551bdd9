// The plugin's own share of post → PagerTree in the same run, from its presend_seconds metric
// (the hook's entry to the request written to PagerTree, first attempts of alerts from posts):
// the difference of two readings of the histogram, its mean and its median (interpolated within
// the bucket that holds it).
const METRIC = 'mattermost_plugin_pagertree_presend_seconds';

export type Histogram = {buckets: Array<[number, number]>; sum: number; count: number};
export type Presend = {alerts: number; mean_ms: number; p50_ms: number};

// readPresend reads the histogram from the server's metrics listener, or undefined when it
// cannot (no MM_METRICS_URL, or the plugin exports no such metric).
export async function readPresend(): Promise<Histogram | undefined> {
    const base = process.env.MM_METRICS_URL;
    if (!base) {
        return undefined;
    }
    try {
        const text = await (await fetch(`${base}/plugins/pagertree/metrics`)).text();
        const buckets: Array<[number, number]> = [];
        let sum = NaN;
        let count = NaN;
        for (const line of text.split('\n')) {
            const bucket = line.match(new RegExp(`^${METRIC}_bucket\\{le="([^"]+)"\\} (\\S+)$`));
            if (bucket) {
                buckets.push([bucket[1] === '+Inf' ? Infinity : Number(bucket[1]), Number(bucket[2])]);
            } else if (line.startsWith(`${METRIC}_sum `)) {
                sum = Number(line.split(' ')[1]);
            } else if (line.startsWith(`${METRIC}_count `)) {
                count = Number(line.split(' ')[1]);
            }
        }
        return buckets.length && Number.isFinite(count) ? {buckets, sum, count} : undefined;
    } catch {
        return undefined;
    }
}

// presendBetween is what the alerts between two readings took before their request.
export function presendBetween(before: Histogram | undefined, after: Histogram | undefined): Presend | undefined {
    if (!before || !after || after.count <= before.count) {
        return undefined;
    }
    const n = after.count - before.count;
    const cumulative = after.buckets.map(([le, c], i) => [le, c - (before.buckets[i]?.[1] ?? 0)] as [number, number]);
    const half = n / 2;
    let p50 = NaN;
    let lower = 0;
    let below = 0;
    for (const [le, c] of cumulative) {
        if (c >= half) {
            const upper = Number.isFinite(le) ? le : lower;
            p50 = c === below ? upper : lower + (((upper - lower) * (half - below)) / (c - below));
            break;
        }
        lower = le;
        below = c;
    }
    const round = (s: number) => Math.round(s * 100000) / 100; // seconds → ms, 2 decimals
    return {alerts: n, mean_ms: round((after.sum - before.sum) / n), p50_ms: round(p50)};
}
