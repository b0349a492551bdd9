// Sets up a real Mattermost server for the scenarios through its REST API: an admin, users, a
// team, public and private channels, a DM, a bot; uploads and enables the plugin bundle.
import fs from 'fs';

import {Client4} from '@mattermost/client';
import type {Channel} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';
import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

export const PASSWORD = 'E2e-password-1!';

export type World = {
    url: string;
    admin: Client4;
    alice: Client4;
    bob: Client4;
    bot: Client4;
    adminUser: UserProfile;
    aliceUser: UserProfile;
    bobUser: UserProfile;
    botUserId: string;
    team: Team;
    town: Channel; // public
    ops: Channel; // public
    secret: Channel; // private
    dm: Channel; // alice <-> bob
};

export function client(url: string, token = ''): Client4 {
    const c = new Client4();
    c.setUrl(url);
    if (token) {
        c.setToken(token);
    }
    return c;
}

async function userClient(url: string, admin: Client4, username: string): Promise<[Client4, UserProfile]> {
    const user = await admin.createUser({email: `${username}@example.com`, username, password: PASSWORD} as UserProfile, '', '');
    const c = client(url);
    await c.login(username, PASSWORD);
    return [c, user];
}

export async function createWorld(url: string): Promise<World> {
    const admin = client(url);
    const adminUser = await admin.createUser({email: 'admin@example.com', username: 'admin', password: PASSWORD} as UserProfile, '', '');
    await admin.login('admin', PASSWORD);
    const team = await admin.createTeam({name: 'acme', display_name: 'Acme', type: 'O'} as Team);
    const [alice, aliceUser] = await userClient(url, admin, 'alice');
    const [bob, bobUser] = await userClient(url, admin, 'bob');
    for (const u of [aliceUser, bobUser]) {
        await admin.addToTeam(team.id, u.id);
    }
    const channel = (name: string, type: 'O' | 'P') => admin.createChannel({team_id: team.id, name, display_name: name, type} as Channel);
    const town = await admin.getChannelByName(team.id, 'town-square');
    const ops = await channel('ops', 'O');
    const secret = await channel('secret-ops', 'P');
    for (const ch of [ops, secret]) {
        for (const u of [aliceUser, bobUser]) {
            await admin.addToChannel(u.id, ch.id);
        }
    }
    const dm = await alice.createDirectChannel([aliceUser.id, bobUser.id]);
    const botRecord = await admin.createBot({username: 'monitor-bot', display_name: 'Monitor'} as never);
    const botToken = await admin.createUserAccessToken(botRecord.user_id, 'e2e');
    await admin.addToTeam(team.id, botRecord.user_id);
    await admin.addToChannel(botRecord.user_id, ops.id);
    const bot = client(url, botToken.token);
    return {url, admin, alice, bob, bot, adminUser, aliceUser, bobUser, botUserId: botRecord.user_id, team, town, ops, secret, dm};
}

// sharedWorld creates the world, or logs in to the one an earlier scenario file created on
// the same server (each file runs its own beforeAll).
export async function sharedWorld(url: string): Promise<World> {
    const probe = client(url);
    try {
        await probe.login('admin', PASSWORD);
    } catch {
        return createWorld(url);
    }
    const admin = probe;
    const login = async (username: string): Promise<[Client4, UserProfile]> => {
        const c = client(url);
        await c.login(username, PASSWORD);
        return [c, await admin.getUserByUsername(username)];
    };
    const [alice, aliceUser] = await login('alice');
    const [bob, bobUser] = await login('bob');
    const adminUser = await admin.getMe();
    const team = await admin.getTeamByName('acme');
    const town = await admin.getChannelByName(team.id, 'town-square');
    const ops = await admin.getChannelByName(team.id, 'ops');
    const secret = await admin.getChannelByName(team.id, 'secret-ops');
    const dm = await alice.createDirectChannel([aliceUser.id, bobUser.id]);
    const botUser = await admin.getUserByUsername('monitor-bot');
    const botToken = await admin.createUserAccessToken(botUser.id, 'e2e-2');
    const bot = client(url, botToken.token);
    return {url, admin, alice, bob, bot, adminUser, aliceUser, bobUser, botUserId: botUser.id, team, town, ops, secret, dm};
}

// pluginRunning tells whether the bundle is already installed and running.
export async function pluginRunning(w: World): Promise<boolean> {
    return (await w.admin.getPluginStatuses()).some((s) => s.plugin_id === 'pagertree' && s.state === 2);
}

export async function installPlugin(w: World, bundlePath: string): Promise<void> {
    const file = new File([fs.readFileSync(bundlePath)], 'pagertree.tar.gz', {type: 'application/gzip'});
    const manifest = await w.admin.uploadPlugin(file as never, true);
    if (manifest.id !== 'pagertree') {
        throw new Error('unexpected plugin id ' + manifest.id);
    }
    await w.admin.enablePlugin('pagertree');
    await waitUntil(async () => (await w.admin.getPluginStatuses()).some((s) => s.plugin_id === 'pagertree' && s.state === 2), 'the plugin to run');
}

// Settings of the plugin, as the System Console stores them (keys lower-cased).
export type PluginSettings = Record<string, string | number | boolean>;

// setPluginSettings saves the plugin's settings through PUT /api/v4/config, as the System
// Console does. No wait is needed after it: Mattermost runs every plugin's OnConfigurationChange
// inside that request (the config store calls its listeners synchronously before Set returns,
// and the plugins' listener calls the hook over RPC and waits for it), and the plugin swaps its
// runtime settings in the hook. So once the answer is in, the plugin works with the new settings;
// settings the plugin refuses (ConfigurationWillBeSaved) make updateConfig throw.
export async function setPluginSettings(w: World, settings: PluginSettings): Promise<void> {
    const cfg = await w.admin.getConfig();
    const plugins = (cfg.PluginSettings.Plugins || {}) as Record<string, Record<string, unknown>>;
    const lower = Object.fromEntries(Object.entries(settings).map(([k, v]) => [k.toLowerCase(), v]));
    plugins.pagertree = {...(plugins.pagertree || {}), ...lower};
    cfg.PluginSettings.Plugins = plugins as never;
    await w.admin.updateConfig(cfg);
}

// sleep is for pacing and for the stand-in's simulated delays, never to wait for something to
// happen: wait with waitUntil (or the stand-in's waitFor), and say "nothing more happens" with
// nothingMoreWithin.
export function sleep(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, ms));
}

function message(err: unknown): string {
    return err instanceof Error ? err.message : String(err);
}

// waitUntil polls check until it returns true; a check that throws counts as "not yet". On
// timeout the error says what was awaited and how the last check failed.
export async function waitUntil(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let last = '';
    for (;;) {
        try {
            if (await check()) {
                return;
            }
            last = '';
        } catch (err) {
            last = message(err); // not yet
        }
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last check: ${last})` : ''}`);
        }
        await sleep(150);
    }
}

// nothingMoreWithin is the scenarios' one way of saying "nothing more happens within ms":
// assert (jest expects on what the stand-in or the server holds) must hold now and keep holding
// for ms milliseconds. It is checked every 100 ms and a last time at the end, and the first
// failure is thrown at once, so a broken rule fails as soon as it shows. Everything the window
// must start from (the request that did come, the reply that was posted) is waited for first.
export async function nothingMoreWithin(ms: number, what: string, assert: () => void | Promise<void>): Promise<void> {
    const started = Date.now();
    const deadline = started + ms;
    for (;;) {
        const final = Date.now() >= deadline;
        try {
            await assert();
        } catch (err) {
            const e = new Error(`expected ${what} within ${ms} ms; after ${Date.now() - started} ms:\n${message(err)}`);
            e.stack = e.message + '\n' + ((err instanceof Error && err.stack) || '').split('\n').filter((l) => l.trimStart().startsWith('at ')).join('\n');
            throw e;
        }
        if (final) {
            return;
        }
        await sleep(Math.min(100, deadline - Date.now()));
    }
}

// post creates a post as c. Mattermost answers 500 app.post.save.app_error when two first replies
// of a thread are saved at the same moment (its threads row is inserted twice: threads_pkey), as
// when a test replies while the plugin's card goes in: that one answer is tried again, as a person
// would; any other error fails the test.
export async function post(c: Client4, channelId: string, message: string, rootId = ''): Promise<Post> {
    for (let attempt = 1; ; attempt++) {
        try {
            // eslint-disable-next-line no-await-in-loop
            return await c.createPost({channel_id: channelId, message, root_id: rootId} as Post);
        } catch (err) {
            const e = err as {status_code?: number; server_error_id?: string};
            if (rootId === '' || attempt === 3 || e.status_code !== 500 || e.server_error_id !== 'app.post.save.app_error') {
                throw err;
            }
            // eslint-disable-next-line no-await-in-loop
            await sleep(100 * attempt);
        }
    }
}

export async function command(c: Client4, w: World, channelId: string, text: string): Promise<string> {
    const res = await c.executeCommand(text, {channel_id: channelId, team_id: w.team.id} as never);
    return (res as {text?: string}).text || '';
}

// ref makes a tag to find one message's request among all the stand-in recorded. Digits
// only, so it never adds a trigger or an urgency word to a message.
let seq = 0;
export function ref(): string {
    seq++;
    return `[ref ${seq}${String(Date.now() % 1e6).padStart(6, '0')}]`;
}

// verifyEmail marks a user's e-mail verified, as a System Admin can (System Console > Users).
// The e2e server runs with e-mail verification off, so what its users get is not relied on:
// "PagerTree team members" and the @mentions from PagerTree's e-mails need a verified one.
export async function verifyEmail(w: World, userId: string): Promise<void> {
    const res = await fetch(`${w.url}/api/v4/users/${userId}/email/verify/member`, {
        method: 'POST',
        headers: {Authorization: `Bearer ${w.admin.getToken()}`, 'X-Requested-With': 'XMLHttpRequest'},
    });
    if (res.status !== 200) {
        throw new Error(`verifying ${userId}'s e-mail: HTTP ${res.status} ${await res.text()}`);
    }
}
