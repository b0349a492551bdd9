// The demo's PagerTree stand-in as a process of its own, so it outlives the walk-through and
// keeps answering while you try the plugin:
//
//   node stand_in_main.js PORT APP_PORT TOKEN API_KEY LOGFILE
//
// PORT is what the plugin talks to, as it talks to PagerTree: the integrations (token TOKEN) and
// the REST API v4 (key API_KEY). Like PagerTree, the stand-in sends its outgoing-webhook events
// to the plugin's receiver once one is configured: alert.created for every new alert, and
// alert.acknowledged / alert.resolved after every change. APP_PORT stands for PagerTree's app,
// what a person does there (app_api.ts). LOGFILE gets one JSON line per request answered
// ("in") and per event sent ("out").
import fs from 'fs';
import http from 'http';

import {handleApp} from './app_api';

import {PagerTreeStandIn} from '../src/stand_in';
import type {EventBody} from '../src/stand_in';

export type LogLine =
    | {at: string; dir: 'in'; method: string; url: string; path: string; status: number; body: Record<string, unknown>}
    | {at: string; dir: 'out'; url: string; status: number; body: EventBody; answer: string};

async function main(): Promise<void> {
    const [port, appPort, token, apiKey, logFile] = process.argv.slice(2);
    if (!logFile) {
        throw new Error('usage: node stand_in_main.js PORT APP_PORT TOKEN API_KEY LOGFILE');
    }
    const log = (l: LogLine) => fs.appendFileSync(logFile, JSON.stringify(l) + '\n');
    const pt = new PagerTreeStandIn(token);
    pt.port = Number(port);
    pt.rest.apiKey = apiKey;
    pt.autoEvents = true;
    pt.autoEventDelayMs = 300; // PagerTree sends its event a moment after the change
    pt.onRecord = (r) => log({at: new Date(r.at).toISOString(), dir: 'in', method: r.method, url: r.url, path: r.path, status: r.status, body: r.body});
    pt.onSent = (s) => log({at: new Date().toISOString(), dir: 'out', url: pt.outgoing?.url || '', status: s.status, body: s.body, answer: s.text});

    const send = async (body: EventBody) => {
        try {
            const r = await pt.send(body);
            log({at: new Date().toISOString(), dir: 'out', url: pt.outgoing?.url || '', status: r.status, body, answer: r.text});
            return r;
        } catch (err) {
            log({at: new Date().toISOString(), dir: 'out', url: pt.outgoing?.url || '', status: 0, body, answer: String(err)});
            throw err;
        }
    };

    // PagerTree tells its outgoing webhook about every new alert, whichever integration made it.
    pt.rest.onChange((c) => {
        if (c.from !== null || !pt.outgoing) {
            return;
        }
        send(pt.event(c.alert, 'alert.created')).catch(() => undefined); // logged
    });
    await pt.start();

    const app = http.createServer((req, res) => {
        let raw = '';
        req.on('data', (c) => {
            raw += c;
        });
        req.on('end', () => {
            handleApp(pt, send, req.method || 'GET', req.url || '/', raw).then(
                (a) => {
                    res.writeHead(a.status, {'Content-Type': 'application/json'});
                    res.end(JSON.stringify(a.body, null, 2) + '\n');
                },
                (err) => {
                    res.writeHead(500, {'Content-Type': 'application/json'});
                    res.end(JSON.stringify({error: String(err)}) + '\n');
                },
            );
        });
    });
    await new Promise<void>((resolve, reject) => {
        app.once('error', reject);
        app.listen(Number(appPort), '127.0.0.1', resolve);
    });
    const stop = () => {
        app.close();
        pt.stop(); // the process ends once both ports are closed
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
}

main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
});
