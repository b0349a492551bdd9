// Loads the built webapp/dist/main.js into a test host page in headless Chromium, renders the
// settings it registers, and drives them like an admin would. Screenshots go to
// webapp/test-results/screenshots (git-ignored).
import fs from 'fs';
import path from 'path';

import {chromium} from 'playwright-core';
import type {Browser, Page} from 'playwright-core';

import {startStandIn} from './plugin_api_stand_in';
import type {StandIn} from './plugin_api_stand_in';

const ROOT = path.resolve(__dirname, '..');
const SHOTS = path.join(ROOT, 'test-results/screenshots');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'; // eslint-disable-line no-process-env

// The same built main.js must run with React 18 (Mattermost 10, 11) and React 19 (Mattermost 12).
describe.each(['18', '19'])('React %s host', (react) => {
    let browser: Browser;
    let page: Page;
    let standIn: StandIn;
    let pageErrors: string[] = [];

    beforeAll(async () => {
        fs.mkdirSync(SHOTS, {recursive: true});
        pageErrors = [];
        standIn = await startStandIn(ROOT, react);
        browser = await chromium.launch({
            executablePath: CHROMIUM,
            args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        });
        page = await browser.newPage({viewport: {width: 1100, height: 900}});
        page.on('pageerror', (e) => pageErrors.push(e.message));
        page.on('response', (r) => {
            if (r.status() >= 400 && !r.url().includes('/api/v1/')) {
                pageErrors.push(`${r.status()} ${r.url()}`);
            }
        });
        await page.goto(standIn.url + '/');
        await page.evaluate(() => window.renderConsole({token: '********************************', endpointurl: '', triggerwords: 'outage', channelallowlist: 'opsopsopsopsopsopsopsopsop'}));
        await page.getByTestId('pagertree-PluginSettings.Plugins.pagertree.recentdeliveries').waitFor(); // createRoot renders asynchronously
        await page.waitForFunction(() => window.hostState.saveActions > 0);
    });

    afterAll(async () => {
        await browser?.close();
        await standIn?.close();
    });

    test('the bundle registers every custom setting of plugin.json', async () => {
        const state = await page.evaluate(() => window.hostState);
        expect(state.reactVersion.split('.')[0]).toBe(react);
        const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, '../plugin.json'), 'utf8'));
        const custom = manifest.settings_schema.settings.filter((s: {type: string}) => s.type === 'custom').map((s: {key: string}) => s.key);
        expect(state.pluginId).toBe('pagertree');
        expect([...state.registered].sort()).toEqual(custom.sort());
        expect(state.saveActions).toBe(1); // the trigger editor keeps a typed word on Save
        expect(await page.locator('#pagertree-styles').count()).toBe(1);
    });

    test('trigger words: type, comma, paste, remove — the chips and warnings are the server\'s', async () => {
        const input = page.getByLabel('Add a trigger word');

        // The chips come from the server's answer: wait for them, then say what was there.
        const chipsAre = async (want: string[]) => {
            await page.waitForFunction((w) => JSON.stringify([...document.querySelectorAll('[data-testid="trigger-chip"]')].map((c) => c.firstChild?.textContent)) === JSON.stringify(w), want, {timeout: 5000}).catch(() => undefined);
            expect((await page.getByTestId('trigger-chip').allInnerTexts()).map((c) => c.replace('×', '').trim())).toEqual(want);
        };
        await input.click();
        await input.type('sev-1');
        await input.press('Enter');
        await input.type('db down,');
        await page.evaluate(() => {
            const el = document.querySelector('[aria-label="Add a trigger word"]') as HTMLInputElement;
            const data = new DataTransfer();
            data.setData('text', 'p1, Outage, help');
            el.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
        });

        // "Outage" is "outage" again for the whole-word matcher: the server keeps one.
        await chipsAre(['outage', 'sev-1', 'db down', 'p1', 'help']);
        await page.getByText('"p1" is very short and will page on ordinary talk.').waitFor();
        await expect(page.getByText('"help" is a common word and will page on ordinary talk.').count()).resolves.toBe(1);
        await page.getByLabel('Remove help').click();
        await chipsAre(['outage', 'sev-1', 'db down', 'p1']);
        const values = await page.evaluate(() => window.hostState.values);
        expect(values.triggerwords).toBe('outage, sev-1, db down, p1');
        expect(await page.evaluate(() => window.hostState.saveNeeded)).toBeGreaterThan(0);
    });

    test('endpoint validation and Send test alert with the values on screen', async () => {
        const endpoint = page.locator('[id="PluginSettings.Plugins.pagertree.endpointurl"]');
        const endpointRow = page.getByTestId('pagertree-PluginSettings.Plugins.pagertree.endpointurl');
        await endpointRow.getByRole('alert').getByText('No PagerTree endpoint URL is set: paste the Endpoint URL of your PagerTree integration.').waitFor();
        await endpoint.fill('http://api.pagertree.com/integration/int_1');
        await endpointRow.getByRole('alert').getByText(/^The endpoint URL must use https \(plain http is only allowed for a host listed in "Allow untrusted internal connections to"/).waitFor();
        await page.screenshot({path: path.join(SHOTS, `react${react}-endpoint-refused.png`), fullPage: true});
        await endpoint.fill('https://api.pagertree.com/integration/int_1');
        await endpointRow.getByRole('alert').waitFor({state: 'detached'});
        await page.getByRole('button', {name: 'Send test alert'}).click();
        const result = page.getByTestId('test-result');
        await result.getByText('PagerTree answered 200').waitFor();
        expect(await result.innerText()).toContain('accepted by PagerTree. Sent to api.pagertree.com');
        const sent = standIn.requests.filter((r) => r.url.endsWith('/api/v1/test'));
        expect(sent[0].body).toEqual({settings: expect.objectContaining({
            endpointurl: 'https://api.pagertree.com/integration/int_1',
            token: '********************************',
            triggerwords: 'outage, sev-1, db down, p1',
            format: 'mattermost',
        })});
        await page.screenshot({path: path.join(SHOTS, `react${react}-test-alert-200.png`), fullPage: true});

        // An unsaved change in one of the console's own (plain) inputs is sent too.
        await page.locator('[id="PluginSettings.Plugins.pagertree.format"]').selectOption('webhook');
        await page.locator('[id="PluginSettings.Plugins.pagertree.token"]').fill('typo-token');
        await page.getByRole('button', {name: 'Send test alert'}).click();
        await result.getByText('PagerTree answered 403').waitFor();
        expect(await result.innerText()).toContain('token in the plugin settings does not match');
        await page.screenshot({path: path.join(SHOTS, `react${react}-test-alert-403.png`), fullPage: true});
    });

    test('Check API key sends the key and the API URL on screen, and shows the answer', async () => {
        await page.locator('[id="PluginSettings.Plugins.pagertree.apikey"]').fill('ptk_good');
        await page.getByRole('button', {name: 'Check API key'}).click();
        const result = page.getByTestId('api-key-result');
        await result.getByText('PagerTree accepted the API key').waitFor();
        expect(await result.innerText()).toContain('it sees 2 teams (Devops, Databases). (api.pagertree.com)');
        await page.locator('[id="PluginSettings.Plugins.pagertree.apibaseurl"]').fill('https://pt.example.com');
        await page.locator('[id="PluginSettings.Plugins.pagertree.apikey"]').fill('ptk_revoked');
        await page.getByTestId('api-url-hint').getByText('pt.example.com is not a PagerTree host: PagerTree\'s API is https://api.pagertree.com (another URL is only for a PagerTree test server).').waitFor();
        await page.getByRole('button', {name: 'Check API key'}).click();
        await result.getByText(/PagerTree rejected the API key/).waitFor();
        const sent = standIn.requests.filter((r) => r.url.endsWith('/api/v1/apikey/check')).map((r) => r.body);
        expect(sent).toEqual([
            {settings: {apikey: 'ptk_good', apibaseurl: 'https://api.pagertree.com'}},
            {settings: {apikey: 'ptk_revoked', apibaseurl: 'https://pt.example.com'}},
        ]);
        await page.screenshot({path: path.join(SHOTS, `react${react}-check-api-key.png`), fullPage: true});
    });

    test('urgency aliases: a new row gets the server\'s sentence until it is complete', async () => {
        const section = page.getByTestId('pagertree-PluginSettings.Plugins.pagertree.urgencyaliases');
        await section.getByRole('button', {name: '+ Add alias'}).click();
        await section.getByLabel('Alias 1', {exact: true}).fill('sev-1');
        await section.getByRole('alert').getByText('Urgency alias "sev-1" has no urgency after the =: use low, medium, high or critical.').waitFor();
        const options = await section.getByLabel('Urgency for alias 1').locator('option').allInnerTexts();
        expect(options).toEqual(['Choose…', 'Low', 'Medium', 'High', 'Critical']);
        await section.screenshot({path: path.join(SHOTS, `react${react}-aliases-incomplete.png`)});
        await section.getByLabel('Urgency for alias 1').selectOption('critical');
        await section.getByRole('alert').waitFor({state: 'detached'});
        expect(await page.evaluate(() => window.hostState.values.urgencyaliases)).toBe('sev-1=critical');
    });

    test('incident severities: the server refuses an item, and says the Mattermost format sends plain alerts', async () => {
        const section = page.getByTestId('pagertree-PluginSettings.Plugins.pagertree.incidentseverities');
        const field = section.locator('textarea');
        await field.fill('sev-1=SEV-1 critical, p0=SEV-0');
        await section.getByRole('alert').getByText('Incident severity word "p0" names "SEV-0", which is not SEV-1, SEV-2, SEV-3, SEV-4 or SEV-5.').waitFor();
        await field.fill('sev-1=SEV-1 critical, p0=SEV-1');
        await section.getByRole('alert').waitFor({state: 'detached'});
        await section.getByRole('status').getByText('to open incidents, use a PagerTree Webhook integration and the Webhook format', {exact: false}).waitFor();
        await section.screenshot({path: path.join(SHOTS, `react${react}-incident-severities.png`)});
        expect(await page.evaluate(() => window.hostState.values.incidentseverities)).toBe('sev-1=SEV-1 critical, p0=SEV-1');
    });

    test('try a message: live verdict with highlighted triggers', async () => {
        const box = page.locator('[id="PluginSettings.Plugins.pagertree.trymessage"]');
        await box.fill('🔥 checkout: Outage in EU, high error rate');
        const verdict = page.getByTestId('preview-result');
        await verdict.getByText('Would page PagerTree').waitFor();
        expect(await page.locator('mark').innerText()).toBe('Outage');
        expect(await verdict.innerText()).toContain('Urgency: high — from a level word in the message');
        await page.screenshot({path: path.join(SHOTS, `react${react}-try-message.png`), fullPage: true});

        await page.locator('.pagertree-preview-options select').selectOption('P');
        await verdict.getByText('Would not page').waitFor();
        expect(await verdict.innerText()).toContain('the channel is private');
        await box.fill('all quiet');
        await verdict.getByText('no trigger word in the message').waitFor();

        // The verdicts are the server's (canned): what the panel asked is checked here.
        const asked = standIn.requests.filter((r) => r.url.endsWith('/api/v1/preview')).map((r) => r.body);
        expect(asked[asked.length - 1]).toMatchObject({
            message: 'all quiet',
            channel_type: 'P',
            from_bot: false,
            settings: expect.objectContaining({triggerwords: 'outage, sev-1, db down, p1'}),
        });
    });

    test('channel allow-list and recent deliveries', async () => {
        await page.getByTestId('allowed-channel').first().getByText('Acme / Ops').waitFor();
        await page.getByRole('textbox', {name: 'Only these channels:'}).fill('inci'); // the alert channel's picker has the same placeholder
        await page.getByRole('button', {name: 'Acme / Incidents'}).click();
        expect(await page.evaluate(() => window.hostState.values.channelallowlist)).toBe('opsopsopsopsopsopsopsopsop, incidentsincidentsincident');

        await page.getByRole('button', {name: 'Refresh'}).click();
        const table = page.getByTestId('deliveries');
        await table.waitFor();
        expect(await table.locator('tbody tr').count()).toBe(2);
        expect(await table.locator('tbody tr').first().innerText()).toContain('failed (test) · 403');
        await page.screenshot({path: path.join(SHOTS, `react${react}-panel.png`), fullPage: true});
    });

    test('PagerTree → Mattermost: URL, credentials, regenerate, last event', async () => {
        const section = page.getByTestId('receiver');
        await section.waitFor();
        expect(await section.getByLabel('Receiver URL', {exact: true}).innerText()).toBe('https://chat.example.com/plugins/pagertree/api/v1/pagertree/events');
        expect(await section.getByLabel('Password', {exact: true}).innerText()).not.toContain('first-password');
        expect(await section.getByLabel('Receiver URL with the secret', {exact: true}).innerText()).not.toContain('first-url-secret');
        expect(await page.getByTestId('paste-advice').innerText()).toContain('Basic auth reaches the plugin on this server');
        await section.getByRole('button', {name: 'Show Password'}).click();
        expect(await section.getByLabel('Password', {exact: true}).innerText()).toBe('first-password');
        await section.getByRole('button', {name: 'Regenerate the URL secret and password'}).click();
        await section.getByRole('button', {name: 'Regenerate now'}).click();
        await section.getByLabel('Password', {exact: true}).getByText('second-password').waitFor();
        await section.getByRole('button', {name: 'Show Receiver URL with the secret'}).click();
        expect(await section.getByLabel('Receiver URL with the secret', {exact: true}).innerText()).toContain('second-url-secret');
        expect(await page.getByTestId('last-event').innerText()).toMatch(/Last event received at .*\(alert\.acknowledged\)/);
        await section.screenshot({path: path.join(SHOTS, `react${react}-receiver.png`)});
    });

    test('routes: edit one route\'s token only, test it, import from outgoing webhooks, delete the imported one once saved', async () => {
        const db = {id: 'db', name: 'Database', channels: ['dbdbdbdbdbdbdbdbdbdbdbdbdb'], endpoint_url: 'https://api.pagertree.com/integration/int_db', trigger_words: 'db down'};
        const net = {id: 'net', name: 'Network', teams: ['netteamnetteamnetteamnette'], endpoint_url: 'https://api.pagertree.com/integration/int_net2'};
        await page.reload();
        await page.evaluate((routes) => window.renderConsole({token: '********************************',
            endpointurl: 'https://api.pagertree.com/integration/int_1',
            triggerwords: 'outage',
            routes: JSON.stringify(routes),
            routetokens: '********************************'}), [db, net]);
        const cards = page.getByTestId('route');
        await cards.first().waitFor();
        expect(await cards.count()).toBe(2);
        await cards.nth(0).getByText('Databases').waitFor(); // the channel's name, read from Mattermost
        await cards.nth(1).getByTestId('route-team').getByText('Network').waitFor(); // the team's

        await cards.nth(1).getByLabel('Token').fill('new-net-token');
        let values = await page.evaluate(() => window.hostState.values);
        expect(JSON.parse(values.routetokens as string)).toEqual({db: '********************************', net: 'new-net-token'});
        await cards.nth(0).getByRole('button', {name: 'Send test alert through this route'}).click();
        await cards.nth(0).getByTestId('route-test-result').getByText(/PagerTree answered 200/).waitFor();
        expect(await cards.nth(0).getByTestId('route-test-result').innerText()).toContain('Sent through Database to api.pagertree.com.');
        const sent = standIn.requests.filter((r) => r.url.endsWith('/api/v1/test')).pop();
        expect(sent?.body).toMatchObject({route_id: 'db', settings: {routes: values.routes, routetokens: values.routetokens}});
        await page.getByTestId('pagertree-PluginSettings.Plugins.pagertree.routes').screenshot({path: path.join(SHOTS, `react${react}-routes-editor.png`)});

        // Import: Mattermost's outgoing-webhook API answers the admin's session (the host page's stand-in).
        await page.getByRole('button', {name: 'Import from outgoing webhooks'}).click();
        const review = page.getByTestId('import-review');
        await review.waitFor();
        expect(await review.innerText()).toContain('Found 2 outgoing webhooks: 1 becomes a route, 1 skipped.');
        expect(await page.getByTestId('import-skipped').innerText()).toContain('Skipped Slack relay: none of its callback URLs is a PagerTree integration endpoint');
        expect(await page.getByTestId('import-route').innerText()).toContain('it sends application/x-www-form-urlencoded');
        const asked = standIn.requests.filter((r) => r.url.endsWith('/api/v1/routes/import')).pop();
        expect((asked?.body?.webhooks as Array<{id: string}>).map((h) => h.id)).toEqual(['hookpthookpthookpthookptho', 'hookslackhookslackhookslac']);
        await page.getByRole('button', {name: 'Add 1 route'}).click();
        values = await page.evaluate(() => window.hostState.values);
        expect(JSON.parse(values.routes as string).map((r: {id: string}) => r.id)).toEqual(['db', 'net', 'whhookpthookpthookpthookptho']);
        expect(JSON.parse(values.routetokens as string)).toEqual({db: '********************************', net: 'new-net-token', whhookpthookpthookpthookptho: 'hook-token'});
        expect(await cards.count()).toBe(3);

        // Not saved yet: nothing to delete. Saved: the imported webhook can go.
        await page.getByRole('button', {name: 'I saved: offer to delete the imported webhooks'}).click();
        await page.getByText('1 of the new routes are not saved yet: press Save first.').waitFor();
        standIn.saveRoutes(JSON.parse(values.routes as string));
        await page.getByRole('button', {name: 'I saved: offer to delete the imported webhooks'}).click();
        await page.getByRole('button', {name: 'Delete the outgoing webhook of Network on-call'}).click();
        await page.getByText('Deleted the outgoing webhook of Network on-call: the route pages instead.').waitFor();
        expect(standIn.requests.some((r) => r.method === 'DELETE' && r.url === '/api/v4/hooks/outgoing/hookpthookpthookpthookptho')).toBe(true);
        await page.getByTestId('route-import').screenshot({path: path.join(SHOTS, `react${react}-routes-import.png`)});
    });

    // The README's picture: a working setup — the test alert accepted, a message that would page,
    // deliveries flowing. It is docs/settings-panel.png (copied by hand after looking at it).
    test('a working setup, for the README', async () => {
        const at = (min: number) => new Date(Date.UTC(2026, 10, 27, 9, min)).toISOString();
        standIn.seed([
            {time: at(42), alert_id: 'p3', channel_name: 'incidents', user_name: 'bob', trigger: 'sev-1', urgency: 'critical', status: 'delivered', attempts: 2, status_code: 200, meaning: 'accepted by PagerTree'},
            {time: at(17), alert_id: 'p2', channel_name: 'ops', user_name: 'alice', trigger: 'db down', urgency: 'high', status: 'delivered', attempts: 1, status_code: 200, meaning: 'accepted by PagerTree'},
            {time: at(5), alert_id: 'p1', channel_name: 'ops', user_name: 'carol', trigger: 'outage', urgency: 'medium', status: 'suppressed', attempts: 0, meaning: 'the thread already paged PagerTree'},
        ]);
        await page.reload();
        await page.evaluate(() => window.renderConsole({token: '********************************', endpointurl: 'https://api.pagertree.com/integration/int_Fq3x', triggerwords: 'outage, sev-1, db down', channelallowlist: ''}));
        await page.getByTestId('pagertree-PluginSettings.Plugins.pagertree.recentdeliveries').waitFor();
        await page.getByRole('button', {name: 'Send test alert'}).click();
        await page.getByTestId('test-result').getByText('PagerTree answered 200').waitFor();
        await page.locator('[id="PluginSettings.Plugins.pagertree.trymessage"]').fill('checkout is down for everyone in EU — db down, urgency:high');
        const verdict = page.getByTestId('preview-result');
        await verdict.getByText('Would page PagerTree').waitFor();
        await page.getByRole('button', {name: 'Refresh'}).click();
        const rows = page.getByTestId('deliveries').locator('tbody tr');
        await rows.first().getByText('delivered (test)').waitFor();
        expect(await rows.count()).toBe(4);
        expect(await page.getByText('failed', {exact: false}).count()).toBe(0);
        await page.screenshot({path: path.join(SHOTS, `react${react}-hero.png`), fullPage: true});
    });

    test('no errors in the page; every settings check was the server\'s canned answer', () => {
        expect(pageErrors).toEqual([]);
        expect(standIn.uncanned).toEqual([]);
    });
});
