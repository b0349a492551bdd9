// What an outside probe tried (issue 21), on the real server: a saved secret must not follow a URL
// changed behind its mask, settings that use would refuse are refused when saved, and Markdown
// from PagerTree shows no image — the Mattermost server fetches none.
import type {Post} from '@mattermost/types/posts';

import {scenarioSettings} from '../src/scenario_settings';
import {PagerTreeStandIn, PATHS} from '../src/stand_in';
import {command, installPlugin, nothingMoreWithin, pluginRunning, post, ref, setPluginSettings, sharedWorld, waitUntil} from '../src/world';
import type {PluginSettings, World} from '../src/world';

const TOKEN = 'e2e-untrusted-token';
const KEY = 'ptk_e2e_untrusted_key';
const MASK = '********************************'; // how the System Console sends back a saved secret
const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';

let w: World;
let botId = '';
const pt = new PagerTreeStandIn(TOKEN);
let base: PluginSettings;

type Attachment = {title: string; text?: string; fields: Array<{title: string; value: string}>};

function pluginApi(p: string, body?: unknown): Promise<Response> {
    return fetch(`${MM_URL}/plugins/pagertree/api/v1/${p}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {'Content-Type': 'application/json', Authorization: `Bearer ${w.admin.getToken()}`},
        body: body === undefined ? undefined : JSON.stringify(body),
    });
}

// putConfig sends the whole config as the System Console does (secrets come back masked), with
// the plugin's settings changed.
async function putConfig(change: (s: Record<string, unknown>) => void): Promise<{status: number; message: string}> {
    const cfg = await w.admin.getConfig() as unknown as {PluginSettings: {Plugins: Record<string, Record<string, unknown>>}};
    change(cfg.PluginSettings.Plugins.pagertree);
    const res = await fetch(`${MM_URL}/api/v4/config`, {
        method: 'PUT',
        headers: {'Content-Type': 'application/json', Authorization: `Bearer ${w.admin.getToken()}`, 'X-Requested-With': 'XMLHttpRequest'},
        body: JSON.stringify(cfg),
    });
    return {status: res.status, message: (await res.json()).message};
}

async function stored(): Promise<Record<string, unknown>> {
    return ((await w.admin.getConfig()).PluginSettings.Plugins as Record<string, Record<string, unknown>>).pagertree;
}

function attachmentOf(p: Post | undefined): Attachment | undefined {
    return (p?.props?.attachments as Attachment[] | undefined)?.[0];
}

beforeAll(async () => {
    if (!MM_URL || !BUNDLE) {
        throw new Error('run the suite with e2e/run.sh (make e2e): it starts Mattermost and sets MM_URL and PLUGIN_BUNDLE');
    }
    await pt.start();
    pt.rest.apiKey = KEY;
    pt.rest.teams = [{id: 'T1', name: 'Devops', oncall: []}];
    w = await sharedWorld(MM_URL);
    base = scenarioSettings(pt, TOKEN, {
        APIKey: KEY,
        APIBaseURL: pt.url,
    });
    await setPluginSettings(w, base);
    if (!(await pluginRunning(w))) {
        await installPlugin(w, BUNDLE);
    }
    botId = (await w.admin.getUserByUsername('pagertree')).id;
    const info = await (await pluginApi('receiver')).json();
    pt.sendTo({url: info.url, username: info.username, password: info.password, linkedData: true});
});

beforeEach(async () => {
    pt.clearFailures();
    await setPluginSettings(w, base);
});

afterAll(async () => {
    await setPluginSettings(w, {...base, APIKey: '', APIBaseURL: '', ExternalAlertsChannel: ''});
    await pt.stop();
});

describe('a saved secret stays with the URL it was saved for', () => {
    test('a changed endpoint or API URL with its secret left masked is refused when saved, in the words of the test buttons; the other host gets nothing', async () => {
        const foreign = new PagerTreeStandIn('attacker');
        await foreign.start();
        try {
            const endpoint = await putConfig((s) => {
                s.endpointurl = foreign.url + PATHS.mattermost; // the token stays the mask getConfig gave
            });
            expect(endpoint).toEqual({status: 400, message: 'The PagerTree settings were not saved: enter the token again: the saved token is only sent to the saved endpoint.'});
            const tested = await pluginApi('test', {settings: {EndpointURL: foreign.url + PATHS.mattermost, Token: MASK}});
            expect(await tested.json()).toEqual({error: 'Enter the token again: the saved token is only sent to the saved endpoint.', field: 'Token'});

            const apiURL = await putConfig((s) => {
                s.apibaseurl = foreign.url;
            });
            const host = `127.0.0.1:${foreign.port}`;
            expect(apiURL).toEqual({status: 400, message: `The PagerTree settings were not saved: the saved API key is only sent to the saved PagerTree API URL; type the key again to use it with ${host}.`});
            const checked = await pluginApi('apikey/check', {settings: {apikey: MASK, apibaseurl: foreign.url}});
            expect(checked.status).toBe(422);
            expect((await checked.json()).error).toBe(`The saved API key is only sent to the saved PagerTree API URL; type the key again to use it with ${host}.`);

            // Nothing was stored: paging and /pagertree oncall still go to the saved hosts only.
            expect(await stored()).toMatchObject({endpointurl: pt.url + PATHS.mattermost, apibaseurl: pt.url});
            const r = ref();
            await post(w.alice, w.ops.id, `outage after a refused save ${r}`);
            await pt.waitFor(r, {status: 200});
            expect(await command(w.alice, w, w.ops.id, '/pagertree oncall')).toContain('**Devops**');
            await nothingMoreWithin(500, 'nothing sent to the other host', () => {
                expect(foreign.requests).toEqual([]);
            });

            // Typed again, the secret goes where the admin points it.
            const typed = await putConfig((s) => {
                s.apibaseurl = foreign.url;
                s.apikey = 'typed-for-the-other-host';
            });
            expect(typed.status).toBe(200);
        } finally {
            await foreign.stop();
        }
    });

    test('what use would refuse is refused when saved, one sentence each', async () => {
        // The key is typed with each URL, so the only refusal is the URL's.
        const cases: Array<[Record<string, unknown>, RegExp]> = [
            [{apibaseurl: 'ftp://x', apikey: KEY}, /^The PagerTree settings were not saved: the PagerTree API URL "ftp:\/\/x\/…" is not an absolute http\(s\) URL/],
            [{apibaseurl: 'https://169.254.169.254', apikey: KEY}, /^The PagerTree settings were not saved: .*169\.254\.169\.254.*AllowedUntrustedInternalConnections/],
            [{apibaseurl: pt.url + '/?q=1', apikey: KEY}, /^The PagerTree settings were not saved: the PagerTree API URL must not contain a query or fragment\.$/],
            [{apikey: 'ptk_a\nX-Other: 1'}, /^The PagerTree settings were not saved: the PagerTree API key holds a space, line break or control character: paste the key again exactly as PagerTree shows it\.$/],
            [{whomaypress: 'pagertree_users', apikey: ''}, /^The PagerTree settings were not saved: "Who may acknowledge and resolve from Mattermost" is "PagerTree team members", which needs a PagerTree API key/],
        ];
        for (const [change, want] of cases) {
            const res = await putConfig((s) => Object.assign(s, change));
            expect(res.status).toBe(400);
            expect(res.message).toMatch(want);
        }
        expect(await stored()).toMatchObject({apibaseurl: pt.url, whomaypress: 'channel_members'});
    });
});

describe('PagerTree text renders no image', () => {
    test('an image in a title, description or comment becomes its alt text and a plain link, and the server fetches nothing', async () => {
        const n = Date.now();

        // The control: the same Markdown in a person's post is fetched by this very server, so the
        // check below could fail.
        const control = `/control-${n}.png`;
        const started = Date.now();
        await post(w.alice, w.town.id, `a picture ![control](${pt.url}${control})`);
        await waitUntil(() => pt.requests.some((x) => x.path === control), 'the server to fetch the image of a person\'s post');
        const fetchMs = Date.now() - started;

        await setPluginSettings(w, {...base, ExternalAlertsChannel: w.ops.id});
        const url = (what: string) => `${pt.url}/track-${what}-${n}.png`;
        const shown = (alt: string, what: string) => `${alt} ([${url(what)}](${url(what)}))`;
        const r = ref();
        const a = pt.rest.createElsewhere(`Disk full ![pixel](${url('title')}) ${r}`, `see ![graph][g] below\n\n[g]: ${url('description')}`);
        expect((await pt.send(pt.event(a, 'alert.created'))).status).toBe(200);

        let card: Post | undefined;
        await waitUntil(async () => {
            const list = await w.admin.getPosts(w.ops.id, 0, 60);
            card = Object.values(list.posts).find((x) => x.user_id === botId && x.props?.pagertree_alert === `pt.${a.prefix_id}`);
            return Boolean(card);
        }, 'the card of the alert from another source');
        const cardPost = card as Post;
        expect(cardPost.message).toBe(`PagerTree alert: Disk full ${shown('pixel', 'title')} ${r}`);
        expect(attachmentOf(cardPost)?.text).toBe(`Disk full ${shown('pixel', 'title')} ${r}\nsee ${shown('graph', 'description')} below\n\n[g]\u200b: ${url('description')}`);

        const comment = pt.commentEvent(a, `screenshot: ![shot](${url('comment')})`, {id: 'usr_eve', name: 'Eve Ops', email: 'eve@elsewhere.example'});
        expect((await pt.send(comment)).status).toBe(200);
        let reply = '';
        await waitUntil(async () => {
            const thread = await w.admin.getPostThread(cardPost.id);
            reply = Object.values(thread.posts).find((x) => x.root_id === cardPost.id && x.user_id === botId && x.message.includes('commented'))?.message || '';
            return reply !== '';
        }, 'the comment reply');
        expect(reply).toBe(`Eve Ops commented in PagerTree:\n> screenshot: ${shown('shot', 'comment')}`);

        // Three times what the control took, and at least 3 s: the server fetched none of them.
        await nothingMoreWithin(Math.max(3000, 3 * fetchMs), 'no image fetched', () => {
            expect(pt.requests.filter((x) => x.path.startsWith('/track-')).map((x) => x.path)).toEqual([]);
        });
        expect(JSON.stringify([cardPost.message, attachmentOf(cardPost), reply])).not.toContain('![');
    });
});
