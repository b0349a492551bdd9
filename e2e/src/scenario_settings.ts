// The plugin settings the scenario files start from, so that each file names only what it
// changes. setPluginSettings replaces the whole set (a key left out takes plugin.json's
// default); the values here that equal those defaults are written out so that a scenario does
// not depend on another file's settings.
import {PATHS} from './stand_in';
import type {PluginSettings} from './world';

export function scenarioSettings(pt: {url: string}, token: string, changes: PluginSettings = {}): PluginSettings {
    return {
        Enabled: true,
        EndpointURL: pt.url + PATHS.mattermost,
        Token: token,
        Format: 'mattermost',
        TriggerWords: 'outage, sev-1',
        MatchMode: 'whole_word',
        DefaultUrgency: 'pagertree_default',
        UrgencyAliases: 'sev-1=critical',
        WatchPrivateChannels: false,
        ForwardBotPosts: false,
        IgnoreCodeAndQuotes: true,
        ChannelAllowList: '',
        OneAlertPerThread: true,
        ChannelCooldownSeconds: 0,
        RetryWindowMinutes: 60,
        ReactionEmoji: 'rotating_light',
        ReplyInThread: true,
        StatusUpdates: 'card_and_replies',
        AlertLifetimeDays: 30,
        APIKey: '',
        WhoMayPress: 'channel_members',
        ExternalAlertsChannel: '',
        UpdatesArrive: 'pushed',
        PollSeconds: 30,
        ...changes,
    };
}
