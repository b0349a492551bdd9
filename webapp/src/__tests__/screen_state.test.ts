import {plainSettingsOnScreen, publish, resetScreenState, screenSettings, settingKey} from '../screen_state';

describe('screen state', () => {
    beforeEach(() => {
        resetScreenState();
        document.body.innerHTML = '';
    });

    test('keys are the plugin.json keys, lower-cased', () => {
        expect(settingKey('TriggerWords')).toBe('triggerwords');
        expect(settingKey('PluginSettings.Plugins.pagertree.triggerwords')).toBe('triggerwords');
    });

    test('reads the console\'s own unsaved inputs (as its Dropdown, Text and Boolean settings render them), and our published values win', () => {
        document.body.innerHTML = `
            <select id="PluginSettings.Plugins.pagertree.format"><option value="mattermost">M</option><option value="webhook" selected>W</option></select>
            <input id="PluginSettings.Plugins.pagertree.retrywindowminutes" value=" 30 ">
            <a id="PluginSettings.Plugins.pagertree.watchprivatechannels"></a>
            <input type="radio" name="PluginSettings.Plugins.pagertree.watchprivatechannels" value="true" checked>
            <input type="radio" name="PluginSettings.Plugins.pagertree.watchprivatechannels" value="false">
            <input type="radio" name="PluginSettings.Plugins.pagertree.forwardbotposts" value="true">
            <input type="radio" name="PluginSettings.Plugins.pagertree.forwardbotposts" value="false" checked>`;
        expect(plainSettingsOnScreen()).toEqual({format: 'webhook', retrywindowminutes: '30', watchprivatechannels: true, forwardbotposts: false});
        publish('Token', 'typed');
        expect(screenSettings()).toEqual({format: 'webhook', retrywindowminutes: '30', watchprivatechannels: true, forwardbotposts: false, token: 'typed'});
    });

    test('nothing found: only the published values (the server uses the saved ones)', () => {
        publish('TriggerWords', 'outage');
        expect(screenSettings()).toEqual({triggerwords: 'outage'});
    });
});
