// `make demo`: the plugin's main job, shown in the terminal against the local Mattermost server
// that e2e/run.sh started (E2E_DEMO=1). It starts a PagerTree stand-in that stays up, makes the
// users, team and ~ops, installs the freshly built bundle, configures it, posts a trigger as a
// user, and prints what PagerTree received, what the channel shows and /pagertree history.
import {spawn} from 'child_process';
import fs from 'fs';
import net from 'net';
import path from 'path';

import {PATHS} from '../src/stand_in';
import {command, createWorld, installPlugin, PASSWORD, post, setPluginSettings, waitUntil} from '../src/world';

const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';
const RUN = process.env.E2E_RUN || '';
const TOKEN = 'demo-token';

const bold = (s: string) => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
const step = (n: number, s: string) => console.log(`\n${bold(`${n}. ${s}`)}`);
const indent = (s: string) => s.split('\n').map((l) => '   ' + l).join('\n');

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

type Logged = {at: string; path: string; status: number; body: Record<string, unknown>};

async function startStandIn(logFile: string): Promise<string> {
    const port = await freePort();
    const child = spawn(process.execPath, [path.join(__dirname, 'stand_in_main.js'), String(port), TOKEN, logFile], {detached: true, stdio: 'ignore'});
    fs.writeFileSync(path.join(RUN, 'stand-in.pid'), String(child.pid));
    child.unref();
    const url = `http://127.0.0.1:${port}`;
    await waitUntil(async () => (await fetch(url)).status === 404, 'the PagerTree stand-in', 10000);
    return url;
}

function received(logFile: string): Logged[] {
    if (!fs.existsSync(logFile)) {
        return [];
    }
    return fs.readFileSync(logFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Logged);
}

async function main(): Promise<void> {
    if (!MM_URL || !BUNDLE || !RUN) {
        throw new Error('run this with `make demo`: it starts Mattermost and sets MM_URL, PLUGIN_BUNDLE and E2E_RUN');
    }
    const logFile = path.join(RUN, 'pagertree-requests.jsonl');
    step(1, `Mattermost ${process.env.MM_SERVER_VERSION || ''} is running at ${MM_URL} with PostgreSQL`);
    const standIn = await startStandIn(logFile);
    console.log(indent(`PagerTree stand-in listening at ${standIn} (token "${TOKEN}"; it records every request)`));

    step(2, 'Users, team and channel: admin (System Admin), alice and bob in team "acme", channel ~ops');
    const w = await createWorld(MM_URL);
    const endpoint = standIn + PATHS.mattermost;
    await setPluginSettings(w, {
        Enabled: true,
        EndpointURL: endpoint,
        Token: TOKEN,
        Format: 'mattermost',
        TriggerWords: 'outage, sev-1, db down',
        MatchMode: 'whole_word',
        ReactionEmoji: 'rotating_light',
        ReplyInThread: true,
    });
    await installPlugin(w, BUNDLE);
    console.log(indent(`Installed ${path.relative(process.cwd(), BUNDLE)} and set it up: endpoint ${endpoint},\ntrigger words "outage, sev-1, db down", reaction :rotating_light:, reply in thread`));

    const message = 'db down, urgency:high';
    step(3, `alice posts in ~ops: "${message}"`);
    const p = await post(w.alice, w.ops.id, message);

    step(4, `What PagerTree received (POST ${PATHS.mattermost}):`);
    await waitUntil(() => received(logFile).some((r) => r.body.post_id === p.id), 'PagerTree to receive the alert');
    const got = received(logFile).find((r) => r.body.post_id === p.id) as Logged;
    console.log(indent(JSON.stringify(got.body, null, 2)));
    console.log(indent(`→ the stand-in answered ${got.status}`));

    step(5, 'In ~ops: the reaction and the bot\'s reply in the thread');
    await waitUntil(async () => (await w.admin.getReactionsForPost(p.id)).some((x) => x.emoji_name === 'rotating_light'), 'the reaction');
    await waitUntil(async () => Object.values((await w.admin.getPostThread(p.id)).posts).some((x) => x.root_id === p.id), 'the bot reply');
    const reactions = await w.admin.getReactionsForPost(p.id);
    const users = await w.admin.getProfilesByIds([...new Set(reactions.map((r) => r.user_id))]);
    const name = (id: string) => users.find((u) => u.id === id)?.username || id;
    console.log(indent(`@alice: ${message}`));
    console.log(indent(`   reactions: ${reactions.map((r) => `:${r.emoji_name}: by @${name(r.user_id)}`).join(', ')}`));
    const replies = Object.values((await w.admin.getPostThread(p.id)).posts).filter((x) => x.root_id === p.id);
    for (const r of replies) {
        const author = (await w.admin.getUser(r.user_id)).username;
        console.log(indent(`   ↳ @${author} (in the thread): ${r.message}`));
    }

    step(6, '/pagertree history (as admin, in ~ops):');
    console.log(indent(await command(w.admin, w, w.ops.id, '/pagertree history 5')));

    // The server comes from Go modules, which do not hold Mattermost's web app: no browser UI,
    // so the way in is the REST API, with tokens made here.
    const tokens = {
        admin: (await w.admin.createUserAccessToken(w.adminUser.id, 'make demo')).token,
        alice: (await w.admin.createUserAccessToken(w.aliceUser.id, 'make demo')).token,
    };
    const api = `${MM_URL}/api/v4`;
    console.log(`\n${bold('The demo is still running — try it yourself:')}`);
    console.log(indent([
        `Mattermost API:     ${api}   (no browser UI: the server is built from Go modules, which do not hold the web app)`,
        `Users:              admin / ${PASSWORD} (System Admin), alice / ${PASSWORD}; tokens: admin ${tokens.admin}, alice ${tokens.alice}`,
        `Post as alice:      curl -s -H 'Authorization: Bearer ${tokens.alice}' -d '{"channel_id":"${w.ops.id}","message":"sev-1 checkout is down"}' ${api}/posts`,
        `/pagertree history: curl -s -H 'Authorization: Bearer ${tokens.admin}' -d '{"channel_id":"${w.ops.id}","command":"/pagertree history"}' ${api}/commands/execute`,
        `What PagerTree got: tail -f ${path.relative(process.cwd(), logFile)}   (stand-in at ${standIn})`,
        `Plugin metrics:     curl -s ${process.env.MM_METRICS_URL || ''}/plugins/pagertree/metrics`,
        'Stop everything:    make demo-stop',
    ].join('\n')));
}

main().catch((e) => {
    console.error(`\ndemo: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
});
