// PagerTree's events (DESIGN §10, §11): a burst of outgoing-webhook events, sent like PagerTree
// by the stand-in to the plugin's receiver with a fixed number in flight, about alerts the
// plugin delivered earlier in the run. Reports the answers (time, status, result) and when the
// last status card showed the new state.
import type {Context} from './phases';
import {percentile, round} from './stats';

import type {StandInAlert} from '../src/stand_in_rest';
import {sleep} from '../src/world';

export type Events = {
    events: number;
    in_flight: number;
    alerts: number;
    answer_ms: {p50: number; p95: number; p99: number; max: number};
    statuses: Record<string, number>;
    results: Record<string, number>;
    sending_ms: number;

    // From the first event sent until every alert's card showed "Acknowledged" (NaN: not all did).
    all_cards_right_ms: number;
    cards_right: number;
};

type Attachment = {fields?: Array<{title: string; value: string}>};

const hrNow = (): number => performance.timeOrigin + performance.now();

// cardsAcknowledged polls the channel's changed posts until `want` threads have a status card
// (the bot's reply with an attachment) that says Acknowledged, or the deadline. It returns
// how many did and when the last one was seen.
async function cardsAcknowledged(c: Context, botId: string, since: number, want: number, deadline: number): Promise<{right: number; at: number}> {
    const latest = new Map<string, {updateAt: number; acked: boolean}>(); // card post id → its newest state
    let cursor = since;
    let right = 0;
    let at = NaN;
    while (Date.now() < deadline) {
        const polled = Date.now();
        const list = await c.b.admin.getPostsSince(c.b.channel.id, cursor);
        for (const p of Object.values(list.posts)) {
            const att = (p.props?.attachments as Attachment[] | undefined)?.[0];
            if (p.user_id !== botId || !p.root_id || !att) {
                continue;
            }
            const acked = (att.fields || []).some((f) => f.title === 'Status' && f.value === 'Acknowledged');
            const cur = latest.get(p.id);
            if (!cur || p.update_at >= cur.updateAt) {
                latest.set(p.id, {updateAt: p.update_at, acked});
            }
        }
        right = [...latest.values()].filter((x) => x.acked).length;
        if (right >= want) {
            at = hrNow();
            break;
        }

        // Overlap the windows: a post changed while the last answer was being built is not missed.
        cursor = polled - 1000;
        await sleep(200);
    }
    return {right, at};
}

// events acknowledges the alerts made from posts tagged `refPrefix` (one event each, then
// repeats if n is larger), `inFlight` at a time.
export async function events(c: Context, n: number, inFlight: number, refPrefix: string, timeoutMs: number): Promise<Events> {
    const res = await fetch(`${c.b.url}/plugins/pagertree/api/v1/receiver`, {headers: {Authorization: `Bearer ${c.b.admin.getToken()}`}});
    const info = await res.json() as {url: string; username: string; password: string};
    c.pt.sendTo({url: info.url, username: info.username, password: info.password, linkedData: false});
    const botId = (await c.b.admin.getUserByUsername('pagertree')).id;
    const alerts: StandInAlert[] = c.pt.rest.alerts.filter((a) => a.title.includes(`ref=${refPrefix}`) && a.source === 'mattermost');
    if (alerts.length === 0) {
        throw new Error(`no alerts from posts tagged ${refPrefix} to send events about`);
    }
    const bodies = Array.from({length: n}, (_, i) => c.pt.event(alerts[i % alerts.length], 'alert.acknowledged'));
    const answers: number[] = [];
    const statuses: Record<string, number> = {};
    const results: Record<string, number> = {};
    const since = Date.now() - 1000;
    const t0 = hrNow();
    let next = 0;
    await Promise.all(Array.from({length: inFlight}, async () => {
        for (let i = next++; i < n; i = next++) {
            const started = hrNow();
            let status = 0;
            let text = '';
            try {
                ({status, text} = await c.pt.send(bodies[i]));
            } catch {
                status = 0;
            }
            answers.push(hrNow() - started);
            statuses[String(status)] = (statuses[String(status)] || 0) + 1;
            let result = 'none';
            try {
                result = (JSON.parse(text) as {result?: string}).result || 'none';
            } catch {
                result = 'not JSON';
            }
            results[result] = (results[result] || 0) + 1;
        }
    }));
    const sent = hrNow();
    const want = Math.min(n, alerts.length);
    const cards = await cardsAcknowledged(c, botId, since, want, Date.now() + timeoutMs);
    return {
        events: n,
        in_flight: inFlight,
        alerts: want,
        answer_ms: {
            p50: round(percentile(answers, 50)),
            p95: round(percentile(answers, 95)),
            p99: round(percentile(answers, 99)),
            max: round(Math.max(...answers)),
        },
        statuses,
        results,
        sending_ms: round(sent - t0),
        all_cards_right_ms: cards.right >= want ? round(cards.at - t0) : NaN,
        cards_right: cards.right,
    };
}
