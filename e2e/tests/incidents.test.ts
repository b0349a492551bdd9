// Incidents from words (DESIGN §13, issue 19): with the Webhook format a post with an incident
// severity word reaches PagerTree as an incident (Meta.incident, incident_severity,
// incident_message) with the severity's urgency, a plain trigger does not, and the card says
// "Incident SEV-1"; with the Mattermost format the same post is a plain alert and the plugin
// says why; /pagertree alert honours --severity; PagerTree's events can make an alert an incident.
import fs from 'fs';
import path from 'path';

import type {Post} from '@mattermost/types/posts';

import {scenarioSettings} from '../src/scenario_settings';
import {PagerTreeStandIn, PATHS} from '../src/stand_in';
import {command, installPlugin, nothingMoreWithin, pluginRunning, post, ref, setPluginSettings, sharedWorld, waitUntil} from '../src/world';
import type {PluginSettings, World} from '../src/world';

const TOKEN = 'e2e-incidents-token';
const MM_URL = process.env.MM_URL || '';
const BUNDLE = process.env.PLUGIN_BUNDLE || '';
const SEVERITIES = 'sev-1=SEV-1 critical, sev-2=SEV-2 high, sev-3=SEV-3 medium';

let w: World;
let botId = '';
const pt = new PagerTreeStandIn(TOKEN);
let base: PluginSettings;
const kept: Record<string, unknown> = {}; // what the stand-in received, for the note

type Attachment = {color: string; title: string; fields: Array<{title: string; value: string}>};

function attachmentOf(p: Post | undefined): Attachment | undefined {
    return (p?.props?.attachments as Attachment[] | undefined)?.[0];
}

// card waits for the bot's card in the thread of rootId until check holds.
async function card(rootId: string, check: (a: Attachment) => boolean, what: string): Promise<Attachment> {
    let found: Attachment | undefined;
    await waitUntil(async () => {
        const thread = await w.admin.getPostThread(rootId);
        found = Object.values(thread.posts).map((x) => (x.user_id === botId ? attachmentOf(x) : undefined)).find(Boolean);
        return Boolean(found && check(found));
    }, what, 20000);
    return found as Attachment;
}

async function pluginApi(route: string, body: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${MM_URL}/plugins/pagertree/api/v1/${route}`, {
        method: 'POST',
        headers: {'Content-Type': 'application/json', Authorization: `Bearer ${w.admin.getToken()}`, 'X-Requested-With': 'XMLHttpRequest'},
        body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    return res.json();
}

beforeAll(async () => {
    if (!MM_URL || !BUNDLE) {
        throw new Error('run the suite with e2e/run.sh (make e2e): it starts Mattermost and sets MM_URL and PLUGIN_BUNDLE');
    }
    await pt.start();
    w = await sharedWorld(MM_URL);
    base = scenarioSettings(pt, TOKEN, {
        EndpointURL: pt.url + PATHS.webhook,
        Format: 'webhook',
        UrgencyAliases: '',
        IncidentSeverities: SEVERITIES,
        AlertCommandLimit: 0, // alice pages with /pagertree alert in other files too
        Routes: '',
    });
    await setPluginSettings(w, base);
    if (!(await pluginRunning(w))) {
        await installPlugin(w, BUNDLE);
    }
    botId = (await w.admin.getUserByUsername('pagertree')).id;
    const info = await (await fetch(`${MM_URL}/plugins/pagertree/api/v1/receiver`, {headers: {Authorization: `Bearer ${w.admin.getToken()}`}})).json();
    pt.sendTo({url: info.secret_url, username: '', password: '', linkedData: false});
});

beforeEach(async () => {
    pt.clearFailures();
    await setPluginSettings(w, base);
});

afterAll(async () => {
    await pt.stop();
    if (Object.keys(kept).length) {
        const out = path.join(__dirname, '..', '.run', 'incident-requests.json');
        fs.mkdirSync(path.dirname(out), {recursive: true});
        fs.writeFileSync(out, JSON.stringify(kept, null, 2));
    }
});

describe('Incidents from words', () => {
    test('Webhook format: "sev-1 checkout is down" arrives as an incident SEV-1, critical; the card says Incident SEV-1', async () => {
        const r = ref();
        const p = await post(w.alice, w.ops.id, `sev-1 checkout is down ${r}\nsince 10:02, all regions`);
        const [rec] = await pt.waitFor(r, {status: 200, path: PATHS.webhook});
        kept.incident = rec.body;
        expect(rec.body).toMatchObject({
            event_type: 'create',
            Id: p.id,
            Title: `sev-1 checkout is down ${r}`,
            Urgency: 'critical',
            Meta: {incident: true, incident_severity: 'SEV-1', incident_message: `sev-1 checkout is down ${r}`},
        });
        const alert = pt.alertFor(p.id);
        expect(alert).toMatchObject({incident: true, incident_severity: 'SEV-1', incident_message: `sev-1 checkout is down ${r}`, urgency: 'critical', meta: {}});

        const c = await card(p.id, (a) => a.title.startsWith('Incident SEV-1'), 'the card saying Incident SEV-1');
        expect(c.title).toBe('Incident SEV-1 · PagerTree alert');
        expect(c.color).toBe('#8B0000');
        expect(Object.fromEntries(c.fields.map((f) => [f.title, f.value]))).toMatchObject({Status: 'Open', Urgency: 'critical', Trigger: 'sev-1'});

        // PagerTree's own event (incident fields on the alert) keeps it an incident and adds the number.
        await pt.send(pt.event(alert, 'alert.open'));
        await card(p.id, (a) => a.title === `Incident SEV-1 · PagerTree alert #${alert.tiny_id}`, 'the card with the alert number');
    });

    test('a plain trigger is not an incident; a severity word in code does not count', async () => {
        const r = ref();
        const p = await post(w.alice, w.ops.id, `outage in eu, the log says \`sev-2\` ${r}`);
        const [rec] = await pt.waitFor(r, {status: 200, path: PATHS.webhook});
        kept.plain = rec.body;
        expect(rec.body).not.toHaveProperty('Meta');
        expect(rec.body).not.toHaveProperty('Urgency'); // the PagerTree default: no level word, no severity
        expect(pt.alertFor(p.id)).toMatchObject({incident: false, incident_severity: null});
        const c = await card(p.id, () => true, 'the card');
        expect(c.title).toBe('PagerTree alert');
        expect(c.color).toBe('#D24B4E');
    });

    test('the highest severity named wins; a higher level word still sets the urgency', async () => {
        const r = ref();
        await post(w.alice, w.ops.id, `outage: sev-3 in search, sev-2 in checkout, critical for EU ${r}`);
        const [rec] = await pt.waitFor(r, {status: 200, path: PATHS.webhook});
        expect(rec.body).toMatchObject({Urgency: 'critical', Meta: {incident: true, incident_severity: 'SEV-2'}});
    });

    test('/pagertree alert --severity SEV-2 and sev-3 in the text page incidents; a bad severity is one sentence', async () => {
        const r1 = ref();
        expect(await command(w.alice, w, w.ops.id, `/pagertree alert --severity SEV-2 db replica lag ${r1}`)).toBe('');
        const [flag] = await pt.waitFor(r1, {status: 200, path: PATHS.webhook});
        expect(flag.body).toMatchObject({Urgency: 'high', Meta: {incident: true, incident_severity: 'SEV-2', incident_message: `db replica lag ${r1}`}});

        const r2 = ref();
        expect(await command(w.alice, w, w.ops.id, `/pagertree alert sev-3 search is slow ${r2}`)).toBe('');
        const [word] = await pt.waitFor(r2, {status: 200, path: PATHS.webhook});
        expect(word.body).toMatchObject({Urgency: 'medium', Meta: {incident: true, incident_severity: 'SEV-3'}});

        const before = pt.requests.length;
        const answer = await command(w.alice, w, w.ops.id, '/pagertree alert --severity SEV-7 boom');
        expect(answer).toMatch(/^"SEV-7" is not an incident severity: use SEV-1 \(most severe\) to SEV-5, or none\. Usage:/);
        await nothingMoreWithin(500, 'no page for a refused severity', () => {
            expect(pt.requests.length).toBe(before);
        });
    });

    test('the preview says incident SEV-1; in the Mattermost format it says the alert goes plain', async () => {
        const webhook = await pluginApi('preview', {settings: {}, message: 'sev-1 checkout is down'});
        expect(webhook).toMatchObject({would_page: true, incident: 'Incident SEV-1 (from "sev-1").', severity: {severity: 'SEV-1', word: 'sev-1'}, urgency: {urgency: 'critical', source: 'severity'}});
        const mm = await pluginApi('preview', {settings: {format: 'mattermost', endpointurl: pt.url + PATHS.mattermost}, message: 'sev-1 checkout is down'});
        expect(String(mm.incident)).toContain('would page as a plain alert: PagerTree\'s Mattermost (Outgoing Webhook) integration has no incident field');
        const check = await pluginApi('settings/check', {settings: {format: 'mattermost', endpointurl: pt.url + PATHS.mattermost}});
        expect((check.hints as Record<string, string>).IncidentSeverities).toContain('use a PagerTree Webhook integration and the Webhook format');
        const bad = await pluginApi('settings/check', {settings: {incidentseverities: 'sev-1=SEV-1 critical, p0=SEV-0'}});
        expect((bad.fields as Record<string, string>).IncidentSeverities).toBe('Incident severity word "p0" names "SEV-0", which is not SEV-1, SEV-2, SEV-3, SEV-4 or SEV-5.');
    });

    test('Mattermost format: the same post is a plain alert with the severity\'s urgency; status says why', async () => {
        await setPluginSettings(w, {...base, Format: 'mattermost', EndpointURL: pt.url + PATHS.mattermost});
        const r = ref();
        const p = await post(w.alice, w.ops.id, `sev-2 outage in checkout ${r}`); // sev-2 is no trigger word: outage is
        const [rec] = await pt.waitFor(r, {status: 200, path: PATHS.mattermost});
        expect(rec.body.text).toBe(`[high] sev-2 outage in checkout ${r}`);
        expect(rec.raw).not.toContain('SEV-2');
        expect(pt.rest.alerts.find((a) => a.title.includes(r))).toMatchObject({incident: false, incident_severity: null, urgency: 'high'}); // PagerTree reads high from the text's [high]
        const c = await card(p.id, () => true, 'the card');
        expect(c.title).toBe('PagerTree alert');
        const status = await command(w.admin, w, w.ops.id, '/pagertree status');
        expect(status).toContain('| Incident severities | 3 words — PagerTree\'s Mattermost (Outgoing Webhook) integration has no incident field');
    });

    test('a saved refused severity item is refused with its sentence', async () => {
        await expect(setPluginSettings(w, {...base, IncidentSeverities: 'sev-1=SEV-1 urgent'})).rejects.toThrow('The PagerTree settings were not saved: incident severity word "sev-1" sets the urgency "urgent", which is not low, medium, high or critical.');
    });

    test('PagerTree\'s event can make a plain alert an incident: the card follows', async () => {
        const r = ref();
        const p = await post(w.alice, w.ops.id, `outage in billing ${r}`);
        await pt.waitFor(r, {status: 200, path: PATHS.webhook});
        await card(p.id, (a) => a.title === 'PagerTree alert', 'the plain card');
        const alert = pt.alertFor(p.id);
        alert.incident = true; // someone in PagerTree declared it an incident
        alert.incident_severity = 'SEV-3';
        expect((await pt.send(pt.event(alert, 'alert.open'))).status).toBe(200);
        const c = await card(p.id, (a) => a.title.startsWith('Incident SEV-3'), 'the card saying Incident SEV-3');
        expect(c.color).toBe('#F07D2E');
    });
});
