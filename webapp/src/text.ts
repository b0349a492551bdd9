// Helpers for the list-valued settings (stored as comma-separated text, as the server reads them).

export function splitList(value: unknown): string[] {
    if (typeof value !== 'string') {
        return [];
    }
    return value.split(/[,;\n\r]/).map((s) => s.trim().replace(/\s+/g, ' ')).filter(Boolean);
}

export function joinList(items: string[]): string {
    return items.join(', ');
}

// Words that would page on ordinary talk: the editor warns, it does not forbid.
const COMMON = new Set([
    'a', 'an', 'and', 'are', 'at', 'be', 'but', 'can', 'do', 'fix', 'for', 'go', 'help', 'hi', 'i', 'in', 'is', 'issue',
    'it', 'me', 'no', 'not', 'now', 'of', 'ok', 'on', 'or', 'please', 'so', 'the', 'this', 'to', 'up', 'we', 'yes', 'you',
    'problem', 'error', 'bug', 'test', 'alert', 'page', 'hello', 'thanks', 'question', 'low', 'high', 'medium',
]);

export function triggerWarning(trigger: string): string {
    const t = trigger.toLowerCase();
    if ([...t].length <= 2) {
        return `"${trigger}" is very short and will page on ordinary talk.`;
    }
    if (COMMON.has(t)) {
        return `"${trigger}" is a common word and will page on ordinary talk.`;
    }
    return '';
}

// utf8ToIndex converts a byte offset in the UTF-8 encoding of s (as the Go server reports
// match positions) into a JavaScript string index (UTF-16 code units).
export function utf8ToIndex(s: string, byteOffset: number): number {
    let bytes = 0;
    let i = 0;
    while (i < s.length && bytes < byteOffset) {
        const cp = s.codePointAt(i) as number;
        if (cp < 0x80) {
            bytes += 1;
        } else if (cp < 0x800) {
            bytes += 2;
        } else if (cp < 0x10000) {
            bytes += 3;
        } else {
            bytes += 4;
        }
        i += cp >= 0x10000 ? 2 : 1;
    }
    return i;
}

export const URGENCIES = ['low', 'medium', 'high', 'critical'] as const;

export type AliasRow = {alias: string; urgency: string};

export function parseAliases(value: unknown): AliasRow[] {
    return splitList(value).map((item) => {
        const sep = Math.max(item.lastIndexOf('='), item.lastIndexOf(':'));
        if (sep <= 0) {
            return {alias: item, urgency: ''};
        }
        return {alias: item.slice(0, sep).trim(), urgency: item.slice(sep + 1).trim().toLowerCase()};
    });
}

export function formatAliases(rows: AliasRow[]): string {
    return rows.filter((r) => r.alias.trim() || r.urgency).map((r) => `${r.alias.trim()}=${r.urgency}`).join(', ');
}

export function aliasError(row: AliasRow, rows: AliasRow[]): string {
    const name = row.alias.trim();
    if (!name) {
        return 'Type the alias, for example sev-1.';
    }
    if ((/[,;=:]/).test(name)) {
        return 'An alias cannot contain , ; = or :.';
    }
    if (!(URGENCIES as readonly string[]).includes(row.urgency)) {
        return 'Choose the urgency it stands for.';
    }
    if (rows.filter((r) => r.alias.trim().toLowerCase() === name.toLowerCase()).length > 1) {
        return `"${name}" is listed twice.`;
    }
    return '';
}

const ALLOW_SETTING = '"Allow untrusted internal connections to" (System Console > Environment > Developer)';

// isInternalLiteral spots the common internal IP literals (loopback, private, link-local).
function isInternalLiteral(host: string): boolean {
    return host === 'localhost' || host.startsWith('[') ||
        (/^(127\.|10\.|192\.168\.|169\.254\.|0\.|172\.(1[6-9]|2\d|3[01])\.)/).test(host);
}

// endpointCheck validates a PagerTree endpoint URL as the server will.
export type EndpointCheck = {error: string; warning: string};

export function checkEndpoint(value: string): EndpointCheck {
    const v = value.trim();
    if (!v) {
        return {error: '', warning: 'No endpoint yet: nothing can be sent until you paste one.'};
    }
    let url: URL;
    try {
        url = new URL(v);
    } catch {
        return {error: 'This is not an absolute URL. It should start with https://', warning: ''};
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        return {error: 'The endpoint must be an https:// URL.', warning: ''};
    }
    if (url.username || url.password) {
        return {error: 'The URL must not contain a user name or password.', warning: ''};
    }

    // Whether a host is listed in AllowedUntrustedInternalConnections is the server's call
    // (checked when you save or send a test); here only a hint.
    if (url.protocol === 'http:') {
        return {error: '', warning: `Plain http sends the token in clear: the server only allows it for a host listed in ${ALLOW_SETTING}. PagerTree itself needs https.`};
    }
    if (isInternalLiteral(url.hostname)) {
        return {error: '', warning: `${url.hostname} is an internal address: the server only allows it when listed in ${ALLOW_SETTING}.`};
    }
    if (!(/(^|\.)pagertree\.com$/).test(url.hostname)) {
        return {error: '', warning: `${url.hostname} is not a PagerTree host. PagerTree endpoints look like https://api.pagertree.com/integration/int_…`};
    }
    return {error: '', warning: ''};
}
