// A stand-in for the plugin's HTTP API and the few Mattermost REST routes the panel calls.
// It records every request so tests can check what the panel sent. Its answers follow the
// real API's shapes; the rules themselves are tested against the real server in Go.
import fs from 'fs';
import http from 'http';
import type {AddressInfo} from 'net';
import path from 'path';

export const SAVED_TOKEN = 'saved-token';
const PLACEHOLDER = '********************************';

export type Recorded = {method: string; url: string; body: Record<string, unknown> | null};

type Settings = Record<string, string>;

function preview(settings: Settings, message: string, channelType: string) {
    const triggers = (settings.triggerwords || 'outage').split(',').map((t) => t.trim().toLowerCase()).filter(Boolean);
    const lower = message.toLowerCase();
    const matches: Array<{trigger: string; start: number; end: number}> = [];
    for (const t of triggers) {
        const i = lower.indexOf(t);
        if (i >= 0) {
            const start = Buffer.byteLength(message.slice(0, i), 'utf8');
            matches.push({trigger: t, start, end: start + Buffer.byteLength(message.slice(i, i + t.length), 'utf8')});
        }
    }
    matches.sort((a, b) => a.start - b.start);
    const level = ['critical', 'high', 'medium', 'low'].find((l) => new RegExp(`\\b${l}\\b`).test(lower));
    let reason = '';
    if (!matches.length) {
        reason = 'no trigger word in the message';
    } else if (channelType === 'P') {
        reason = 'the channel is private and "Watch private channels" is off';
    }
    return {
        would_page: !reason,
        reason: reason || undefined,
        matches,
        trigger: matches[0]?.trigger,
        urgency: level ? {urgency: level, source: 'word', word: level} : {urgency: '', source: 'default'},
        pagertree_text: matches.length ? message : undefined,
        pagertree_reads: level,
    };
}

export type StandIn = {url: string; requests: Recorded[]; seed: (entries: unknown[]) => void; close: () => Promise<void>};

export async function startStandIn(root: string, react: string): Promise<StandIn> {
    const requests: Recorded[] = [];
    const deliveries: unknown[] = [];
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
                const tok = settings.token === PLACEHOLDER ? SAVED_TOKEN : settings.token;
                const ok = tok === SAVED_TOKEN;
                const entry = {time: new Date().toISOString(), alert_id: String(deliveries.length), channel_name: 'pagertree-plugin-test', user_name: 'admin', trigger: 'test', urgency: 'low', status: ok ? 'delivered' : 'failed', attempts: 1, status_code: ok ? 200 : 403, meaning: ok ? 'accepted by PagerTree' : 'PagerTree rejected the token: the token in the plugin settings does not match the one on the PagerTree integration', test: true};
                deliveries.unshift(entry);
                json(200, {class: ok ? 'delivered' : 'permanent', status_code: entry.status_code, meaning: entry.meaning, endpoint_host: new URL(endpoint).host, format: settings.format || 'mattermost'});
                return;
            }
            case 'POST /plugins/pagertree/api/v1/preview':
                json(200, preview(settings, body?.message || '', body?.channel_type || 'O'));
                return;
            case 'GET /plugins/pagertree/api/v1/deliveries':
                json(200, {entries: deliveries});
                return;
            case 'POST /api/v4/channels/search':
                json(200, [{id: 'incidentsincidentsincident', display_name: 'Incidents', name: 'incidents', team_display_name: 'Acme', type: 'O'}]);
                return;
            default:
                json(404, {error: 'There is no such PagerTree plugin API route.'});
            }
        });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const {port} = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        seed: (entries) => deliveries.splice(0, deliveries.length, ...entries), // replaces the history, newest first
        close: () => new Promise((r) => server.close(() => r())),
    };
}
