// Two Mattermost nodes on one PostgreSQL database (run by ../run.sh with E2E_TWO_NODES=1, in a phase
// of its own): configuration in the database, plugin and file directories shared, as a cluster
// shares them. Node A is killed (SIGKILL) while it is sending alerts during a PagerTree outage;
// node B must deliver every one of them exactly once, and only after A's lease has run out.
//
// What this does not cover: Team Edition has no cluster messaging, so nothing here exercises the
// plugin's behaviour under cluster events (config pushed to other nodes, plugin installs and
// enables spread by the cluster, the server's own KV cache invalidation between nodes). Settings
// are made before node B starts, so B reads them from the database at startup.
import {spawn} from 'child_process';
import type {ChildProcess} from 'child_process';
import fs from 'fs';
import net from 'net';
import path from 'path';

import {scenarioSettings} from '../src/scenario_settings';
import {PagerTreeStandIn} from '../src/stand_in';
import {client, createWorld, installPlugin, nothingMoreWithin, post, ref, setPluginSettings, waitUntil} from '../src/world';
import type {World} from '../src/world';

const TOKEN = 'e2e-token';
const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';
const START_NODE = process.env.E2E_START_NODE || '';
const RUN_DIR = process.env.E2E_RUN || '';
const NODE_A_PID = Number(process.env.MM_SERVER_PID || 0);

// The outbox's default lease (server/delivery/outbox.go): the real one, not shortened for the test.
const LEASE_MS = 2 * 60 * 1000;

let w: World;
const pt = new PagerTreeStandIn(TOKEN);
let nodeB: ChildProcess | null = null;
let urlB = '';

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.once('error', reject);
        s.listen(0, '127.0.0.1', () => {
            const port = (s.address() as net.AddressInfo).port;
            s.close(() => resolve(port));
        });
    });
}

async function startNodeB(): Promise<void> {
    const [port, metrics] = [await freePort(), await freePort()];
    urlB = `http://127.0.0.1:${port}`;
    nodeB = spawn(START_NODE, ['b', String(port), String(metrics)], {env: process.env, stdio: 'ignore'});
    fs.writeFileSync(path.join(RUN_DIR, 'node-b.pid'), String(nodeB.pid)); // run.sh stops it if we do not
    await waitUntil(async () => (await fetch(`${urlB}/api/v4/system/ping`)).ok, 'node B to be healthy', 120000);
}

beforeAll(async () => {
    if (!MM_URL || !BUNDLE || !START_NODE || !RUN_DIR || !NODE_A_PID) {
        throw new Error('run this with E2E_TWO_NODES=1 e2e/run.sh: it starts node A and says how to start node B');
    }
    await pt.start();
    w = await createWorld(MM_URL);
    await setPluginSettings(w, scenarioSettings(pt, TOKEN, {
        TriggerWords: 'outage',
        UrgencyAliases: '',
    }));
    await installPlugin(w, BUNDLE);
    await startNodeB();
});

afterAll(async () => {
    const b = nodeB;
    if (b && b.exitCode === null) {
        b.kill('SIGTERM');
        await waitUntil(() => b.exitCode !== null || b.signalCode !== null, 'node B to stop', 15000).catch(() => b.kill('SIGKILL'));
    }
    await pt.stop();
});

test('node A killed mid-send during an outage: node B delivers each alert exactly once after A\'s lease', async () => {
    const adminB = client(urlB, w.admin.getToken());
    await waitUntil(async () => (await adminB.getPluginStatuses()).some((s) => s.plugin_id === 'pagertree' && s.state === 2), 'the plugin to run on node B', 60000);

    // The outage: PagerTree takes the requests and never answers, so node A is in the middle of
    // sending each alert (it holds its lease) when it dies.
    pt.failFor(10 * 60 * 1000, {kind: 'hang'});
    const refs = [ref(), ref(), ref()];
    const posts = [];
    for (const r of refs) {
        posts.push(await post(w.alice, w.ops.id, `outage on node A ${r}`));
    }
    const sent = await Promise.all(refs.map((r) => pt.waitFor(r, {timeoutMs: 8000})));
    process.kill(NODE_A_PID, 'SIGKILL');
    const killedAt = Date.now();
    const leaseStart = Math.min(...sent.map(([rec]) => rec.at));
    pt.clearFailures(); // PagerTree is back; only node B is left to send

    for (const r of refs) {
        await pt.waitFor(r, {status: 200, timeoutMs: LEASE_MS + 90000});
    }
    await nothingMoreWithin(5000, 'each alert delivered once', () => {
        for (const r of refs) {
            const got = pt.matching(r);
            expect(got.filter((x) => x.status === 200)).toHaveLength(1);
            expect(got.map((x) => x.status)).toEqual([0, 200]); // A's hung request, B's accepted one
            // B waited for A's lease: nothing was sent again before it ran out.
            expect(got[1].at).toBeGreaterThanOrEqual(leaseStart + (LEASE_MS - 1000));
        }
    });
    expect(killedAt - leaseStart).toBeLessThan(10000); // A died mid-send (the client timeout is 10 s)
    const delivered = refs.map((r) => pt.matching(r).find((x) => x.status === 200)?.at || 0);
    console.log(`two nodes: A took ${refs.length} alerts and was killed ${((killedAt - leaseStart) / 1000).toFixed(1)} s into its lease; ` +
        `B delivered each once, ${delivered.map((t) => ((t - leaseStart) / 1000).toFixed(1)).join(', ')} s after A's first send (lease ${LEASE_MS / 1000} s)`);

    // The confirmation comes from node B: the reaction on each post.
    for (const p of posts) {
        await waitUntil(async () => (await adminB.getReactionsForPost(p.id)).some((x) => x.emoji_name === 'rotating_light'), 'the reaction from node B');
    }
    const res = await fetch(`${urlB}/plugins/pagertree/api/v1/deliveries?n=20`, {headers: {Authorization: `Bearer ${w.admin.getToken()}`}});
    const {entries} = await res.json() as {entries: Array<{post_id: string; status: string}>};
    for (const p of posts) {
        expect(entries.filter((e) => e.post_id === p.id).map((e) => e.status)).toEqual(['delivered']);
    }
});
