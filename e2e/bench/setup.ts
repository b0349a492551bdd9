// The benchmark's world on the real server: an admin, many posting users (one per concurrent
// client), a public channel, the built-in outgoing webhook the plugin replaces, the plugin, and
// a do-nothing plugin built on the fly from ./noop-plugin (the floor for any post-watching plugin).
import {execFileSync} from 'child_process';
import fs from 'fs';
import path from 'path';

import type {Client4} from '@mattermost/client';
import type {Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {PATHS} from '../src/stand_in';
import type {PagerTreeStandIn} from '../src/stand_in';
import {PASSWORD, client, installPlugin, waitUntil} from '../src/world';
import type {World} from '../src/world';

export const TOKEN = 'bench-token';
export const NOOP_ID = 'bench-noop';
export const PLUGIN_ID = 'pagertree';

export type Poster = {token: string; userId: string};

export type Bench = {
    url: string;
    admin: Client4;
    team: Team;
    channel: Channel;

    // Where the post path posts its non-trigger posts: the channel above, or with
    // BENCH_ROUTES a channel in a route (routes.ts).
    postChannel: Channel;
    posters: Poster[];
};

export async function createBench(url: string, posters: number): Promise<Bench> {
    const admin = client(url);
    await admin.createUser({email: 'admin@example.com', username: 'admin', password: PASSWORD} as UserProfile, '', '');
    await admin.login('admin', PASSWORD);
    const team = await admin.createTeam({name: 'bench', display_name: 'Bench', type: 'O'} as Team);
    const channel = await admin.createChannel({team_id: team.id, name: 'alerts', display_name: 'alerts', type: 'O'} as Channel);
    const list: Poster[] = [];
    for (let i = 0; i < posters; i++) {
        const username = `poster${i}`;
        const user = await admin.createUser({email: `${username}@example.com`, username, password: PASSWORD} as UserProfile, '', '');
        await admin.addToTeam(team.id, user.id);
        await admin.addToChannel(user.id, channel.id);
        const c = client(url);
        await c.login(username, PASSWORD);
        list.push({token: c.getToken(), userId: user.id});
    }
    return {url, admin, team, channel, postChannel: channel, posters: list};
}

// addBuiltinWebhook makes the hand-made setup PagerTree's guide describes: fires when the first
// word is the trigger, posts Mattermost's JSON to the endpoint.
export async function addBuiltinWebhook(b: Bench, pt: PagerTreeStandIn, trigger: string): Promise<void> {
    await b.admin.createOutgoingWebhook({
        team_id: b.team.id,
        channel_id: '',
        display_name: 'PagerTree (built-in)',
        trigger_words: [trigger],
        trigger_when: 0,
        callback_urls: [pt.url + PATHS.builtin],
        content_type: 'application/json',
    } as never);
}

export async function installPagerTree(b: Bench, bundle: string): Promise<void> {
    await installPlugin({admin: b.admin} as World, bundle);
}

// buildNoopBundle compiles ./noop-plugin for this machine and packs it as a plugin bundle.
export function buildNoopBundle(root: string, workDir: string): string {
    const dir = path.join(workDir, NOOP_ID);
    fs.rmSync(dir, {recursive: true, force: true});
    fs.mkdirSync(path.join(dir, 'server'), {recursive: true});
    execFileSync('go', ['build', '-trimpath', '-o', path.join(dir, 'server', 'plugin'), './e2e/bench/noop-plugin'], {
        cwd: root,
        stdio: 'inherit',
        env: {...process.env, CGO_ENABLED: '0'},
    });
    fs.copyFileSync(path.join(root, 'e2e', 'bench', 'noop-plugin', 'plugin.json'), path.join(dir, 'plugin.json'));
    const bundle = path.join(workDir, `${NOOP_ID}.tar.gz`);
    execFileSync('tar', ['-czf', bundle, '-C', workDir, NOOP_ID]);
    return bundle;
}

export async function uploadNoop(b: Bench, bundle: string): Promise<void> {
    const file = new File([fs.readFileSync(bundle)], `${NOOP_ID}.tar.gz`, {type: 'application/gzip'});
    await b.admin.uploadPlugin(file as never, true);
}

async function running(b: Bench, id: string): Promise<boolean> {
    return (await b.admin.getPluginStatuses()).some((s) => s.plugin_id === id && s.state === 2);
}

// activate leaves exactly the given plugin running (none: neither).
export async function activate(b: Bench, which: 'none' | 'noop' | 'plugin'): Promise<void> {
    const want: Record<string, boolean> = {[NOOP_ID]: which === 'noop', [PLUGIN_ID]: which === 'plugin'};
    for (const [id, on] of Object.entries(want)) {
        if (!on && (await running(b, id))) {
            await b.admin.disablePlugin(id);
            await waitUntil(async () => !(await running(b, id)), `${id} to stop`, 30000);
        }
    }
    for (const [id, on] of Object.entries(want)) {
        if (on && !(await running(b, id))) {
            await b.admin.enablePlugin(id);
            await waitUntil(() => running(b, id), `${id} to run`, 30000);
        }
    }
}

// createPost posts as a user with a bare fetch (the cost measured is the server's, not a client
// library's) and returns how long POST /posts took. The channel is the bench's unless given.
export async function createPost(b: Bench, poster: Poster, message: string, channelId = b.channel.id): Promise<number> {
    const started = performance.now();
    const res = await fetch(`${b.url}/api/v4/posts`, {
        method: 'POST',
        headers: {Authorization: `Bearer ${poster.token}`, 'Content-Type': 'application/json'},
        body: JSON.stringify({channel_id: channelId, message}),
    });
    await res.arrayBuffer();
    const took = performance.now() - started;
    if (res.status !== 201) {
        throw new Error(`POST /posts answered ${res.status}`);
    }
    return took;
}
