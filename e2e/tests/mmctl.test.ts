// Configuration as code (docs/configuration-as-code.md): the server's own mmctl, built beside the
// server (e2e/build-server.sh), installs and enables the bundle and sets every PagerTree setting
// from a patch file, over local mode (the socket in the run directory) and over the REST API with
// an access token. The plugin checks the patch like a System Console save: a wrong type or an
// internal endpoint is refused with the plugin's sentence, and nothing changes.
import {execFile} from 'child_process';
import fs from 'fs';
import http from 'http';
import os from 'os';
import path from 'path';

import {PagerTreeStandIn, PATHS} from '../src/stand_in';
import {post, ref, sharedWorld, waitUntil} from '../src/world';
import type {World} from '../src/world';

const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';
const RUN = process.env.E2E_RUN || '';
const MMCTL = path.join(process.env.E2E_MM_DIR || '', 'bin', 'mmctl');
const SOCKET = path.join(RUN, 'mattermost-a.sock');
const TOKEN = 'e2e-mmctl-token';
const ROUTE_PATH = '/integration/int_mmctl_db';
const ROUTE_TOKEN = 'e2e-mmctl-route-token';
const KEY = 'ptk_e2e_mmctl_key';
const MASK = '********************************'; // Mattermost's model.FakeSetting

// 7.x servers kept mmctl in a module of its own, which the suite does not build.
const haveMmctl = fs.existsSync(MMCTL);
const describeWithMmctl = haveMmctl ? describe : describe.skip;
if (!haveMmctl) {
    console.warn(`mmctl.test.ts: no ${MMCTL} (Mattermost ${process.env.MM_SERVER_VERSION || '?'} has no mmctl in its module): skipped`);
}

type Ran = {code: number; stdout: string; stderr: string};

let w: World;
const pt = new PagerTreeStandIn(TOKEN);
let home = '';
let before: Record<string, unknown> | undefined; // the plugin's settings before this file, unmasked
let dbChannel = '';

// mmctl runs the server's mmctl, over local mode unless remote; its own files stay in home.
function mmctl(args: string[], mode: 'local' | 'remote' = 'local'): Promise<Ran> {
    const all = [...(mode === 'local' ? ['--local'] : []), '--config', path.join(home, 'mmctl-config'), '--suppress-warnings', ...args];
    const env = {...process.env, HOME: home, XDG_CONFIG_HOME: home, MMCTL_LOCAL_SOCKET_PATH: SOCKET};
    return new Promise((resolve) => {
        execFile(MMCTL, all, {env, timeout: 60000}, (err, stdout, stderr) => {
            let code = 0;
            if (err) {
                code = typeof err.code === 'number' ? err.code : 1;
            }
            resolve({code, stdout: String(stdout), stderr: String(stderr)});
        });
    });
}

function ok(r: Ran): Ran {
    if (r.code !== 0) {
        throw new Error(`mmctl failed (${r.code}): ${r.stderr || r.stdout}`);
    }
    return r;
}

// local calls the server's local-mode API on the socket (unmasked, no session), as mmctl --local does.
function local(method: string, p: string, body?: unknown): Promise<{status: number; json: unknown}> {
    return new Promise((resolve, reject) => {
        const req = http.request({socketPath: SOCKET, method, path: p, headers: {'Content-Type': 'application/json'}}, (res) => {
            let raw = '';
            res.on('data', (c) => {
                raw += c;
            });
            res.on('end', () => resolve({status: res.statusCode || 0, json: raw ? JSON.parse(raw) : null}));
        });
        req.on('error', reject);
        req.end(body === undefined ? undefined : JSON.stringify(body));
    });
}

type Config = {PluginSettings: {Plugins: Record<string, Record<string, unknown>>}};

async function pluginSettings(): Promise<Record<string, unknown> | undefined> {
    return ((await local('GET', '/api/v4/config')).json as Config).PluginSettings.Plugins.pagertree;
}

// putPluginSettings replaces the plugin's settings (undefined: none saved, as on a new server).
async function putPluginSettings(settings: Record<string, unknown> | undefined): Promise<void> {
    const cfg = (await local('GET', '/api/v4/config')).json as Config;
    if (settings === undefined) {
        delete cfg.PluginSettings.Plugins.pagertree;
    } else {
        cfg.PluginSettings.Plugins.pagertree = settings;
    }
    const res = await local('PUT', '/api/v4/config', cfg);
    if (res.status !== 200) {
        throw new Error(`restoring the plugin's settings: HTTP ${res.status} ${JSON.stringify(res.json)}`);
    }
}

function patchFile(name: string, settings: Record<string, unknown>): string {
    const file = path.join(home, name);
    fs.writeFileSync(file, JSON.stringify({PluginSettings: {Plugins: {pagertree: settings}}}, null, 2), {mode: 0o600});
    return file;
}

// everySetting is the patch of docs/configuration-as-code.md with this run's values: every
// setting of plugin.json (the panel's buttons are not settings), keys lower-cased as
// Mattermost stores them, secrets included, a route and its token as JSON text.
function everySetting(): Record<string, unknown> {
    return {
        enabled: true,
        endpointurl: pt.url + PATHS.mattermost,
        token: TOKEN,
        format: 'mattermost',
        triggerwords: 'outage, sev-1',
        matchmode: 'whole_word',
        defaulturgency: 'pagertree_default',
        urgencyaliases: 'sev-1=critical',
        watchprivatechannels: false,
        forwardbotposts: false,
        ignorecodeandquotes: true,
        routes: JSON.stringify([{id: 'db', name: 'Database', channels: [dbChannel], endpoint_url: pt.url + ROUTE_PATH, trigger_words: 'db down'}]),
        routetokens: JSON.stringify({db: ROUTE_TOKEN}),
        channelallowlist: '',
        onealertperthread: true,
        channelcooldownseconds: 0,
        alertcommandlimit: 3,
        retrywindowminutes: 60,
        reactionemoji: 'rotating_light',
        replyinthread: true,
        statusupdates: 'card_and_replies',
        alertlifetimedays: 30,
        externalalertschannel: '',
        apikey: KEY,
        apibaseurl: pt.url,
        whomaypress: 'channel_members',
        updatesarrive: 'pushed',
        pollseconds: 30,
    };
}

async function pluginState(): Promise<number | undefined> {
    return (await w.admin.getPluginStatuses()).find((s) => s.plugin_id === 'pagertree')?.state;
}

// pages posts as alice and waits for the stand-in to get it on path with the token.
async function pages(channelId: string, text: string, p: string, token: string): Promise<void> {
    const r = ref();
    await post(w.alice, channelId, `${text} ${r}`);
    const [got] = await pt.waitFor(r, {path: p});
    expect(got.status).toBe(200);
    expect(got.body.token).toBe(token);
}

describeWithMmctl('mmctl, the server\'s command-line tool', () => {
    const samples: string[] = []; // what mmctl printed, for the docs (.run/mmctl-output.txt)
    const keep = (cmd: string, r: Ran) => samples.push(`$ mmctl ${cmd}\n${(r.stdout + r.stderr).trim()}\n(exit ${r.code})\n`);

    beforeAll(async () => {
        if (!MM_URL || !BUNDLE || !RUN) {
            throw new Error('run the suite with e2e/run.sh (make e2e): it starts Mattermost and sets MM_URL, PLUGIN_BUNDLE and E2E_RUN');
        }
        home = fs.mkdtempSync(path.join(os.tmpdir(), 'pagertree-mmctl-'));
        await pt.start();
        pt.integrations.set(ROUTE_PATH, ROUTE_TOKEN);
        w = await sharedWorld(MM_URL);
        try {
            dbChannel = (await w.admin.getChannelByName(w.team.id, 'mmctl-db')).id;
        } catch {
            dbChannel = (await w.admin.createChannel({team_id: w.team.id, name: 'mmctl-db', display_name: 'mmctl-db', type: 'O'} as never)).id;
            await w.admin.addToChannel(w.aliceUser.id, dbChannel);
        }
        before = await pluginSettings();
    });

    afterAll(async () => {
        if (RUN && samples.length) {
            fs.writeFileSync(path.join(RUN, 'mmctl-output.txt'), samples.join('\n'));
        }

        // The next files start from the settings they found (routes would send their posts here).
        await putPluginSettings(before ?? {enabled: false});
        await pt.stop();
        fs.rmSync(home, {recursive: true, force: true});
    });

    test('plugin add and enable with the bundle; config set needs saved settings, config patch sets every one and they take effect', async () => {
        // As on a server where the plugin's settings were never saved.
        await putPluginSettings(undefined);
        const add = ok(await mmctl(['plugin', 'add', BUNDLE, '--force']));
        keep(`--local plugin add ${path.basename(BUNDLE)} --force`, add);
        expect(add.stdout).toContain('Added plugin: ');
        const enable = ok(await mmctl(['plugin', 'enable', 'pagertree']));
        keep('--local plugin enable pagertree', enable);
        expect(enable.stdout).toContain('Enabled plugin: pagertree');
        await waitUntil(async () => (await pluginState()) === 2, 'the plugin to run');

        const set = await mmctl(['config', 'set', 'PluginSettings.Plugins.pagertree.triggerwords', 'outage']);
        keep('--local config set PluginSettings.Plugins.pagertree.triggerwords outage', set);
        expect(set.code).not.toBe(0);
        expect(set.stderr).toContain('path object type is not supported');

        const patch = ok(await mmctl(['config', 'patch', patchFile('pagertree.json', everySetting())]));
        keep('--local config patch pagertree.json', patch);
        expect(patch.stdout).toContain('Config patched successfully');
        const saved = await pluginSettings();
        expect(saved).toMatchObject({...everySetting()});

        await pages(w.ops.id, 'outage in payments', PATHS.mattermost, TOKEN);
        await pages(dbChannel, 'db down on replica 2', ROUTE_PATH, ROUTE_TOKEN); // the route, with its own token

        // Once saved, config set changes one setting (a key the patch wrote).
        const setNow = ok(await mmctl(['config', 'set', 'PluginSettings.Plugins.pagertree.triggerwords', 'outage, sev-1, meltdown']));
        keep('--local config set PluginSettings.Plugins.pagertree.triggerwords "outage, sev-1, meltdown"', setNow);
        await pages(w.ops.id, 'meltdown in search', PATHS.mattermost, TOKEN);
    });

    test('remotely (an access token): the secrets come back masked, a patch that leaves them out keeps them', async () => {
        const pat = await w.admin.createUserAccessToken(w.adminUser.id, 'e2e mmctl');
        const tokenFile = path.join(home, 'admin-token');
        fs.writeFileSync(tokenFile, pat.token as string, {mode: 0o600});
        ok(await mmctl(['auth', 'login', MM_URL, '--name', 'e2e', '--access-token-file', tokenFile], 'remote'));

        for (const key of ['token', 'routetokens', 'apikey']) {
            const got = ok(await mmctl(['config', 'get', `PluginSettings.Plugins.pagertree.${key}`], 'remote'));
            expect(JSON.parse(got.stdout)).toBe(MASK);
        }
        const shown = ok(await mmctl(['config', 'get', 'PluginSettings.Plugins.pagertree.routes'], 'remote'));
        expect(JSON.parse(JSON.parse(shown.stdout))).toEqual([expect.objectContaining({id: 'db', name: 'Database'})]);

        const patch = ok(await mmctl(['config', 'patch', patchFile('urgency.json', {defaulturgency: 'high'})], 'remote'));
        keep('config patch urgency.json   # remote, after mmctl auth login', patch);
        const saved = await pluginSettings();
        expect(saved).toMatchObject({defaulturgency: 'high', token: TOKEN, routetokens: JSON.stringify({db: ROUTE_TOKEN}), apikey: KEY});
        await pages(w.ops.id, 'outage in mail', PATHS.mattermost, TOKEN);
    });

    test('a wrong type, an internal endpoint or a moved endpoint without its token is refused with the plugin\'s sentence, and nothing changes', async () => {
        const was = await pluginSettings();
        const wrongType = await mmctl(['config', 'patch', patchFile('wrong-type.json', {enabled: 'yes', channelcooldownseconds: 'soon'})], 'remote');
        keep('config patch wrong-type.json   # remote', wrongType);
        expect(wrongType.code).not.toBe(0);
        expect(wrongType.stderr).toContain('The PagerTree settings were not saved: ');
        expect(wrongType.stderr).toContain('Error: The PagerTree settings were not saved: the setting "Enable forwarding" (Enabled) must be true or false, not "yes"; the channel cooldown is "soon", which is not a whole number.');

        const internal = await mmctl(['config', 'patch', patchFile('internal.json', {endpointurl: 'https://10.1.2.3/integration/int_elsewhere', token: TOKEN})]);
        keep('--local config patch internal.json', internal);
        expect(internal.code).not.toBe(0);
        expect(internal.stderr).toContain('The PagerTree settings were not saved: ');
        expect(internal.stderr).toContain('the endpoint\'s address 10.1.2.3 is internal (loopback, private, link-local or otherwise not public), and Mattermost only lets integrations reach such a host when it is listed in "Allow untrusted internal connections to"');

        // Remotely the token comes back masked: a new endpoint without the token typed again
        // would send the saved token somewhere it was not saved for.
        const moved = await mmctl(['config', 'patch', patchFile('moved.json', {endpointurl: pt.url + '/integration/int_moved'})], 'remote');
        keep('config patch moved.json   # remote, a new endpoint without the token', moved);
        expect(moved.code).not.toBe(0);
        expect(moved.stderr).toContain('enter the token again: the saved token is only sent to the saved endpoint');

        expect(await pluginSettings()).toEqual(was);
        await pages(w.ops.id, 'outage in billing', PATHS.mattermost, TOKEN);
    });
});
