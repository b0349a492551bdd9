// Helpers for text the panel writes or shows. The rules (what a list holds, which aliases and URLs
// are accepted) are the server's: the panel asks it (settings_check.ts).

// joinList writes list items into a list setting's value (comma-separated, as the server reads it).
export function joinList(items: string[]): string {
    return items.join(', ');
}

// appendToList adds text typed by the admin to a list setting's value, as typed: the server splits
// it into items (a pasted "a, b" is two), and the panel then shows the server's items.
export function appendToList(value: string, added: string[]): string {
    return joinList([value, ...added].filter((s) => s.trim() !== ''));
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
