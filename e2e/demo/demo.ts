// `make demo`: the whole loop, shown in the terminal against the local Mattermost server that
// e2e/run.sh started (E2E_DEMO=1). It starts a PagerTree stand-in that stays up (stand_in_main.ts),
// makes the users, team and channels, installs the freshly built bundle and configures it; then a
// post pages PagerTree, PagerTree's events come back to the card in the thread, a press of the
// card's Resolve button (through Mattermost's post-action API) resolves the alert in PagerTree, and
// an alert from another source gets its card in the feed channel. The card is printed as text at
// every step. Last come ready commands to try it yourself.
import {spawn} from 'child_process';
import fs from 'fs';
import net from 'net';
import path from 'path';

import type {Post} from '@mattermost/types/posts';

import {cardOf, cardText} from './card_text';
import type {CardAttachment} from './card_text';
import type {LogLine} from './stand_in_main';

import {PATHS} from '../src/stand_in';
import {command, createWorld, installPlugin, PASSWORD, post, setPluginSettings, verifyEmail, waitUntil} from '../src/world';
import type {World} from '../src/world';

const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';
const RUN = process.env.E2E_RUN || '';
const TOKEN = 'demo-token';
const API_KEY = 'ptk_demo_api_key';
const TTY = Boolean(process.stdout.isTTY);

const bold = (s: string) => (TTY ? `\x1b[1m${s}\x1b[0m` : s);
const step = (n: number, s: string) => console.log(`\n${bold(`${n}. ${s}`)}`);
const indent = (s: string | string[], by = '   ') => (Array.isArray(s) ? s : s.split('\n')).map((l) => by + l).join('\n');
const say = (s: string | string[]) => console.log(indent(s));

// An alert as the stand-in's app shows it (app_api.ts alertView).
type Alert = {number: number; id: string; status: string; title: string; thirdparty_id: string};

// shown names a file relative to where `make demo` runs, or in full when it is elsewhere.
function shown(file: string): string {
    const rel = path.relative(process.cwd(), file);
    return rel.startsWith('..') ? file : rel;
}

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

// The stand-in's two addresses: what the plugin talks to, and PagerTree's app.
async function startStandIn(logFile: string): Promise<{url: string; app: string}> {
    const [port, appPort] = [await freePort(), await freePort()];
    const args = [path.join(__dirname, 'stand_in_main.js'), String(port), String(appPort), TOKEN, API_KEY, logFile];
    const child = spawn(process.execPath, args, {detached: true, stdio: 'ignore'});
    fs.writeFileSync(path.join(RUN, 'stand-in.pid'), String(child.pid));
    child.unref();
    const url = `http://127.0.0.1:${port}`;
    const app = `http://127.0.0.1:${appPort}`;
    await waitUntil(async () => (await fetch(url)).status === 404 && (await fetch(`${app}/app/alerts`)).ok, 'the PagerTree stand-in', 10000);
    return {url, app};
}

function logged(logFile: string): LogLine[] {
    if (!fs.existsSync(logFile)) {
        return [];
    }
    return fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as LogLine);
}

// waitLogged waits for a line of the stand-in's log that matches, after the first `after` lines.
async function waitLogged(logFile: string, after: number, what: string, match: (l: LogLine) => boolean): Promise<LogLine> {
    let found: LogLine | undefined;
    await waitUntil(() => {
        found = logged(logFile).slice(after).find(match);
        return Boolean(found);
    }, what);
    return found as LogLine;
}

async function app(base: string, method: string, p: string, body?: unknown): Promise<unknown> {
    const res = await fetch(base + p, {method, headers: {'Content-Type': 'application/json'}, body: body === undefined ? undefined : JSON.stringify(body)});
    const json = await res.json();
    if (!res.ok) {
        throw new Error(`the stand-in's app answered ${res.status} to ${method} ${p}: ${JSON.stringify(json)}`);
    }
    return json;
}

// An event as the stand-in sent it, with the keys that matter to the card.
function eventSummary(l: LogLine): string {
    if (l.dir !== 'out') {
        return '';
    }
    const d = l.body.data as Record<string, unknown>;
    const keep = ['id', 'tinyId', 'thirdparty_id', 'status', 'urgency', 'title', 'acknowledgedby', 'resolvedby', 'd_user'];
    const data = Object.fromEntries(keep.filter((k) => d[k] !== undefined).map((k) => [k, d[k]]));
    return `${JSON.stringify({type: l.body.type, data})}\n→ the plugin's receiver answered ${l.status} ${l.answer.trim()}`;
}

class Thread {
    private names = new Map<string, string>();
    private w: World;
    private botId: string;

    constructor(w: World, botId: string) {
        this.w = w;
        this.botId = botId;
    }

    async posts(rootId: string): Promise<Post[]> {
        const t = await this.w.admin.getPostThread(rootId);
        return Object.values(t.posts).sort((a, b) => a.create_at - b.create_at);
    }

    async card(rootId: string): Promise<Post | undefined> {
        return (await this.posts(rootId)).find((x) => x.user_id === this.botId && cardOf(x));
    }

    // waitCard waits until the thread's card passes check, and returns it.
    async waitCard(rootId: string, what: string, check: (a: CardAttachment) => boolean): Promise<Post> {
        let found: Post | undefined;
        await waitUntil(async () => {
            found = await this.card(rootId);
            return Boolean(found && check(cardOf(found) as CardAttachment));
        }, what, 20000);
        return found as Post;
    }

    async name(userId: string): Promise<string> {
        if (!this.names.has(userId)) {
            this.names.set(userId, (await this.w.admin.getUser(userId)).username);
        }
        return this.names.get(userId) as string;
    }

    // show prints the thread: the root post, its reactions, and each reply (a card as text).
    async show(rootId: string): Promise<void> {
        const [root, ...replies] = await this.posts(rootId);
        say(`@${await this.name(root.user_id)}: ${root.message}`);
        const reactions = await this.w.admin.getReactionsForPost(root.id);
        for (const r of reactions) {
            say(`   :${r.emoji_name}: by @${await this.name(r.user_id)}`);
        }
        for (const r of replies) {
            const who = `↳ @${await this.name(r.user_id)}`;
            const card = cardOf(r);
            if (card) {
                say(`${who} (the card, a reply in the thread):`);
                say(indent(cardText(card, TTY), '     '));
            } else {
                say(`${who}: ${r.message}`);
            }
        }
    }
}

function field(a: CardAttachment, title: string): string {
    return a.fields?.find((f) => f.title === title)?.value || '';
}

async function main(): Promise<void> {
    if (!MM_URL || !BUNDLE || !RUN) {
        throw new Error('run this with `make demo`: it starts Mattermost and sets MM_URL, PLUGIN_BUNDLE and E2E_RUN');
    }
    const began = Date.now();
    const logFile = path.join(RUN, 'pagertree-requests.jsonl');
    step(1, `Mattermost ${process.env.MM_SERVER_VERSION || ''} is running at ${MM_URL} with PostgreSQL`);
    const pt = await startStandIn(logFile);
    say([
        `PagerTree stand-in at ${pt.url}: the integration (token "${TOKEN}") and the REST API (key "${API_KEY}");`,
        `its app (what a person does in PagerTree) at ${pt.app}. It records every request in ${shown(logFile)}.`,
    ]);

    step(2, 'Users, team and channels: admin (System Admin), alice and bob in team "acme", ~ops and the feed channel ~alerts');
    const w = await createWorld(MM_URL);
    await verifyEmail(w, w.aliceUser.id); // PagerTree's alice@example.com is shown as @alice only on a verified e-mail
    const feed = await w.admin.createChannel({team_id: w.team.id, name: 'alerts', display_name: 'alerts', type: 'O'} as never);
    for (const u of [w.aliceUser, w.bobUser]) {
        await w.admin.addToChannel(u.id, feed.id);
    }
    const endpoint = pt.url + PATHS.mattermost;
    await setPluginSettings(w, {
        Enabled: true,
        EndpointURL: endpoint,
        Token: TOKEN,
        Format: 'mattermost',
        TriggerWords: 'outage, sev-1, db down',
        MatchMode: 'whole_word',
        ReactionEmoji: 'rotating_light',
        ReplyInThread: true,
        StatusUpdates: 'card_and_replies',
        APIKey: API_KEY,
        APIBaseURL: pt.url,
        WhoMayPress: 'channel_members',
        ExternalAlertsChannel: feed.id,
        UpdatesArrive: 'pushed',
    });
    await installPlugin(w, BUNDLE);
    const botId = (await w.admin.getUserByUsername('pagertree')).id;
    const receiver = await (await fetch(`${MM_URL}/plugins/pagertree/api/v1/receiver`, {headers: {Authorization: `Bearer ${w.admin.getToken()}`}})).json() as {url: string; secret_url: string};
    await app(pt.app, 'PUT', '/app/outgoing-webhook', {url: receiver.secret_url, linked_data: true});
    say([
        `Installed ${shown(BUNDLE)} and set it up: endpoint ${endpoint}, trigger words`,
        '"outage, sev-1, db down", reaction :rotating_light:, card and replies in the thread, PagerTree API key',
        '(the buttons act through PagerTree\'s REST API), alerts from other sources to ~alerts.',
        `PagerTree's "Outgoing Webhook" integration points at the plugin's receiver: ${receiver.url}/<secret>`,
    ]);
    const thread = new Thread(w, botId);

    const message = 'db down, urgency:high';
    step(3, `alice posts in ~ops: "${message}"`);
    const mark = logged(logFile).length;
    const p = await post(w.alice, w.ops.id, message);

    step(4, `What PagerTree received (POST ${PATHS.mattermost}):`);
    const got = await waitLogged(logFile, mark, 'PagerTree to receive the alert', (l) => l.dir === 'in' && l.path === PATHS.mattermost && l.body.post_id === p.id);
    say(JSON.stringify(got.body, null, 2));
    const tp = `${got.body.channel_id}.${got.body.timestamp}`;
    const created = await waitLogged(logFile, mark, 'PagerTree\'s alert.created event', (l) => l.dir === 'out' && l.body.type === 'alert.created' && (l.body.data as {thirdparty_id?: string}).thirdparty_id === tp);
    const alert = (await app(pt.app, 'GET', '/app/alerts') as Alert[]).find((a) => a.thirdparty_id === tp) as Alert;
    say([`→ the stand-in answered ${got.status} and made alert #${alert.number} (${alert.id}); it sent the event:`, ...eventSummary(created).split('\n')]);

    step(5, 'In ~ops: the reaction, and the card in the thread');
    await waitUntil(async () => (await w.admin.getReactionsForPost(p.id)).some((x) => x.emoji_name === 'rotating_light'), 'the reaction');
    await thread.waitCard(p.id, 'the card with the alert\'s number', (a) => a.title === `PagerTree alert #${alert.number}`);
    await thread.show(p.id);

    step(6, `In PagerTree, Ann Alice (alice@example.com) acknowledges alert #${alert.number}; PagerTree sends the event to the plugin`);
    let at = logged(logFile).length;
    await app(pt.app, 'POST', `/app/alerts/${alert.number}/acknowledge`);
    say(eventSummary(await waitLogged(logFile, at, 'the alert.acknowledged event', (l) => l.dir === 'out' && l.body.type === 'alert.acknowledged')));

    step(7, 'The card turns acknowledged, and a reply says so');
    await thread.waitCard(p.id, 'the acknowledged card', (a) => field(a, 'Status') === 'Acknowledged');
    await waitUntil(async () => (await thread.posts(p.id)).some((x) => x.message.startsWith('**Acknowledged**')), 'the Acknowledged reply');
    await thread.show(p.id);

    step(8, 'alice presses Resolve on the card (Mattermost\'s post-action API, as the web and mobile apps do)');
    const card = await thread.card(p.id) as Post;
    at = logged(logFile).length;
    const pressed = await fetch(`${MM_URL}/api/v4/posts/${card.id}/actions/resolve`, {method: 'POST', headers: {Authorization: `Bearer ${w.alice.getToken()}`}, body: '{}'});
    say(`POST /api/v4/posts/${card.id}/actions/resolve → ${pressed.status} ${(await pressed.text()).trim()}`);
    if (!pressed.ok) {
        throw new Error('Mattermost refused the button press');
    }
    const pending = cardOf(await thread.card(p.id));
    if (pending && field(pending, 'From Mattermost')) {
        say(['The card right away, until PagerTree confirms:', ...indent(cardText(pending, TTY), '  ').split('\n')]);
    }

    step(9, 'PagerTree resolves: the plugin called its REST API with the key; PagerTree sends the event');
    const resolved = await waitLogged(logFile, at, 'the alert.resolved event', (l) => l.dir === 'out' && l.body.type === 'alert.resolved');
    for (const l of logged(logFile).slice(at)) {
        if (l.dir === 'in') {
            say(`${l.method} ${l.url} → ${l.status}${l.method === 'POST' && l.body.body ? `   ${JSON.stringify(l.body)}` : ''}`);
        }
    }
    say(eventSummary(resolved));

    step(10, 'The card is resolved: no buttons left, and a reply says who resolved it');
    await thread.waitCard(p.id, 'the resolved card', (a) => field(a, 'Status') === 'Resolved');
    await waitUntil(async () => (await thread.posts(p.id)).some((x) => x.message.startsWith('**Resolved**')), 'the Resolved reply');
    await thread.show(p.id);

    step(11, 'An alert from another source (monitoring) in PagerTree: its card appears in ~alerts');
    at = logged(logFile).length;
    const other = await app(pt.app, 'POST', '/app/alerts', {title: 'Disk full on db1', description: '98% used on /var'}) as Alert;
    say(eventSummary(await waitLogged(logFile, at, 'the other alert\'s alert.created event', (l) => l.dir === 'out' && (l.body.data as {id?: string}).id === other.id)));
    let feedCard: Post | undefined;
    await waitUntil(async () => {
        const list = await w.admin.getPosts(feed.id, 0, 20);
        feedCard = Object.values(list.posts).find((x) => x.user_id === botId && x.props?.pagertree_alert === `pt.${other.id}`);
        return Boolean(feedCard);
    }, 'the card in ~alerts', 20000);
    const fc = feedCard as Post;
    say(`~alerts, a new post by @pagertree: ${fc.message}`);
    say(indent(cardText(cardOf(fc) as CardAttachment, TTY), '  '));

    step(12, '/pagertree history (as admin, in ~ops):');
    say(await command(w.admin, w, w.ops.id, '/pagertree history 5'));
    console.log(`\n(walked through in ${((Date.now() - began) / 1000).toFixed(1)} s)`);

    await tryItYourself(w, pt, receiver.secret_url, logFile, fc, other);
}

// stopCommand: make demo-stop knows the run directory `make demo` uses; any other was chosen by
// hand (E2E_RUN_DIR), and its processes are stopped by the ids recorded there.
function stopCommand(): string {
    const makeDemoRun = path.resolve(__dirname, '..', '..', '.run-demo');
    return path.resolve(RUN) === makeDemoRun ? 'make demo-stop' : `kill $(cat ${path.join(RUN, '*.pid')})`;
}

// tryItYourself prints ready commands with this run's addresses, ids and tokens.
async function tryItYourself(w: World, pt: {url: string; app: string}, secretURL: string, logFile: string, feedCard: Post, other: Alert): Promise<void> {
    // The server comes from Go modules, which do not hold Mattermost's web app: no browser UI,
    // so the way in is the REST API, with tokens made here.
    const tokens = {
        admin: (await w.admin.createUserAccessToken(w.adminUser.id, 'make demo')).token,
        alice: (await w.admin.createUserAccessToken(w.aliceUser.id, 'make demo')).token,
    };
    const api = `${MM_URL}/api/v4`;
    const comment = JSON.stringify({type: 'comment.created', data: {id: 'cmt_CMTID', commentable_type: 'Alert', commentable_id: other.id, body: 'Cleaning up /var/log', created_by_name: 'Dee Ops'}}).
        replace('CMTID', "'$(date +%s)'");
    console.log(`\n${bold('The demo is still running — try it yourself:')}`);
    say([
        `Mattermost API:  ${api}   (no browser UI: the server is built from Go modules, which do not hold the web app)`,
        `Users:           admin / ${PASSWORD} (System Admin), alice / ${PASSWORD}; tokens: admin ${tokens.admin}, alice ${tokens.alice}`,
        '',
        'Page PagerTree as alice (a trigger word in ~ops): the reaction and a card follow in the thread',
        `  curl -s -H 'Authorization: Bearer ${tokens.alice}' -d '{"channel_id":"${w.ops.id}","message":"sev-1 checkout is down"}' ${api}/posts`,
        `Press the buttons of alert #${other.number}'s card in ~alerts as alice (Mattermost's post-action API):`,
        `  curl -s -H 'Authorization: Bearer ${tokens.alice}' -d '{}' ${api}/posts/${feedCard.id}/actions/acknowledge`,
        `  curl -s -H 'Authorization: Bearer ${tokens.alice}' -d '{}' ${api}/posts/${feedCard.id}/actions/resolve`,
        'Read that card as JSON (props.attachments):',
        `  curl -s -H 'Authorization: Bearer ${tokens.alice}' ${api}/posts/${feedCard.id}`,
        '',
        'Act in PagerTree (the stand-in\'s app); PagerTree then sends its event to the plugin, and the card follows:',
        `  curl -s ${pt.app}/app/alerts                                   # the alerts, with their numbers`,
        `  curl -s -X POST ${pt.app}/app/alerts/${other.number}/acknowledge                 # as Ann Alice; -d '{"name":"Pat Tree"}' for someone else`,
        `  curl -s -X POST ${pt.app}/app/alerts/${other.number}/resolve`,
        `  curl -s -d '{"title":"CPU high on web3","description":"load 12 on 4 cores"}' ${pt.app}/app/alerts   # another source: a card in ~alerts`,
        `  curl -s -d '{"body":"Rolling back the deploy","name":"Dee Ops"}' ${pt.app}/app/alerts/${other.number}/comments   # a reply in the card's thread`,
        'Send a PagerTree event yourself (what PagerTree POSTs to the plugin\'s receiver; the URL holds the secret):',
        `  curl -s -H 'Content-Type: application/json' -d '${comment}' ${secretURL}`,
        '',
        `/pagertree status: curl -s -H 'Authorization: Bearer ${tokens.admin}' -d '{"channel_id":"${w.ops.id}","command":"/pagertree status"}' ${api}/commands/execute`,
        `What PagerTree got and sent: tail -f ${shown(logFile)}`,
        `Plugin metrics:  curl -s ${process.env.MM_METRICS_URL || ''}/plugins/pagertree/metrics`,
        `Stop everything: ${stopCommand()}`,
    ]);
}

main().catch((e) => {
    console.error(`\ndemo: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
});
