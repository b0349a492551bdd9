// The routes editor's per-route token in a real browser on the real server: Chromium logs in to
// the e2e server as a System Admin, loads the plugin's webapp bundle as the server serves it, shows
// the plugin's settings with the values GET /api/v4/config gives the System Console (secrets
// masked), changes one route's token in its card, and saves the way the System Console does (the
// whole config read back and written with PUT /api/v4/config, with the admin's session). The
// config API masks the tokens, so what was stored is checked by behaviour: a post through each
// route reaches the stand-in's integration with that route's token (a wrong one is answered 403).
//
// The System Console itself is the browser test's host page (webapp/tests-browser/host): the e2e
// server is built from Mattermost's Go module, which holds no web app, so there is no System
// Console to open. Everything else is real: the server, the bundle it serves, the config API, the
// plugin's save hook and its sends.
import {execFileSync} from 'child_process';
import fs from 'fs';
import http from 'http';
import type {AddressInfo} from 'net';
import path from 'path';

import {chromium} from 'playwright-core';
import type {Browser, Page} from 'playwright-core';

import type {Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';

import {scenarioSettings} from '../src/scenario_settings';
import {PagerTreeStandIn} from '../src/stand_in';
import {installPlugin, PASSWORD, pluginRunning, post, ref, setPluginSettings, sharedWorld} from '../src/world';
import type {PluginSettings, World} from '../src/world';

const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const WEBAPP = path.resolve(__dirname, '../../webapp');
const HOST_PAGE = path.join(WEBAPP, 'tests-browser/host/index.html');
const HOST_JS = path.join(WEBAPP, 'test-results/host-react18.js');
const FAKE = '********************************'; // what the config API shows for a secret
const TOKEN = 'e2e-token';
const DB = {path: '/integration/int_db', token: 'db-token'};
const NET = {path: '/integration/int_net', token: 'net-token', changed: 'net-token-console'};

let w: World;
const pt = new PagerTreeStandIn(TOKEN);
let base: PluginSettings;
let dbChannel: Channel;
let netChannel: Channel;
let proxy: http.Server;
let proxyURL = '';
let browser: Browser;
let page: Page;
const pageErrors: string[] = []; // script errors and failed loads: the test fails on any

// What the host page (webapp/tests-browser/host/host.tsx) puts on window.
type Host = {renderConsole: (saved: Record<string, unknown>) => void; hostState: {registered: string[]; values: Record<string, unknown>}};

// A same-origin front for the server: the host page and its script, the plugin bundle the server
// serves, and every other request passed to the server as it is (cookies included).
async function startProxy(bundlePath: string): Promise<void> {
    const target = new URL(MM_URL);
    proxy = http.createServer((req, res) => {
        const url = new URL(req.url || '/', 'http://x');
        const local: Record<string, [string, string]> = {'/': [HOST_PAGE, 'text/html'], '/host.js': [HOST_JS, 'text/javascript']};
        if (local[url.pathname]) {
            res.writeHead(200, {'Content-Type': local[url.pathname][1]});
            res.end(fs.readFileSync(local[url.pathname][0]));
            return;
        }
        if (url.pathname === '/favicon.ico') {
            res.writeHead(204);
            res.end();
            return;
        }
        const forward = url.pathname === '/plugins/pagertree/main.js' ? bundlePath : (req.url || '/');
        const out = http.request({host: target.hostname, port: target.port, method: req.method, path: forward, headers: {...req.headers, host: target.host}}, (up) => {
            res.writeHead(up.statusCode || 502, up.headers);
            up.pipe(res);
        });
        out.on('error', (err) => {
            res.writeHead(502);
            res.end(String(err));
        });
        req.pipe(out);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyURL = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

beforeAll(async () => {
    if (!MM_URL || !BUNDLE) {
        throw new Error('run the suite with e2e/run.sh (make e2e): it starts Mattermost and sets MM_URL and PLUGIN_BUNDLE');
    }
    if (!fs.existsSync(HOST_JS)) { // the browser test's host page script (make test-browser builds it too)
        execFileSync('npx', ['webpack', '--mode=development', '--env', 'host'], {cwd: WEBAPP, stdio: 'inherit', timeout: 300000});
    }
    await pt.start();
    pt.integrations.set(DB.path, DB.token);
    pt.integrations.set(NET.path, NET.token);
    w = await sharedWorld(MM_URL);
    dbChannel = await w.admin.getChannelByName(w.team.id, 'console-db').catch(() => w.admin.createChannel({team_id: w.team.id, name: 'console-db', display_name: 'console-db', type: 'O'} as Channel));
    const netTeam = await w.admin.getTeamByName('console-net').catch(() => w.admin.createTeam({name: 'console-net', display_name: 'Console Net', type: 'O'} as Team));
    await w.admin.addToTeam(netTeam.id, w.aliceUser.id);
    netChannel = await w.admin.getChannelByName(netTeam.id, 'net-alerts').catch(() => w.admin.createChannel({team_id: netTeam.id, name: 'net-alerts', display_name: 'net-alerts', type: 'O'} as Channel));
    for (const ch of [dbChannel, netChannel]) {
        await w.admin.addToChannel(w.aliceUser.id, ch.id);
    }
    base = scenarioSettings(pt, TOKEN, {
        UrgencyAliases: '',
        APIBaseURL: pt.url,
        Routes: JSON.stringify([
            {id: 'cdb', name: 'Console DB', channels: [dbChannel.id], endpoint_url: pt.url + DB.path, trigger_words: 'db down'},
            {id: 'cnet', name: 'Console Net', teams: [netTeam.id], endpoint_url: pt.url + NET.path},
        ]),
        RouteTokens: JSON.stringify({cdb: DB.token, cnet: NET.token}),
    });
    await setPluginSettings(w, base);
    if (!(await pluginRunning(w))) {
        await installPlugin(w, BUNDLE);
    }
    const webapps = await (await fetch(`${MM_URL}/api/v4/plugins/webapp`)).json() as Array<{id: string; webapp?: {bundle_path?: string}}>;
    const listed = webapps.find((m) => m.id === 'pagertree')?.webapp?.bundle_path;
    if (!listed) {
        throw new Error('the server lists no webapp bundle for the plugin');
    }

    // The manifest says /static/<id>/<id>_<hash>_bundle.js; the server serves plugin bundles
    // under /static/plugins/ (the web app loads it from there).
    await startProxy(listed.startsWith('/static/plugins/') ? listed : listed.replace(/^\/static\//, '/static/plugins/'));
    browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({viewport: {width: 1100, height: 900}});
    page.on('pageerror', (e) => pageErrors.push(e.message));
    page.on('response', (r) => {
        if (r.status() >= 400) {
            pageErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
        }
    });
});

afterAll(async () => {
    await browser?.close();
    await new Promise((r) => (proxy ? proxy.close(r) : r(undefined)));
    if (w && base) {
        await setPluginSettings(w, base);
    }
    await pt.stop();
});

test('System Console: one route\'s token changed in its card and saved; the other route keeps its token', async () => {
    await page.goto(proxyURL + '/');
    const login = await page.evaluate(async (password) => (await fetch('/api/v4/users/login', {method: 'POST',
        headers: {'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest'},
        body: JSON.stringify({login_id: 'admin', password})})).status, PASSWORD);
    expect(login).toBe(200);

    // What the System Console gets: the saved settings, the tokens masked.
    const saved = await page.evaluate(async () => {
        const cfg = await (await fetch('/api/v4/config', {headers: {'X-Requested-With': 'XMLHttpRequest'}})).json();
        return cfg.PluginSettings.Plugins.pagertree as Record<string, unknown>;
    });
    expect(saved.routetokens).toBe(FAKE);
    expect(JSON.stringify(saved)).not.toContain(DB.token);
    await page.waitForFunction(() => (window as unknown as Host).hostState.registered.includes('Routes')).catch(() => {
        throw new Error('the plugin bundle the server serves did not register its settings: ' + pageErrors.join('; '));
    });
    await page.evaluate((values) => (window as unknown as Host).renderConsole(values), saved);
    const cards = page.getByTestId('route');
    await cards.first().waitFor();
    expect(await cards.count()).toBe(2);
    const net = cards.filter({hasText: 'Console Net'});
    await net.getByTestId('route-team').getByText('Console Net').waitFor(); // the team's name, read from the server

    await net.getByLabel('Token').fill(NET.changed);
    const values = await page.evaluate(() => (window as unknown as Host).hostState.values);
    expect(JSON.parse(values.routetokens as string)).toEqual({cdb: FAKE, cnet: NET.changed});

    // Save as the System Console does: the whole config back, with the admin's session.
    const status = await page.evaluate(async (onScreen) => {
        const csrf = decodeURIComponent((document.cookie.match(/(?:^|;\s*)MMCSRF=([^;]+)/) || ['', ''])[1]);
        const headers = {'Content-Type': 'application/json', 'X-Requested-With': 'XMLHttpRequest', 'X-CSRF-Token': csrf};
        const cfg = await (await fetch('/api/v4/config', {headers})).json();
        cfg.PluginSettings.Plugins.pagertree = {...cfg.PluginSettings.Plugins.pagertree, ...onScreen};
        const res = await fetch('/api/v4/config', {method: 'PUT', headers, body: JSON.stringify(cfg)});
        return res.status;
    }, values);
    expect(status).toBe(200);
    const after = (await w.admin.getConfig()).PluginSettings.Plugins.pagertree as Record<string, unknown>;
    expect(after.routetokens).toBe(FAKE); // still masked for the admin: checked by behaviour below

    // The changed route sends its new token; the untouched one kept its own.
    pt.integrations.set(NET.path, NET.changed);
    const [d, n] = [ref(), ref()];
    await post(w.alice, dbChannel.id, `db down ${d}`);
    await post(w.alice, netChannel.id, `outage ${n}`);
    const [toDB] = await pt.waitFor(d, {path: DB.path, status: 200});
    const [toNet] = await pt.waitFor(n, {path: NET.path, status: 200});
    expect(toDB.body.token).toBe(DB.token);
    expect(toNet.body.token).toBe(NET.changed);

    // The test button of each card, on the settings now on screen, goes through the same tokens.
    for (const [name, where] of [['Console DB', DB.path], ['Console Net', NET.path]]) {
        const before = pt.requests.filter((r) => r.path === where).length;
        const card = cards.filter({hasText: name});
        await card.getByRole('button', {name: 'Send test alert through this route'}).click();
        await card.getByTestId('route-test-result').getByText(/PagerTree answered 200/).waitFor();
        expect(pt.requests.filter((r) => r.path === where).length).toBe(before + 1);
    }
    await page.screenshot({path: path.join(WEBAPP, 'test-results/e2e-routes-console.png'), fullPage: true});
    expect(pageErrors).toEqual([]);
});
