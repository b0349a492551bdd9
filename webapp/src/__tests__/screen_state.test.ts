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

    test('reads the console\'s own unsaved inputs, and our published values win', () => {
        document.body.innerHTML = `
            <select id="PluginSettings.Plugins.pagertree.format"><option value="mattermost">M</option><option value="webhook" selected>W</option></select>
            <input id="PluginSettings.Plugins.pagertree.retrywindowminutes" value=" 30 ">
            <input type="radio" name="p" id="PluginSettings.Plugins.pagertree.watchprivatechannelstrue" checked>
            <input type="radio" name="p" id="PluginSettings.Plugins.pagertree.watchprivatechannelsfalse">
            <input type="radio" name="b" id="PluginSettings.Plugins.pagertree.forwardbotpoststrue">
            <input type="radio" name="b" id="PluginSettings.Plugins.pagertree.forwardbotpostsfalse" checked>`;
        expect(plainSettingsOnScreen()).toEqual({format: 'webhook', retrywindowminutes: '30', watchprivatechannels: true, forwardbotposts: false});
        publish('Token', 'typed');
        expect(screenSettings()).toEqual({format: 'webhook', retrywindowminutes: '30', watchprivatechannels: true, forwardbotposts: false, token: 'typed'});
    });

    test('nothing found: only the published values (the server uses the saved ones)', () => {
        publish('TriggerWords', 'outage');
        expect(screenSettings()).toEqual({triggerwords: 'outage'});
    });
});
