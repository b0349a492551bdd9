// Routes on a real server: three integrations in the stand-in (the default route, a channel
// route, a team route), each reached only by its own posts with its own token; the command
// follows the channel's route; refused saves change nothing; the config API masks the tokens;
// and a real import from Mattermost's outgoing webhooks.
import type {Channel} from '@mattermost/types/channels';
import type {Team} from '@mattermost/types/teams';

import {scenarioSettings} from '../src/scenario_settings';
import {PagerTreeStandIn, PATHS} from '../src/stand_in';
import {command, installPlugin, nothingMoreWithin, pluginRunning, post, ref, setPluginSettings, sharedWorld, waitUntil} from '../src/world';
import type {PluginSettings, World} from '../src/world';

const TOKEN = 'e2e-token';
const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';
const DB = {path: '/integration/int_db', token: 'db-token'};
const NET = {path: '/integration/int_net', token: 'net-token'};
const HOOK = {path: '/integration/int_hooked', token: ''}; // the imported webhook's; Mattermost makes the token

let w: World;
const pt = new PagerTreeStandIn(TOKEN);
let base: PluginSettings;
let dbChannel: Channel;
let netTeam: Team;
let netChannel: Channel;

function routes(extra: unknown[] = []): unknown[] {
    return [
        {id: 'db', name: 'Database', channels: [dbChannel.id], endpoint_url: pt.url + DB.path, trigger_words: 'db down'},
        {id: 'net', name: 'Network', teams: [netTeam.id], endpoint_url: pt.url + NET.path},
        ...extra,
    ];
}

async function api(path: string, init: RequestInit = {}): Promise<Response> {
    return fetch(`${MM_URL}/plugins/pagertree/api/v1/${path}`, {
        ...init,
        headers: {Authorization: `Bearer ${w.admin.getToken()}`, 'X-Requested-With': 'XMLHttpRequest', 'Content-Type': 'application/json'},
    });
}

beforeAll(async () => {
    if (!MM_URL || !BUNDLE) {
        throw new Error('run the suite with e2e/run.sh (make e2e): it starts Mattermost and sets MM_URL and PLUGIN_BUNDLE');
    }
    await pt.start();
    pt.integrations.set(DB.path, DB.token);
    pt.integrations.set(NET.path, NET.token);
    w = await sharedWorld(MM_URL);
    dbChannel = await w.admin.getChannelByName(w.team.id, 'routes-db').catch(() => w.admin.createChannel({team_id: w.team.id, name: 'routes-db', display_name: 'routes-db', type: 'O'} as Channel));
    netTeam = await w.admin.getTeamByName('network').catch(() => w.admin.createTeam({name: 'network', display_name: 'Network', type: 'O'} as Team));
    await w.admin.addToTeam(netTeam.id, w.aliceUser.id);
    netChannel = await w.admin.getChannelByName(netTeam.id, 'net-ops').catch(() => w.admin.createChannel({team_id: netTeam.id, name: 'net-ops', display_name: 'net-ops', type: 'O'} as Channel));
    for (const ch of [dbChannel, netChannel]) {
        await w.admin.addToChannel(w.aliceUser.id, ch.id);
    }
    base = scenarioSettings(pt, TOKEN, {
        UrgencyAliases: '',
        APIBaseURL: pt.url,
        Routes: JSON.stringify(routes()),
        RouteTokens: JSON.stringify({db: DB.token, net: NET.token}),
    });
    await setPluginSettings(w, base);
    if (!(await pluginRunning(w))) {
        await installPlugin(w, BUNDLE);
    }
});

afterAll(async () => {
    await setPluginSettings(w, {Routes: '', RouteTokens: ''});
    await pt.stop();
});

test('posts in a channel route, a team route and elsewhere reach only their own integration, with its own token', async () => {
    const [db, sev, net, noc] = [ref(), ref(), ref(), ref()];
    await post(w.alice, dbChannel.id, `db down on the primary ${db}`);
    await post(w.alice, dbChannel.id, `sev-1 checkout ${sev}`); // not the route's word: the default route
    await post(w.alice, netChannel.id, `outage in fra ${net}`); // the team route, with the default's words
    await post(w.alice, w.ops.id, `outage ${noc}`);
    const [dbReq] = await pt.waitFor(db, {path: DB.path, status: 200});
    expect(dbReq.body).toMatchObject({token: DB.token, channel_id: dbChannel.id, trigger_word: 'db down'});
    const [netReq] = await pt.waitFor(net, {path: NET.path, status: 200});
    expect(netReq.body).toMatchObject({token: NET.token, team_id: netTeam.id});
    await pt.waitFor(sev, {path: PATHS.mattermost, status: 200});
    await pt.waitFor(noc, {path: PATHS.mattermost, status: 200});
    await nothingMoreWithin(800, 'each post at its own integration only', () => {
        expect(pt.matching(db).map((r) => r.path)).toEqual([DB.path]);
        expect(pt.matching(sev).map((r) => r.path)).toEqual([PATHS.mattermost]);
        expect(pt.matching(net).map((r) => r.path)).toEqual([NET.path]);
        expect(pt.matching(noc).map((r) => r.path)).toEqual([PATHS.mattermost]);
    });
});

test('an event for a route\'s alert reaches the card in its post\'s thread', async () => {
    const info = await (await api('receiver')).json() as {secret_url: string};
    pt.sendTo({url: info.secret_url, username: '', password: '', linkedData: true});
    const botId = (await w.admin.getUserByUsername('pagertree')).id;
    const r = ref();
    const p = await post(w.alice, dbChannel.id, `db down on the replica ${r}`);
    await pt.waitFor(r, {path: DB.path, status: 200});
    const res = await pt.send(pt.event(pt.alertFor(r), 'alert.acknowledged', {id: 'usr_pat', name: 'Pat Tree', email: 'pat@elsewhere.example'}));
    expect(res.status).toBe(200);
    await waitUntil(async () => {
        const thread = await w.admin.getPostThread(p.id);
        const cards = Object.values(thread.posts).filter((x) => x.root_id === p.id && x.user_id === botId && x.props?.attachments);
        const fields = (cards[0]?.props?.attachments as Array<{fields: Array<{title: string; value: string}>}> | undefined)?.[0]?.fields ?? [];
        return cards.length === 1 && fields.some((f) => f.title === 'Status' && f.value === 'Acknowledged');
    }, 'the route\'s alert acknowledged on its card');
});

test('/pagertree alert follows the channel\'s route and says which', async () => {
    const r = ref();
    await command(w.alice, w, dbChannel.id, `/pagertree alert high replica lag ${r}`);
    await pt.waitFor(r, {path: DB.path, status: 200});
    const posts = await w.admin.getPosts(dbChannel.id, 0, 5);
    expect(Object.values(posts.posts).some((p) => p.message.includes('paged PagerTree through the route "Database" — urgency: high') && p.message.includes(r))).toBe(true);
});

test('the config API masks the route tokens; the status lists the routes', async () => {
    const cfg = await w.admin.getConfig();
    const stored = (cfg.PluginSettings.Plugins as Record<string, Record<string, unknown>>).pagertree;
    expect(stored.routetokens).toBe('********************************');
    expect(JSON.parse(stored.routes as string)[0]).toEqual({id: 'db', name: 'Database', channels: [dbChannel.id], endpoint_url: pt.url + DB.path, trigger_words: 'db down'});
    const status = await command(w.admin, w, w.ops.id, '/pagertree status');
    expect(status).toContain('| Database | 1 channel | 127.0.0.1:');
    expect(status).toContain('| Network | 1 team |');
});

test('refused saves change nothing', async () => {
    const before = JSON.stringify((await w.admin.getConfig()).PluginSettings.Plugins);
    const twice = [...routes(), {id: 'dup', name: 'Twice', channels: [dbChannel.id], endpoint_url: pt.url + DB.path}];
    await expect(setPluginSettings(w, {...base, Routes: JSON.stringify(twice)})).rejects.toThrow(`the channel ${dbChannel.id} is in the scope of two routes, "Database" and "Twice"`);
    const moved = routes().map((r) => ((r as {id: string}).id === 'db' ? {...(r as object), endpoint_url: 'https://elsewhere.example/integration/int_db'} : r));
    await expect(setPluginSettings(w, {...base, Routes: JSON.stringify(moved), RouteTokens: JSON.stringify({db: '********************************', net: '********************************'})})).
        rejects.toThrow('the route "Database" has a new endpoint URL: enter the token again: the saved token is only sent to the saved endpoint');
    expect(JSON.stringify((await w.admin.getConfig()).PluginSettings.Plugins)).toBe(before);

    // One token changed, the other kept through the placeholder: both still page with their own.
    await setPluginSettings(w, {...base, RouteTokens: JSON.stringify({db: '********************************', net: 'net-token-2'})});
    pt.integrations.set(NET.path, 'net-token-2');
    const [d, n] = [ref(), ref()];
    await post(w.alice, dbChannel.id, `db down ${d}`);
    await post(w.alice, netChannel.id, `outage ${n}`);
    await pt.waitFor(d, {path: DB.path, status: 200});
    await pt.waitFor(n, {path: NET.path, status: 200});
    pt.integrations.set(NET.path, NET.token);
    await setPluginSettings(w, base);
});

test('a real import: outgoing webhooks read, converted, saved, the PagerTree one deleted, its triggers page through the new route', async () => {
    const hooked = await w.admin.createOutgoingWebhook({team_id: w.team.id,
        channel_id: w.town.id,
        display_name: 'PagerTree town',
        trigger_words: ['page-town'],
        trigger_when: 0,
        callback_urls: [pt.url + HOOK.path],
        content_type: 'application/json'} as never);
    const other = await w.admin.createOutgoingWebhook({team_id: w.team.id,
        channel_id: w.town.id,
        display_name: 'Not PagerTree',
        trigger_words: ['deploy'],
        trigger_when: 0,
        callback_urls: [pt.url + '/somewhere-else'],
        content_type: 'application/json'} as never);
    pt.integrations.set(HOOK.path, hooked.token);
    const hooks = await w.admin.getOutgoingWebhooks('', '', 0, 200);
    const res = await (await api('routes/import', {method: 'POST', body: JSON.stringify({webhooks: hooks, routes: JSON.stringify(routes())})})).json();
    console.log('import run:', JSON.stringify({found: res.found, routes: res.routes.map((r: {route: unknown; warnings: string[]}) => ({route: r.route, warnings: r.warnings})), skipped: res.skipped}, null, 1)); // eslint-disable-line no-console
    expect(res.routes).toHaveLength(1);
    expect(res.routes[0]).toMatchObject({route: {name: 'PagerTree town', channels: [w.town.id], trigger_words: 'page-town', match_mode: 'first_word_is', imported_from: hooked.id}, token: hooked.token});
    expect(res.skipped.find((s: {webhook_id: string}) => s.webhook_id === other.id).reason).toContain('none of its callback URLs is a PagerTree integration endpoint');

    // Saved as the panel saves it: the new route with the webhook's token, the others' kept by placeholder.
    const made = res.routes[0].route;
    await setPluginSettings(w, {...base,
        Routes: JSON.stringify(routes([made])),
        RouteTokens: JSON.stringify({db: '********************************', net: '********************************', [made.id]: hooked.token})});
    const again = await (await api('routes/import', {method: 'POST', body: JSON.stringify({webhooks: hooks, routes: JSON.stringify(routes([made]))})})).json();
    expect(again.routes).toEqual([]); // re-running never duplicates a route
    await w.admin.removeOutgoingWebhook(hooked.id);
    await w.admin.removeOutgoingWebhook(other.id);

    const r = ref();
    await post(w.alice, w.town.id, `page-town the lobby screen is dark ${r}`);
    const got = await pt.waitFor(r, {path: HOOK.path, status: 200});
    expect(got[0].body).toMatchObject({token: hooked.token, trigger_word: 'page-town'});
    await nothingMoreWithin(1000, 'the plugin\'s request only (the webhook is gone)', () => {
        expect(pt.matching(r)).toHaveLength(1);
    });
});
