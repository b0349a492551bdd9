// The demo's own parts on their own (no Mattermost server): the card drawn as text from a post's
// attachment, and the stand-in's app API (what a person does in PagerTree), which makes the
// stand-in send PagerTree's event to the receiver naming that person.
import http from 'http';
import type {AddressInfo} from 'net';

import type {Post} from '@mattermost/types/posts';

import {APP_USER, handleApp} from '../demo/app_api';
import {cardOf, cardText} from '../demo/card_text';
import {PagerTreeStandIn, PATHS} from '../src/stand_in';
import type {EventBody} from '../src/stand_in';

test('the card as text: title and colour, link, fields two to a line, long fields alone, buttons', () => {
    const p = {props: {attachments: [{
        color: '#FFBC1F',
        title: 'PagerTree alert #3',
        title_link: 'https://app.pagertree.com/alerts/alt_1',
        fields: [
            {title: 'Status', value: 'Acknowledged', short: true},
            {title: 'Urgency', value: 'high', short: true},
            {title: 'Trigger', value: 'db down', short: true},
            {title: 'From Mattermost', value: 'Resolving… (@alice)', short: false},
        ],
        actions: [{id: 'resolve', name: 'Resolve'}],
    }]}} as unknown as Post;
    expect(cardText(cardOf(p) as NonNullable<ReturnType<typeof cardOf>>)).toEqual([
        '┃ PagerTree alert #3   [amber]',
        '┃ https://app.pagertree.com/alerts/alt_1',
        '┃ Status: Acknowledged          Urgency: high',
        '┃ Trigger: db down',
        '┃ From Mattermost: Resolving… (@alice)',
        '┃ [ Resolve ]',
    ]);
    expect(cardOf({props: {}} as unknown as Post)).toBeUndefined();
});

describe('the stand-in\'s app API', () => {
    const pt = new PagerTreeStandIn('tok');
    const got: EventBody[] = [];
    const receiver = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (c) => {
            raw += c;
        });
        req.on('end', () => {
            got.push(JSON.parse(raw));
            res.writeHead(200);
            res.end('{"result":"applied"}');
        });
    });
    const sent: EventBody[] = [];
    const send = async (body: EventBody) => {
        sent.push(body);
        return pt.send(body);
    };
    const appCall = (method: string, url: string, body?: unknown) => handleApp(pt, send, method, url, body === undefined ? '' : JSON.stringify(body));

    beforeAll(async () => {
        await pt.start();
        await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
        pt.autoEvents = true;
    });
    afterAll(async () => {
        await pt.stop();
        await new Promise((r) => receiver.close(r));
    });

    async function eventually(check: () => boolean): Promise<void> {
        const deadline = Date.now() + 5000;
        while (!check()) {
            if (Date.now() > deadline) {
                throw new Error('timed out');
            }
            await new Promise((r) => setTimeout(r, 50));
        }
    }

    test('an acknowledge in the app is sent as the person who acted; a second one is refused', async () => {
        const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
        expect((await appCall('PUT', '/app/outgoing-webhook', {url})).status).toBe(200);
        await fetch(pt.url + PATHS.mattermost, {method: 'POST', body: JSON.stringify({token: 'tok', channel_id: 'ch', timestamp: 1, text: 'db down'})});
        const ack = await appCall('POST', '/app/alerts/1/acknowledge');
        expect(ack).toMatchObject({status: 200, body: {number: 1, status: 'acknowledged'}});
        await eventually(() => got.length === 1);
        expect(got[0]).toMatchObject({type: 'alert.acknowledged', data: {thirdparty_id: 'ch.1', acknowledgedby: APP_USER.id, d_user: APP_USER}});
        expect(await appCall('POST', '/app/alerts/1/acknowledge')).toMatchObject({status: 422, body: {error: 'Alert #1 cannot be acknowledged from the acknowledged state.'}});
        const pat = await appCall('POST', '/app/alerts/1/resolve', {name: 'Pat Tree', email: 'pat@elsewhere.example'});
        expect(pat.status).toBe(200);
        await eventually(() => got.length === 2);
        expect(got[1]).toMatchObject({type: 'alert.resolved', data: {status: 'resolved', d_user: {name: 'Pat Tree', email: 'pat@elsewhere.example'}}});
    });

    test('an alert from another source, a comment, and bad requests', async () => {
        const created = await appCall('POST', '/app/alerts', {title: 'Disk full', description: '98%'});
        expect(created).toMatchObject({status: 201, body: {number: 2, source: 'other', urgency: 'high'}});
        const comment = await appCall('POST', '/app/alerts/2/comments', {body: 'On it', name: 'Dee Ops'});
        expect(comment).toMatchObject({status: 201, body: {receiver_answered: 200}});
        expect(sent.pop()).toMatchObject({type: 'comment.created', data: {commentable_id: (created.body as {id: string}).id, body: 'On it', created_by_name: 'Dee Ops'}});
        expect(await appCall('POST', '/app/alerts', {})).toMatchObject({status: 422, body: {error: 'title is required.'}});
        expect(await appCall('POST', '/app/alerts', {title: 'x', urgency: 'urgent'})).toMatchObject({status: 422});
        expect(await appCall('POST', '/app/alerts/99/resolve')).toMatchObject({status: 404});
        expect((await handleApp(pt, send, 'POST', '/app/alerts', '[1]')).status).toBe(400);
        expect((await handleApp(pt, send, 'POST', '/app/alerts', '{')).status).toBe(400);
    });
});
