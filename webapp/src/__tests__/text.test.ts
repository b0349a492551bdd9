import {optionLabel, settingOptions} from '../manifest_options';
import {appendToList, joinList, utf8ToIndex} from '../text';

describe('text helpers', () => {
    test('list values are written comma-separated; typed text is appended as typed (the server splits it)', () => {
        expect(joinList(['outage', 'sev-1'])).toBe('outage, sev-1');
        expect(appendToList('', ['outage'])).toBe('outage');
        expect(appendToList('outage', ['db down, P1'])).toBe('outage, db down, P1');
        expect(appendToList('outage', ['  '])).toBe('outage');
    });

    test('utf8ToIndex maps Go byte offsets to UTF-16 indexes', () => {
        const s = 'é🔥 outage';
        const byteStart = Buffer.byteLength('é🔥 ', 'utf8');
        expect(s.slice(utf8ToIndex(s, byteStart))).toBe('outage');
        expect(utf8ToIndex('abc', 2)).toBe(2);
    });
});

describe('dropdown values come from plugin.json', () => {
    test('values and labels as the System Console shows them', () => {
        expect(settingOptions('Format')).toEqual([
            {value: 'mattermost', label: 'Mattermost (Outgoing Webhook)'},
            {value: 'webhook', label: 'Webhook'},
        ]);
        expect(settingOptions('defaulturgency').map((o) => o.value)).toContain('critical');
        expect(optionLabel('DefaultUrgency', 'high')).toBe('High');
        expect(optionLabel('Format', 'something-new')).toBe('something-new');
        expect(settingOptions('NoSuchSetting')).toEqual([]);
    });
});
