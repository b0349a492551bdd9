// The floor of the post → PagerTree latency: what one plugin KV write through the plugin API
// costs on this server, timed inside the bench's measuring plugin (./noop-plugin, never shipped)
// in the same run. The plugin must make an alert durable before sending it, the built-in webhook
// does not: the target is plugin − built-in ≤ one such write + 1 ms.
import type {Context} from './phases';
import {NOOP_ID, activate} from './setup';
import {summary} from './stats';
import type {Summary} from './stats';

export type Floor = {writes: number; one: Summary; two_parallel: Summary; four_parallel: Summary};

async function timeWrites(c: Context, n: number, parallel: number, warmup: number): Promise<Summary> {
    const ms: number[] = [];
    for (let i = 0; i < warmup + n; i++) {
        const res = await fetch(`${c.b.url}/plugins/${NOOP_ID}/kvwrite?n=${parallel}`, {
            method: 'POST',
            headers: {Authorization: `Bearer ${c.b.admin.getToken()}`},
        });
        const body = await res.json() as {micros: number; failed: number};
        if (res.status !== 200 || body.failed > 0) {
            throw new Error(`the measuring plugin's KV write failed: ${res.status} ${JSON.stringify(body)}`);
        }
        if (i >= warmup) {
            ms.push(body.micros / 1000);
        }
    }
    return summary(ms);
}

// floor times n sequential single writes, and n rounds of 2 and of 4 writes at once (what
// parallel writes cost on this server: the pre-send path's budget).
export async function floor(c: Context, n: number): Promise<Floor> {
    await activate(c.b, 'noop');
    try {
        const one = await timeWrites(c, n, 1, 10);
        const twoParallel = await timeWrites(c, n, 2, 5);
        const fourParallel = await timeWrites(c, n, 4, 5);
        return {writes: n, one, two_parallel: twoParallel, four_parallel: fourParallel};
    } finally {
        await activate(c.b, 'plugin');
    }
}
