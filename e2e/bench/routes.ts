// BENCH_ROUTES=N: the plugin configured with N routes over 10·N channels, each route with its own
// trigger words and its own integration in the stand-in, so the post path measures a
// non-trigger post in a channel that is in a route (issue 18: it must cost what it costs with
// no routes). The bench has one team and a team may be in one route only, so every route is a
// route of channels (10 each); a team route would need a team per route.
import type {Channel} from '@mattermost/types/channels';

import type {Bench} from './setup';

import type {PagerTreeStandIn} from '../src/stand_in';
import {setPluginSettings} from '../src/world';
import type {World} from '../src/world';

export const CHANNELS_PER_ROUTE = 10;

// At most this many API calls at once while setting up: enough to be quick, few enough that
// the server (and the PostgreSQL other checkouts share) is not flooded.
const SETUP_CONCURRENCY = 8;

export type RouteSetup = {routes: number; channels: number; postChannel: Channel};

// bounded runs fn over items with at most `limit` calls in flight, keeping the order of results.
async function bounded<T, R>(items: T[], limit: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
    const out = new Array<R>(items.length);
    let next = 0;
    await Promise.all(Array.from({length: Math.min(limit, items.length)}, async () => {
        for (let i = next++; i < items.length; i = next++) {
            out[i] = await fn(items[i], i);
        }
    }));
    return out;
}

// routeWords is route i's own trigger words: never in the bench's other posts (whose triggers
// are the default route's "outage, sev-1, #page"), nor in its non-trigger posts.
export function routeWords(i: number): string {
    return `route${i}-down, page-route${i}`;
}

// setUpRoutes creates the channels, saves the routes (the plugin must be running: it checks
// at save time that every channel exists), adds the posting users to the channel the post path
// posts to, and checks that a route really pages through its own integration.
export async function setUpRoutes(b: Bench, pt: PagerTreeStandIn, n: number): Promise<RouteSetup> {
    const names = Array.from({length: n * CHANNELS_PER_ROUTE}, (_, i) => `route-ch-${i}`);
    const channels = await bounded(names, SETUP_CONCURRENCY, (name) =>
        b.admin.createChannel({team_id: b.team.id, name, display_name: name, type: 'O'} as Channel));
    const specs = [];
    const tokens: Record<string, string> = {};
    for (let i = 0; i < n; i++) {
        const id = `r${i}`;
        const path = `/integration/int_route${i}`;
        pt.integrations.set(path, `route-token-${i}`);
        tokens[id] = `route-token-${i}`;
        specs.push({
            id,
            name: `Route ${i}`,
            channels: channels.slice(i * CHANNELS_PER_ROUTE, (i + 1) * CHANNELS_PER_ROUTE).map((c) => c.id),
            endpoint_url: pt.url + path,
            trigger_words: routeWords(i),
        });
    }
    await setPluginSettings({admin: b.admin} as World, {Routes: JSON.stringify(specs), RouteTokens: JSON.stringify(tokens)});

    // The post path's channel: one in the middle of the routes, not the first one looked at.
    const postChannel = channels[Math.floor(n / 2) * CHANNELS_PER_ROUTE];
    await bounded(b.posters, SETUP_CONCURRENCY, (p) => b.admin.addToChannel(p.userId, postChannel.id));

    // The last route's last channel (the admin made it, so is in it): its own word must page
    // through its own integration, or the routes were not taken.
    const last = n - 1;
    const probe = `route-probe-${Date.now()}`;
    await b.admin.createPost({channel_id: channels[channels.length - 1].id, message: `route${last}-down ${probe}`} as never);
    await pt.waitFor(probe, {path: `/integration/int_route${last}`, status: 200, timeoutMs: 30000});
    return {routes: n, channels: channels.length, postChannel};
}
