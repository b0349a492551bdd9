import fs from 'fs';
import path from 'path';

describe('plugin registration', () => {
    test('registers a component for every custom setting in plugin.json', async () => {
        const registered: string[] = [];
        const menu: string[] = [];
        const roots: unknown[] = [];
        window.registerPlugin = (id, plugin) => {
            expect(id).toBe('pagertree');
            plugin.initialize({
                registerAdminConsoleCustomSetting: (key) => registered.push(key),
                registerRootComponent: (c) => String(roots.push(c)),
                registerPostDropdownMenuAction: (text) => String(menu.push(text)),
            });
        };
        await import('../index');
        const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../plugin.json'), 'utf8'));
        const custom = manifest.settings_schema.settings.filter((s: {type: string}) => s.type === 'custom').map((s: {key: string}) => s.key);
        expect(registered.sort()).toEqual(custom.sort());
        expect(document.getElementById('pagertree-styles')).not.toBeNull();
        expect(menu).toEqual(['Page PagerTree…']);
        expect(roots).toHaveLength(1);
    });
});
