// A local stand-in for PagerTree's two integrations (DESIGN §4), plus a path for Mattermost's
// built-in outgoing webhook. It enforces the token rule (wrong token → 403, no alert), records
// every request with headers and body, answers an empty 200 otherwise, and can be told to fail.
// Its REST API v4 (for acting on alerts and on-call) lives in stand_in_rest.ts.
import http from 'http';
import type {AddressInfo, Socket} from 'net';

import {PagerTreeRestStandIn} from './stand_in_rest';

export type Recorded = {
    path: string;
    headers: http.IncomingHttpHeaders;
    raw: string;
    body: Record<string, unknown>;
    status: number; // what the stand-in answered (0: it hung up)
    at: number;
};

export type Failure =
    | {kind: 'status'; status: number; retryAfter?: number}
    | {kind: 'hang'}; // never answer: the client's timeout fires

type Rule = Failure & {remaining?: number; until?: number; paths?: string[]};

export const PATHS = {mattermost: '/integration/int_mattermost', webhook: '/integration/int_webhook', builtin: '/builtin'};

export class PagerTreeStandIn {
    readonly requests: Recorded[] = [];
    readonly rest = new PagerTreeRestStandIn(); // the REST API v4 under /api/v4/ (stand_in_rest.ts)
    token: string;
    private rules: Rule[] = [];
    private server: http.Server | null = null;
    private sockets = new Set<Socket>();
    port = 0;
    onRecord?: (r: Recorded) => void; // called once per request, after it was answered

    constructor(token: string) {
        this.token = token;
    }

    get url(): string {
        return `http://127.0.0.1:${this.port}`;
    }

    async start(): Promise<void> {
        const server = http.createServer((req, res) => this.handle(req, res));
        server.on('connection', (s) => {
            this.sockets.add(s);
            s.on('close', () => this.sockets.delete(s));
        });
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(this.port, '127.0.0.1', resolve);
        });
        this.port = (server.address() as AddressInfo).port;
        this.server = server;
    }

    // stop closes the port: connections are refused until start() again.
    async stop(): Promise<void> {
        const server = this.server;
        this.server = null;
        this.sockets.forEach((s) => s.destroy());
        await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    }

    // refuseFor closes the port for ms milliseconds, then opens it again on the same port.
    async refuseFor(ms: number): Promise<void> {
        await this.stop();
        await new Promise((r) => setTimeout(r, ms));
        await this.start();
    }

    // failNext answers the next n requests (to the given paths, default all) with the failure.
    failNext(n: number, failure: Failure, paths?: string[]): void {
        this.rules.push({...failure, remaining: n, paths});
    }

    // failFor answers every request for ms milliseconds with the failure.
    failFor(ms: number, failure: Failure, paths?: string[]): void {
        this.rules.push({...failure, until: Date.now() + ms, paths});
    }

    clearFailures(): void {
        this.rules = [];
    }

    private takeRule(path: string): Rule | undefined {
        const now = Date.now();
        this.rules = this.rules.filter((r) => (r.remaining === undefined || r.remaining > 0) && (r.until === undefined || r.until > now));
        const rule = this.rules.find((r) => !r.paths || r.paths.includes(path));
        if (rule && rule.remaining !== undefined) {
            rule.remaining--;
        }
        return rule;
    }

    private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
        let raw = '';
        req.on('data', (c) => {
            raw += c;
        });
        req.on('end', () => {
            const path = (req.url || '/').split('?')[0];
            let body: Record<string, unknown> = {};
            try {
                body = raw ? JSON.parse(raw) : {};
            } catch {
                body = {};
            }
            const rec: Recorded = {path, headers: req.headers, raw, body, status: 0, at: Date.now()};
            this.requests.push(rec);
            const rule = this.takeRule(path);
            if (rule?.kind === 'hang') {
                return; // the socket stays open until the client gives up or stop()
            }
            let status = 200;
            if (rule?.kind === 'status') {
                status = rule.status;
                if (rule.retryAfter !== undefined) {
                    res.setHeader('Retry-After', String(rule.retryAfter));
                }
            } else if (PagerTreeRestStandIn.handles(path)) {
                const answer = this.rest.answer(req.method || 'GET', req.url || '/', req.headers, body);
                rec.status = answer.status;
                res.writeHead(answer.status, {'Content-Type': 'application/json'});
                res.end(JSON.stringify(answer.body));
                return;
            } else if (path === PATHS.mattermost && this.token && body.token !== this.token) {
                status = 403;
            } else if (path === PATHS.webhook && this.token && req.headers['pagertree-token'] !== this.token) {
                status = 403;
            } else if (path !== PATHS.mattermost && path !== PATHS.webhook && path !== PATHS.builtin) {
                status = 404;
            }
            rec.status = status;
            if (status === 200 && (path === PATHS.mattermost || path === PATHS.webhook)) {
                this.rest.recordIntegration(path === PATHS.mattermost ? 'mattermost' : 'webhook', body);
            }
            res.writeHead(status);
            res.end();
            this.onRecord?.(rec);
        });
    }

    // matching returns the recorded requests whose raw body contains text.
    matching(text: string, path?: string): Recorded[] {
        return this.requests.filter((r) => r.raw.includes(text) && (!path || r.path === path));
    }

    async waitFor(text: string, opts: {path?: string; count?: number; timeoutMs?: number; status?: number} = {}): Promise<Recorded[]> {
        const deadline = Date.now() + (opts.timeoutMs ?? 15000);
        const count = opts.count ?? 1;
        for (;;) {
            const got = this.matching(text, opts.path).filter((r) => opts.status === undefined || r.status === opts.status);
            if (got.length >= count) {
                return got;
            }
            if (Date.now() > deadline) {
                throw new Error(`stand-in: ${got.length} of ${count} requests containing ${JSON.stringify(text)}${opts.status ? ` answered ${opts.status}` : ''} within ${opts.timeoutMs ?? 15000} ms`);
            }
            await new Promise((r) => setTimeout(r, 100));
        }
    }
}
