import {aliasError, checkEndpoint, formatAliases, parseAliases, splitList, triggerWarning, utf8ToIndex} from '../text';

describe('text helpers', () => {
    test('splitList trims, collapses space and drops empties', () => {
        expect(splitList(' outage, sev-1\n\ndb   down;#page ,, ')).toEqual(['outage', 'sev-1', 'db down', '#page']);
        expect(splitList(undefined)).toEqual([]);
    });

    test('utf8ToIndex maps Go byte offsets to UTF-16 indexes', () => {
        const s = 'é🔥 outage';
        const byteStart = Buffer.byteLength('é🔥 ', 'utf8');
        expect(s.slice(utf8ToIndex(s, byteStart))).toBe('outage');
        expect(utf8ToIndex('abc', 2)).toBe(2);
    });

    test('trigger warnings for short and common words only', () => {
        expect(triggerWarning('db')).toMatch(/very short/);
        expect(triggerWarning('help')).toMatch(/common word/);
        expect(triggerWarning('outage')).toBe('');
    });

    test('aliases round-trip and validate', () => {
        const rows = parseAliases('sev-1=critical, p1:HIGH, broken');
        expect(rows).toEqual([{alias: 'sev-1', urgency: 'critical'}, {alias: 'p1', urgency: 'high'}, {alias: 'broken', urgency: ''}]);
        expect(formatAliases(rows.slice(0, 2))).toBe('sev-1=critical, p1=high');
        expect(aliasError(rows[2], rows)).toMatch(/Choose the urgency/);
        expect(aliasError({alias: '', urgency: 'low'}, rows)).toMatch(/Type the alias/);
        expect(aliasError({alias: 'P1', urgency: 'low'}, [...rows, {alias: 'P1', urgency: 'low'}])).toMatch(/listed twice/);
    });

    test.each([
        ['', '', /No endpoint yet/],
        ['api.pagertree.com/x', /not an absolute URL/, ''],
        ['ftp://api.pagertree.com/x', /https/, ''],
        ['http://api.pagertree.com/x', '', /sends the token in clear/],
        ['https://u:p@api.pagertree.com/x', /user name/, ''],
        ['http://127.0.0.1:8065/x', '', /only allows it for a host listed in "Allow untrusted internal connections to"/],
        ['http://pagertree.example.com/int', '', /sends the token in clear/],
        ['https://169.254.169.254/latest', '', /169\.254\.169\.254 is an internal address/],
        ['https://example.com/hook', '', /not a PagerTree host/],
        ['https://api.pagertree.com/integration/int_123', '', ''],
    ])('checkEndpoint(%s)', (url, error, warning) => {
        const got = checkEndpoint(url);
        if (error) {
            expect(got.error).toMatch(error);
        } else {
            expect(got.error).toBe('');
        }
        if (warning) {
            expect(got.warning).toMatch(warning);
        } else {
            expect(got.warning).toBe('');
        }
    });
});
