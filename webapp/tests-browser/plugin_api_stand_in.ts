// A stand-in for the plugin's HTTP API and the few Mattermost REST routes the panel calls.
// It records every request so tests can check what the panel sent. Its answers follow the
// real API's shapes; previews are the real server's answers, canned.
import fs from 'fs';
import http from 'http';
import type {AddressInfo} from 'net';
import path from 'path';

export const SAVED_TOKEN = 'saved-token';
const PLACEHOLDER = '********************************';

export type Recorded = {method: string; url: string; body: Record<string, unknown> | null};

type Settings = Record<string, string>;

// The preview's answers are canned: canned_previews.json holds requests with the real server's
// answers (a Go test, TestBrowserStandInPreviewsAreTheServers, keeps them true), so the rules
// live in the server only. A preview nobody canned is an error the test sees.
type Canned = {request: {message: string; channel_type: string}; response: unknown};
const CANNED: Canned[] = JSON.parse(fs.readFileSync(path.join(__dirname, 'canned_previews.json'), 'utf8'));

function preview(message: string, channelType: string): [number, unknown] {
    const hit = CANNED.find((c) => c.request.message === message && c.request.channel_type === channelType);
    if (!hit) {
        return [500, {error: `No canned preview for ${JSON.stringify({message, channel_type: channelType})}: add one to canned_previews.json.`}];
    }
    return [200, hit.response];
}

// The settings check's answers are canned the same way: canned_settings_checks.json holds, per
// setting value, the real server's part of the answer (TestBrowserStandInSettingsChecksAreTheServers
// keeps them true). An answer is put together from the entries for each checked setting on screen;
// a value nobody canned is recorded in uncanned, for the test to see.
type CannedCheck = {settings: Record<string, unknown>; answer: Record<string, Record<string, unknown>>};
const CANNED_CHECKS: CannedCheck[] = JSON.parse(fs.readFileSync(path.join(__dirname, 'canned_settings_checks.json'), 'utf8'));
const CHECKED = ['endpointurl', 'triggerwords', 'urgencyaliases', 'incidentseverities', 'channelallowlist', 'apibaseurl'];

function settingsCheck(onScreen: Record<string, unknown>, uncanned: string[]): [number, unknown] {
    const answer: Record<string, Record<string, unknown>> = {fields: {}, hints: {}, lists: {}, choices: {}};
    for (const key of CHECKED.filter((k) => k in onScreen)) {
        const hits = CANNED_CHECKS.filter((c) => {
            const canned = Object.entries(c.settings).map(([k, v]) => [k.toLowerCase(), v]);
            return canned.some(([k]) => k === key) && canned.every(([k, v]) => onScreen[k as string] === v);
        });
        if (hits.length === 0) {
            uncanned.push(`${key}=${JSON.stringify(onScreen[key])}`);
            return [500, {error: `No canned settings check for ${key} = ${JSON.stringify(onScreen[key])}: add one to canned_settings_checks.json.`}];
        }
        for (const hit of hits) {
            for (const part of Object.keys(answer)) {
                Object.assign(answer[part], hit.answer[part] || {});
            }
        }
    }
    return [200, answer];
}

// PAGED_POST is the message the browser test pages from.
export const PAGED_POST = 'postpostpostpostpostpostpo';
const pagePrefill = {
    post_id: PAGED_POST,
    author: 'bob',
    channel: 'Ops',
    title: 'checkout is failing for EU customers',
    title_max: 120,
    note_max: 1000,
    routes: [{key: 'db', label: 'Database', urgency: 'high'}, {key: '@default', label: 'Default route', urgency: ''}],
    route: 'db',
    urgencies: [{value: '', label: 'PagerTree default'}, ...['low', 'medium', 'high', 'critical'].map((u) => ({value: u, label: u}))],
    severities: [{value: '', label: 'None (not an incident)'}, ...[1, 2, 3, 4, 5].map((n) => ({value: `SEV-${n}`, label: `SEV-${n}`}))],
};

export type StandIn = {url: string; requests: Recorded[]; uncanned: string[]; seed: (entries: unknown[]) => void; saveRoutes: (routes: unknown[]) => void; close: () => Promise<void>};

type Hook = {id: string; team_id: string; channel_id: string; trigger_words: string[]; trigger_when: number; callback_urls: string[]; display_name: string; content_type: string; token: string; delete_at: number};

// The conversion is the server's (routing.Import, Go-tested): canned here for these two hooks.
function importAnswer(webhooks: Hook[]) {
    const pt = webhooks.find((h) => h.id === 'hookpthookpthookpthookptho');
    return {
        found: webhooks.length,
        routes: pt ? [{
            route: {id: 'wh' + pt.id, name: pt.display_name, teams: [pt.team_id], endpoint_url: pt.callback_urls[0], format: 'mattermost', trigger_words: 'net, link', match_mode: 'first_word_is', imported_from: pt.id},
            token: pt.token,
            webhook_id: pt.id,
            warnings: ['it sends application/x-www-form-urlencoded; the plugin sends JSON, which PagerTree\'s Mattermost integration reads'],
        }] : [],
        skipped: webhooks.filter((h) => h !== pt).map((h) => ({webhook_id: h.id, display_name: h.display_name, reason: 'none of its callback URLs is a PagerTree integration endpoint (…/integration/int_…)'})),
    };
}

export async function startStandIn(root: string, react: string): Promise<StandIn> {
    const requests: Recorded[] = [];
    const uncanned: string[] = [];
    let savedRoutes: unknown[] = [];
    const hooks: Hook[] = [
        {id: 'hookpthookpthookpthookptho', team_id: 'netteamnetteamnetteamnette', channel_id: '', trigger_words: ['net', 'link'], trigger_when: 0, callback_urls: ['https://api.pagertree.com/integration/int_net'], display_name: 'Network on-call', content_type: 'application/x-www-form-urlencoded', token: 'hook-token', delete_at: 0},
        {id: 'hookslackhookslackhookslac', team_id: 'netteamnetteamnetteamnette', channel_id: '', trigger_words: ['deploy'], trigger_when: 0, callback_urls: ['https://hooks.slack.com/services/T0/B0/x'], display_name: 'Slack relay', content_type: 'application/json', token: 'other', delete_at: 0},
    ];
    const deliveries: unknown[] = [];
    const receiver = {
        url: 'https://chat.example.com/plugins/pagertree/api/v1/pagertree/events',
        secret_url: 'https://chat.example.com/plugins/pagertree/api/v1/pagertree/events/first-url-secret',
        advice: {mode: 'basic_auth', text: 'Basic auth reaches the plugin on this server (the last event\'s Authorization header arrived).'},
        username: 'pagertree',
        password: 'first-password',
        created: '2026-01-01T00:00:00Z',
        last_event: {at: '2026-01-01T10:00:00Z', type: 'alert.acknowledged', matched: true, header_arrived: true, by_url_secret: false},

        // What the server answers today (server/api_receiver.go receiverEvents).
        events: ['alert.created', 'alert.open', 'alert.acknowledged', 'alert.rejected', 'alert.timeout', 'alert.resolved', 'alert.dropped', 'alert.handoff', 'comment.created'],
    };
    const files: Record<string, [string, string]> = {
        '/': [path.join(root, 'tests-browser/host/index.html'), 'text/html'],
        '/host.js': [path.join(root, `test-results/host-react${react}.js`), 'text/javascript'],
        '/plugins/pagertree/main.js': [path.join(root, 'dist/main.js'), 'text/javascript'],
    };
    const server = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (c) => {
            raw += c;
        });
        req.on('end', () => {
            const url = new URL(req.url || '/', 'http://x');
            const body = raw ? JSON.parse(raw) : null;
            requests.push({method: req.method || '', url: url.pathname, body});
            const json = (code: number, v: unknown) => {
                res.writeHead(code, {'Content-Type': 'application/json'});
                res.end(JSON.stringify(v));
            };
            const file = files[url.pathname];
            if (file) {
                res.writeHead(200, {'Content-Type': file[1]});
                res.end(fs.readFileSync(file[0]));
                return;
            }
            if (url.pathname === '/favicon.ico') {
                res.writeHead(204);
                res.end();
                return;
            }
            const settings: Settings = body?.settings || {};
            switch (`${req.method} ${url.pathname}`) {
            case 'POST /plugins/pagertree/api/v1/test': {
                const endpoint = settings.endpointurl || '';
                if (!endpoint) {
                    json(422, {error: 'Fix the settings first: no PagerTree endpoint URL is set: paste the Endpoint URL of your PagerTree integration.'});
                    return;
                }
                const savedToken = body?.route_id || settings.token === PLACEHOLDER; // a route's saved token, in this stand-in
                const tok = savedToken ? SAVED_TOKEN : settings.token;
                const ok = tok === SAVED_TOKEN;
                const entry = {time: new Date().toISOString(), alert_id: String(deliveries.length), channel_name: 'pagertree-plugin-test', user_name: 'admin', trigger: 'test', urgency: 'low', status: ok ? 'delivered' : 'failed', attempts: 1, status_code: ok ? 200 : 403, meaning: ok ? 'accepted by PagerTree' : 'PagerTree rejected the token: the token in the plugin settings does not match the one on the PagerTree integration', test: true};
                deliveries.unshift(entry);
                const route = body?.route_id ? {route_id: body.route_id, route_name: body.route_id === 'db' ? 'Database' : body.route_id} : {};
                json(200, {class: ok ? 'delivered' : 'permanent', status_code: entry.status_code, meaning: entry.meaning, endpoint_host: new URL(endpoint).host, format: settings.format || 'mattermost', ...route});
                return;
            }
            case 'POST /plugins/pagertree/api/v1/settings/check':
                json(...settingsCheck(body?.settings || {}, uncanned));
                return;
            case 'POST /plugins/pagertree/api/v1/preview':
                json(...preview(body?.message || '', body?.channel_type || 'O'));
                return;
            case 'GET /plugins/pagertree/api/v1/receiver':
                json(200, receiver);
                return;
            case 'POST /plugins/pagertree/api/v1/receiver/regenerate':
                receiver.password = 'second-password';
                receiver.secret_url = receiver.url + '/second-url-secret';
                json(200, receiver);
                return;
            case 'POST /plugins/pagertree/api/v1/apikey/check':
                // Canned: the saved-key rule and PagerTree's answer are the server's (api_apikey_test.go).
                if (settings.apikey === 'ptk_good') {
                    json(200, {ok: true, message: 'PagerTree accepted the API key: it sees 2 teams (Devops, Databases).', host: 'api.pagertree.com', teams: 2});
                } else {
                    json(200, {ok: false, kind: 'bad_key', status: 401, message: 'PagerTree rejected the API key: it is wrong, revoked or belongs to a removed user.', host: 'api.pagertree.com', teams: 0});
                }
                return;
            case 'GET /plugins/pagertree/api/v1/deliveries':
                json(200, {entries: deliveries});
                return;
            case 'POST /plugins/pagertree/api/v1/routes/import':
                json(200, importAnswer(body?.webhooks || []));
                return;
            case 'GET /plugins/pagertree/api/v1/routes/saved':
                json(200, {routes: savedRoutes});
                return;
            case 'GET /plugins/pagertree/api/v1/page-from-post':
                // The server's answer's shape (TestPageFromPostPrefill): a message in a channel with its own route.
                if (url.searchParams.get('post_id') !== PAGED_POST) {
                    json(404, {error: 'That message was not found, or you cannot read it.'});
                    return;
                }
                json(200, pagePrefill);
                return;
            case 'POST /plugins/pagertree/api/v1/page-from-post':
                if (!String(body?.title || '').trim()) {
                    json(400, {error: 'Give the alert a title: what is happening, in a few words.', field: 'title'});
                    return;
                }
                json(200, {message: 'PagerTree is being paged through the route "Database". The status card appears in the message\'s thread.', alert_id: 'alert1', permalink: `https://chat.example.com/acme/pl/${PAGED_POST}`});
                return;
            case 'GET /api/v4/hooks/outgoing':
                // Mattermost's outgoing-webhook API, as the admin's session sees it.
                json(200, url.searchParams.get('page') === '0' ? hooks.filter((h) => !h.delete_at) : []);
                return;
            case 'POST /api/v4/teams/search':
                json(200, [{id: 'netteamnetteamnetteamnette', display_name: 'Network', name: 'network'}]);
                return;
            case 'POST /api/v4/channels/search':
                json(200, [{id: 'incidentsincidentsincident', display_name: 'Incidents', name: 'incidents', team_display_name: 'Acme', type: 'O'}]);
                return;
            default:
                if (req.method === 'DELETE' && url.pathname.startsWith('/api/v4/hooks/outgoing/')) {
                    const hook = hooks.find((h) => h.id === url.pathname.split('/').pop());
                    if (hook) {
                        hook.delete_at = Date.now();
                        json(200, {status: 'OK'});
                    } else {
                        json(404, {message: 'Unable to get the outgoing webhook.'});
                    }
                    return;
                }
                if (req.method === 'GET' && url.pathname.startsWith('/api/v4/teams/')) {
                    json(200, {id: url.pathname.split('/').pop(), display_name: 'Network', name: 'network'});
                    return;
                }
                if (req.method === 'GET' && url.pathname.startsWith('/api/v4/channels/')) {
                    json(200, {id: url.pathname.split('/').pop(), display_name: 'Databases', name: 'db', team_id: 'team1', type: 'O'});
                    return;
                }
                json(404, {error: 'There is no such PagerTree plugin API route.'});
            }
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const {port} = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        uncanned,
        seed: (entries) => deliveries.splice(0, deliveries.length, ...entries), // replaces the history, newest first
        saveRoutes: (routes) => {
            savedRoutes = routes;
        },
        close: () => new Promise((r) => server.close(() => r())),
    };
}
