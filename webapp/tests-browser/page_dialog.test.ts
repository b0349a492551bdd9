// The "Page PagerTree…" action in a message's menu and its dialog, from the built
// webapp/dist/main.js in headless Chromium: the host registers them as Mattermost does, the
// dialog is driven like a person would, and the React 18 run's screenshot is docs/page-dialog.png.
import fs from 'fs';
import path from 'path';

import {chromium} from 'playwright-core';
import type {Browser, Page} from 'playwright-core';

import {PAGED_POST, startStandIn} from './plugin_api_stand_in';
import type {StandIn} from './plugin_api_stand_in';

const ROOT = path.resolve(__dirname, '..');
const SHOTS = path.join(ROOT, 'test-results/screenshots');
const DOC_SHOT = path.join(ROOT, '../docs/page-dialog.png');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium'; // eslint-disable-line no-process-env

describe.each(['18', '19'])('React %s host: Page PagerTree…', (react) => {
    let browser: Browser;
    let page: Page;
    let standIn: StandIn;
    const pageErrors: string[] = [];

    beforeAll(async () => {
        fs.mkdirSync(SHOTS, {recursive: true});
        standIn = await startStandIn(ROOT, react);
        browser = await chromium.launch({
            executablePath: CHROMIUM,
            args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
                '--disable-background-networking', '--disable-component-update', '--disable-sync'],
        });
        page = await browser.newPage({viewport: {width: 900, height: 820}});
        page.on('pageerror', (e) => pageErrors.push(e.message));
        await page.goto(standIn.url + '/');
        await page.evaluate((id) => window.renderChannel({id, author: 'bob', message: 'checkout is failing for EU customers\nerror rate 38% since 10:02, payments-api returns 502'}), PAGED_POST);
    });

    afterAll(async () => {
        await browser?.close();
        await standIn?.close();
    });

    test('the menu action opens the dialog with the server\'s choices; a refusal marks its field; Page sends what is on screen', async () => {
        const state = await page.evaluate(() => window.hostState);
        expect(state.menu).toEqual(['Page PagerTree…']);
        expect(state.roots).toBe(1);
        await page.getByRole('button', {name: 'more'}).click();
        await page.getByRole('menuitem', {name: 'Page PagerTree…'}).click();
        const dialog = page.getByRole('dialog', {name: 'Page PagerTree'});
        const title = dialog.getByLabel('Title');
        await title.waitFor();
        expect(await title.inputValue()).toBe('checkout is failing for EU customers');
        expect(await dialog.getByLabel('Route').inputValue()).toBe('db');
        expect(await dialog.getByLabel('Urgency').inputValue()).toBe('high');

        // An empty title: the server's sentence, the field marked, nothing lost.
        await title.fill('   ');
        await dialog.getByRole('button', {name: 'Page PagerTree'}).click();
        await dialog.getByRole('alert').getByText('Give the alert a title: what is happening, in a few words.').waitFor();
        expect(await title.getAttribute('aria-invalid')).toBe('true');

        await title.fill('Checkout failing for EU customers');
        await dialog.getByRole('alert').waitFor({state: 'detached'}); // corrected: the sentence goes
        await dialog.getByLabel('Urgency').selectOption('critical');
        await dialog.getByLabel('Incident severity').selectOption('SEV-2');
        await dialog.getByLabel('Note for the on-call engineer (optional)').fill('Customers are calling support; started after the 10:00 deploy.');
        await page.screenshot({path: path.join(SHOTS, `react${react}-page-dialog.png`)});
        if (react === '18') {
            await page.screenshot({path: DOC_SHOT});
        }
        await dialog.getByRole('button', {name: 'Page PagerTree'}).click();
        await dialog.getByRole('status').getByText('PagerTree is being paged through the route "Database".', {exact: false}).waitFor();
        const sent = standIn.requests.filter((r) => r.method === 'POST' && r.url.endsWith('/api/v1/page-from-post'));
        expect(sent.map((r) => r.body)).toEqual([
            {post_id: PAGED_POST, route: 'db', urgency: 'high', severity: '', title: '   ', note: ''},
            {post_id: PAGED_POST, route: 'db', urgency: 'critical', severity: 'SEV-2', title: 'Checkout failing for EU customers', note: 'Customers are calling support; started after the 10:00 deploy.'},
        ]);
        await page.keyboard.press('Escape');
        await dialog.waitFor({state: 'detached'});
        expect(pageErrors).toEqual([]);
    });
});
