// The routes as the Routes setting stores them (JSON text), and their tokens as the RouteTokens
// secret setting stores them. The server validates both (server/routing); this module only
// reads, edits and writes them.

export const PLACEHOLDER = '********************************'; // Mattermost's model.FakeSetting

export type RouteSpec = {
    id: string;
    name: string;
    teams?: string[];
    channels?: string[];
    endpoint_url: string;
    format?: string;
    trigger_words?: string;
    match_mode?: string;
    default_urgency?: string;
    every_message?: boolean;
    imported_from?: string;
};

export function parseRoutes(value: unknown): RouteSpec[] {
    if (typeof value !== 'string' || !value.trim()) {
        return [];
    }
    try {
        const parsed = JSON.parse(value);
        return Array.isArray(parsed) ? parsed as RouteSpec[] : [];
    } catch {
        return [];
    }
}

export function formatRoutes(routes: RouteSpec[]): string {
    return routes.length ? JSON.stringify(routes) : '';
}

// Tokens on screen: the saved RouteTokens value comes back masked as a whole (PLACEHOLDER) from
// Mattermost servers that mask plugin secrets, and as JSON from older ones.
export type SavedTokens = {masked: boolean; tokens: Record<string, string>};

export function parseSavedTokens(value: unknown): SavedTokens {
    if (value === PLACEHOLDER) {
        return {masked: true, tokens: {}};
    }
    if (typeof value === 'string' && value.trim()) {
        try {
            const parsed = JSON.parse(value);
            if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
                return {masked: false, tokens: parsed as Record<string, string>};
            }
        } catch {
            // not readable: treated as masked, so nothing is overwritten by guess
        }
        return {masked: true, tokens: {}};
    }
    return {masked: false, tokens: {}};
}

// tokensValue is what the RouteTokens setting is saved as: each route's typed token, or, for a
// route whose token was not touched, its saved token when the server showed it, else the
// placeholder (the server's save hook puts the saved token back, only for the saved endpoint).
export function tokensValue(routes: RouteSpec[], saved: SavedTokens, typed: Record<string, string>): string {
    const out: Record<string, string> = {};
    for (const r of routes) {
        if (r.id in typed) {
            out[r.id] = typed[r.id];
        } else if (saved.masked) {
            out[r.id] = PLACEHOLDER;
        } else if (saved.tokens[r.id]) {
            out[r.id] = saved.tokens[r.id];
        }
    }
    return JSON.stringify(out);
}

export function newRouteID(): string {
    const bytes = new Uint8Array(6);
    crypto.getRandomValues(bytes);
    return 'r' + Array.from(bytes, (b) => b.toString(36).padStart(2, '0')).join('').slice(0, 10);
}

// scopeProblem is the one check the panel makes before the server does: a route needs a scope.
export function scopeSummary(r: RouteSpec): string {
    const parts: string[] = [];
    const ch = r.channels?.length || 0;
    const tm = r.teams?.length || 0;
    if (ch) {
        parts.push(`${ch} channel${ch === 1 ? '' : 's'}`);
    }
    if (tm) {
        parts.push(`${tm} team${tm === 1 ? '' : 's'}`);
    }
    return parts.join(', ') || 'no scope yet';
}
