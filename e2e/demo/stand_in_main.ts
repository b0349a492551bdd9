// The demo's PagerTree stand-in as a process of its own, so it outlives the walk-through and
// keeps answering while you try the plugin: `node stand_in_main.js PORT TOKEN LOGFILE` appends
// every request it answers to LOGFILE as one JSON line.
import fs from 'fs';

import {PagerTreeStandIn} from '../src/stand_in';

async function main(): Promise<void> {
    const [port, token, logFile] = process.argv.slice(2);
    const pt = new PagerTreeStandIn(token);
    pt.port = Number(port);
    pt.onRecord = (r) => fs.appendFileSync(logFile, JSON.stringify({at: new Date(r.at).toISOString(), path: r.path, status: r.status, body: r.body}) + '\n');
    await pt.start();
    const stop = () => {
        pt.stop(); // the process ends once the port is closed
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
}

main().catch((e) => {
    console.error(e);
    process.exitCode = 1;
});
