// What an outside probe tried on the two-way loop (issue 21, findings 1, 3, 4 and 6), on the
// real server: a PagerTree event cannot post into a channel the admin did not open to the
// plugin; "PagerTree team members" and "acknowledged by" trust only a verified e-mail; the
// ack command tells nothing about alerts in channels the user cannot read; refused presses
// cost PagerTree nothing.
import type {Client4} from '@mattermost/client';
import type {Channel} from '@mattermost/types/channels';
import type {Post} from '@mattermost/types/posts';
import type {Team} from '@mattermost/types/teams';
import type {UserProfile} from '@mattermost/types/users';

import {scenarioSettings} from '../src/scenario_settings';
import {PagerTreeStandIn} from '../src/stand_in';
import type {StandInAlert} from '../src/stand_in_rest';
import {client, installPlugin, nothingMoreWithin, PASSWORD, pluginRunning, ref, setPluginSettings, sharedWorld, verifyEmail, waitUntil} from '../src/world';
import type {PluginSettings, World} from '../src/world';

const TOKEN = 'e2e-untrusted-loop-token';
const KEY = 'ptk_e2e_untrusted_loop_key';
const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';
const ACTIONS_PATH = '/plugins/pagertree/api/v1/actions/card';

let w: World;
let botId = '';
const pt = new PagerTreeStandIn(TOKEN);
let base: PluginSettings;
let payroll: Channel; // a private channel of another team ("finance/payroll"), without the bot
let dave: Client4; // in the team and in ops, not in the private channel
let daveUser: UserProfile;

type Attachment = {title: string; fields: Array<{title: string; value: string}>; actions?: Array<{id: string}>};

function attachmentOf(p: Post | undefined): Attachment | undefined {
    return (p?.props?.attachments as Attachment[] | undefined)?.[0];
}

function fields(a: Attachment): Record<string, string> {
    return Object.fromEntries(a.fields.map((f) => [f.title, f.value]));
}

// cardIn finds the root card of an alert from another source in a channel.
async function cardIn(channelId: string, a: StandInAlert, check: (x: Attachment) => boolean = () => true, what = 'the card'): Promise<Post> {
    let found: Post | undefined;
    await waitUntil(async () => {
        const list = await w.admin.getPosts(channelId, 0, 60);
        found = Object.values(list.posts).find((x) => x.user_id === botId && x.props?.pagertree_alert === `pt.${a.prefix_id}`);
        return Boolean(found && check(attachmentOf(found) as Attachment));
    }, what, 20000);
    return found as Post;
}

async function cardsOf(a: StandInAlert, channels: string[]): Promise<string[]> {
    const where: string[] = [];
    for (const id of channels) {
        const list = await w.admin.getPosts(id, 0, 60);
        if (Object.values(list.posts).some((x) => x.props?.pagertree_alert === `pt.${a.prefix_id}`)) {
            where.push(id);
        }
    }
    return where;
}

async function direct(c: Client4, body: Record<string, unknown>): Promise<string> {
    const res = await fetch(MM_URL + ACTIONS_PATH, {method: 'POST', headers: {'Content-Type': 'application/json', Authorization: `Bearer ${c.getToken()}`}, body: JSON.stringify(body)});
    return ((await res.json()) as {ephemeral_text?: string}).ephemeral_text || '';
}

// ack runs /pagertree ack as c; a refusal by the server itself is the answer too.
async function ack(c: Client4, arg: string, rootId = ''): Promise<string> {
    try {
        const res = await c.executeCommand(`/pagertree ack ${arg}`.trim(), {channel_id: w.town.id, team_id: w.team.id, root_id: rootId} as never);
        return (res as {text?: string}).text || '';
    } catch (e) {
        return `server refused: ${(e as Error).message}`;
    }
}

const usersRead = () => pt.requests.filter((r) => r.path.startsWith('/api/v4/account_users')).length;

beforeAll(async () => {
    if (!MM_URL || !BUNDLE) {
        throw new Error('run the suite with e2e/run.sh (make e2e): it starts Mattermost and sets MM_URL and PLUGIN_BUNDLE');
    }
    await pt.start();
    pt.rest.apiKey = KEY;
    w = await sharedWorld(MM_URL);
    base = scenarioSettings(pt, TOKEN, {
        APIKey: KEY,
        APIBaseURL: pt.url,
        ExternalAlertsChannel: w.ops.id,
    });
    await setPluginSettings(w, base);
    if (!(await pluginRunning(w))) {
        await installPlugin(w, BUNDLE);
    }
    botId = (await w.admin.getUserByUsername('pagertree')).id;
    await w.admin.addToTeam(w.team.id, botId).catch(() => undefined); // so that a channel admin can add it to a channel
    const info = await (await fetch(`${MM_URL}/plugins/pagertree/api/v1/receiver`, {headers: {Authorization: `Bearer ${w.admin.getToken()}`}})).json();
    pt.sendTo({url: info.url, username: info.username, password: info.password, linkedData: true});

    let finance: Team;
    try {
        finance = await w.admin.getTeamByName('finance');
    } catch {
        finance = await w.admin.createTeam({name: 'finance', display_name: 'Finance', type: 'I'} as Team);
    }
    try {
        payroll = await w.admin.getChannelByName(finance.id, 'payroll');
    } catch {
        payroll = await w.admin.createChannel({team_id: finance.id, name: 'payroll', display_name: 'Payroll', type: 'P'} as Channel);
    }
    try {
        daveUser = await w.admin.getUserByUsername('dave');
    } catch {
        daveUser = await w.admin.createUser({email: 'dave@example.com', username: 'dave', password: PASSWORD} as UserProfile, '', '');
        await w.admin.addToTeam(w.team.id, daveUser.id);
        await w.admin.addToChannel(daveUser.id, w.ops.id);
    }
    dave = client(MM_URL);
    await dave.login('dave', PASSWORD);
});

beforeEach(async () => {
    pt.clearFailures();
    await setPluginSettings(w, base);
});

afterAll(async () => {
    await setPluginSettings(w, {...base, ExternalAlertsChannel: '', WhoMayPress: 'channel_members'});
    await pt.stop();
});

describe('an event cannot post into a channel the admin did not open to the plugin', () => {
    test('without the setting nothing is posted, whatever channel the event names', async () => {
        await setPluginSettings(w, {...base, ExternalAlertsChannel: ''});
        await w.admin.addToChannel(botId, w.secret.id); // even a private channel the bot is in
        const everywhere = [w.secret.id, w.ops.id, w.town.id, payroll.id];
        for (const named of [w.secret.id, `${w.team.name}/${w.secret.name}`, `finance/${payroll.name}`, payroll.id]) {
            const a = pt.rest.createElsewhere(`Unasked ${ref()}`, `names ${named}`);
            const res = await pt.send(pt.event(a, 'alert.created', undefined, {mattermost_channel: named}));
            expect(res.status).toBe(200);
            expect(JSON.parse(res.text).result).toBe('ignored');
            await nothingMoreWithin(500, `no card for an event naming ${named}`, async () => {
                expect(await cardsOf(a, everywhere)).toEqual([]);
            });
        }
    });

    test('with the setting: the team\'s public channels, and private ones only with the bot in them; anything else is posted to the configured channel', async () => {
        await w.admin.removeFromChannel(botId, w.secret.id).catch(() => undefined);
        const cases: Array<[string, string, string]> = [
            ['a private channel of the team without the bot, by id', w.secret.id, w.ops.id],
            ['the same by team/name', `${w.team.name}/${w.secret.name}`, w.ops.id],
            ['a private channel of another team (finance/payroll)', `finance/${payroll.name}`, w.ops.id],
            ['the same by id', payroll.id, w.ops.id],
            ['a direct message', w.dm.id, w.ops.id],
            ['a public channel of the team, by name', 'town-square', w.town.id],
        ];
        for (const [what, named, want] of cases) {
            const a = pt.rest.createElsewhere(`Routed ${ref()}`, what);
            const res = await pt.send(pt.event(a, 'alert.created', undefined, {mattermost_channel: named}));
            expect(JSON.parse(res.text).result).toBe('applied');
            await cardIn(want, a, () => true, `the card of "${what}" in the expected channel`);
            expect({what, where: await cardsOf(a, [w.secret.id, w.ops.id, w.town.id, payroll.id])}).toEqual({what, where: [want]});
        }

        // A channel admin adds the bot on purpose: now the rule may name the private channel.
        await w.admin.addToChannel(botId, w.secret.id);
        const a = pt.rest.createElsewhere(`Routed ${ref()}`, 'the bot is a member now');
        await pt.send(pt.event(a, 'alert.created', undefined, {mattermost_channel: `${w.team.name}/${w.secret.name}`}));
        await cardIn(w.secret.id, a);
    });
});

describe('an alert in a channel you cannot read is answered like an unknown one', () => {
    test('/pagertree ack by number, link and thread root', async () => {
        await w.admin.addToChannel(botId, w.secret.id);
        const a = pt.rest.createElsewhere(`Hidden ${ref()}`, 'in the private channel');
        await pt.send(pt.event(a, 'alert.created', undefined, {mattermost_channel: w.secret.id}));
        const card = await cardIn(w.secret.id, a);

        const unknownNumber = await ack(dave, '999999');
        expect(unknownNumber).toMatch(/no record of that alert/);
        expect(await ack(dave, String(a.tiny_id))).toBe(unknownNumber);
        expect(await ack(dave, `https://app.pagertree.com/alerts/${a.prefix_id}`)).toBe(await ack(dave, 'https://app.pagertree.com/alerts/alt_nosuchalert'));
        const unknownThread = await ack(dave, '', 'nosuchrootnosuchrootnosuch');
        expect(await ack(dave, '', card.id)).toBe(unknownThread);
        expect(JSON.stringify([unknownNumber, unknownThread])).not.toMatch(/cannot read/);
        expect(a.status).toBe('open');

        // Someone who can read it acts on it by number, as before.
        expect(await ack(w.alice, String(a.tiny_id))).toMatch(/^Acknowledged (the )?PagerTree alert/);
    });
});

describe('"PagerTree team members" and "acknowledged by" trust only a verified e-mail', () => {
    test('an e-mail changed to a PagerTree member\'s is refused until verified; refusals cost PagerTree nothing', async () => {
        // The e2e server runs with e-mail verification off, and the users it creates have an
        // unverified e-mail (Users.EmailVerified is false; the REST API never shows the field). A
        // changed e-mail is unverified again; a System Admin sets it explicitly below.
        const member = `dave.pt.${Date.now()}@example.com`;
        const other = `other.pt.${Date.now()}@example.com`;
        pt.rest.users = [{id: 'usr_davept', name: 'Dave PT', emails: [member]}, {id: 'usr_other', name: 'Other PT', emails: [other]}];
        await setPluginSettings(w, {...base, WhoMayPress: 'pagertree_users'});

        // Dave types the member's address into his own profile (no link is followed).
        await dave.patchMe({email: member, password: PASSWORD} as never);
        expect((await w.admin.getUser(daveUser.id)).email).toBe(member);

        const a = pt.rest.createElsewhere(`Needs a member ${ref()}`, 'press me');
        await pt.send(pt.event(a, 'alert.created'));
        const card = await cardIn(w.ops.id, a);
        const ctx = {action: 'acknowledge', alert: card.props.pagertree_alert};
        const before = usersRead();
        for (let i = 0; i < 5; i++) {
            expect(await direct(dave, {post_id: card.id, context: ctx})).toMatch(/recognised by a verified Mattermost e-mail: yours is not verified/);
        }
        expect(usersRead()).toBe(before); // decided locally: PagerTree was not asked
        expect(a.status).toBe('open');

        // PagerTree says its member acknowledged: the unverified look-alike is not named.
        const acked = pt.event(a, 'alert.acknowledged', {id: 'usr_davept', name: 'Dave PT', email: member});
        await pt.send(acked);
        await cardIn(w.ops.id, a, (x) => fields(x)['Acknowledged by'] === 'Dave PT', 'the card naming PagerTree\'s user');

        // A System Admin verifies Dave's e-mail: now he is the member, and is named.
        await verifyEmail(w, daveUser.id);
        const b = pt.rest.createElsewhere(`Needs a member ${ref()}`, 'press me too');
        await pt.send(pt.event(b, 'alert.created'));
        const card2 = await cardIn(w.ops.id, b);
        expect(await direct(dave, {post_id: card2.id, context: {action: 'acknowledge', alert: card2.props.pagertree_alert}})).toMatch(/^Acknowledged (the )?PagerTree alert/);
        await pt.send(pt.event(b, 'alert.acknowledged', {id: 'usr_davept', name: 'Dave PT', email: member}));
        await cardIn(w.ops.id, b, (x) => fields(x)['Acknowledged by'] === '@dave', 'the card naming @dave');

        // Verified once is not verified for ever: Dave changes his e-mail to another member's,
        // and is refused again (Mattermost marks a changed e-mail unverified).
        await dave.patchMe({email: other, password: PASSWORD} as never);
        const c = pt.rest.createElsewhere(`Needs a member ${ref()}`, 'press me again');
        await pt.send(pt.event(c, 'alert.created'));
        const card3 = await cardIn(w.ops.id, c);
        expect(await direct(dave, {post_id: card3.id, context: {action: 'acknowledge', alert: card3.props.pagertree_alert}})).toMatch(/yours is not verified/);

        await dave.patchMe({email: 'dave@example.com', password: PASSWORD} as never);
    });
});
