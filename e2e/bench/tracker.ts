// Tracker indexes what the PagerTree stand-in received by the bench reference in each message
// ("ref=B123") and by path: the plugin's integration endpoint or the built-in webhook's URL.
import {PATHS} from '../src/stand_in';
import type {PagerTreeStandIn} from '../src/stand_in';

export type Path = 'plugin' | 'builtin';

export type Arrival = {status: number; at: number; atHr: number};

const REF = /ref=([A-Z]\d+)/;

export class Tracker {
    private cursor = 0;
    private readonly seen: Record<Path, Map<string, Arrival[]>> = {plugin: new Map(), builtin: new Map()};

    private readonly pt: PagerTreeStandIn;

    constructor(pt: PagerTreeStandIn) {
        this.pt = pt;
    }

    // update reads the requests recorded since the last call (the stand-in only appends).
    update(): void {
        const reqs = this.pt.requests;
        for (; this.cursor < reqs.length; this.cursor++) {
            const r = reqs[this.cursor];
            let path: Path;
            if (r.path === PATHS.builtin) {
                path = 'builtin';
            } else if (r.path === PATHS.mattermost) {
                path = 'plugin';
            } else {
                continue;
            }
            const m = REF.exec(r.raw);
            if (!m) {
                continue;
            }
            const list = this.seen[path].get(m[1]) || [];
            list.push({status: r.status, at: r.at, atHr: r.atHr});
            this.seen[path].set(m[1], list);
        }
    }

    arrivals(path: Path, ref: string): Arrival[] {
        return this.seen[path].get(ref) || [];
    }

    // firstOK is when ref was first accepted (2xx) on path, or undefined.
    firstOK(path: Path, ref: string): number | undefined {
        return this.arrivals(path, ref).find((a) => a.status >= 200 && a.status < 300)?.at;
    }

    // firstOKHr is firstOK with sub-millisecond resolution (epoch ms, fractional).
    firstOKHr(path: Path, ref: string): number | undefined {
        return this.arrivals(path, ref).find((a) => a.status >= 200 && a.status < 300)?.atHr;
    }

    // count tells, over refs, how many were delivered, how many 2xx requests were extra
    // (duplicates), how many requests were made in all, and when the last first delivery was.
    count(path: Path, refs: string[]): {delivered: number; duplicates: number; requests: number; last: number} {
        let delivered = 0;
        let duplicates = 0;
        let requests = 0;
        let last = 0;
        for (const ref of refs) {
            const list = this.arrivals(path, ref);
            requests += list.length;
            const ok = list.filter((a) => a.status >= 200 && a.status < 300);
            if (ok.length > 0) {
                delivered++;
                duplicates += ok.length - 1;
                last = Math.max(last, ok[0].at);
            }
        }
        return {delivered, duplicates, requests, last};
    }
}
