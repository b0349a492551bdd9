// Webapp half of the PagerTree plugin: registers the System Console's custom settings and the
// "Page PagerTree…" action of every message's menu, with its dialog.
import type React from 'react';

import ChannelAllowList from './components/channel_allow_list';
import CheckAPIKey from './components/check_api_key';
import EndpointURL from './components/endpoint_url';
import ExternalChannel from './components/external_channel';
import IncidentSeverities from './components/incident_severities';
import ReceiverSetup from './components/receiver_setup';
import RecentDeliveries from './components/recent_deliveries';
import RouteTokens from './components/route_tokens';
import RoutesEditor from './components/routes_editor';
import SendTestAlert from './components/send_test_alert';
import Token from './components/token';
import TriggerWords from './components/trigger_words';
import TryMessage from './components/try_message';
import UrgencyAliases from './components/urgency_aliases';
import {openPageDialog} from './page_dialog/open_state';
import PageDialogRoot from './page_dialog/page_dialog';
import {injectStyles} from './styles';
import type {CustomSettingProps} from './types';

import manifest from '../../plugin.json';

// The part of the host's plugin registry this plugin uses. The post menu action and root
// components exist on every server the plugin supports (7.4+); called with positional
// arguments, which every version accepts.
export type Registry = {
    registerAdminConsoleCustomSetting: (key: string, component: React.ComponentType<CustomSettingProps>, options?: {showTitle?: boolean}) => void;
    registerRootComponent?: (component: React.ComponentType) => string;
    registerPostDropdownMenuAction?: (text: string, action: (postId: string) => void, filter?: (postId: string) => boolean) => string;
};

// PAGE_ACTION is the post menu's entry.
export const PAGE_ACTION = 'Page PagerTree…';

// Keys match the settings of type "custom" in plugin.json.
export const CUSTOM_SETTINGS: Record<string, React.ComponentType<CustomSettingProps>> = {
    EndpointURL,
    Token,
    TriggerWords,
    UrgencyAliases,
    IncidentSeverities,
    ChannelAllowList,
    ExternalAlertsChannel: ExternalChannel,
    SendTestAlert,
    TryMessage,
    RecentDeliveries,
    ReceiverSetup,
    APIKey: Token, // the same password field: a saved key comes back as a placeholder
    CheckAPIKey,
    Routes: RoutesEditor,
    RouteTokens,
};

export class Plugin {
    initialize(registry: Registry): void {
        injectStyles();
        for (const [key, component] of Object.entries(CUSTOM_SETTINGS)) {
            registry.registerAdminConsoleCustomSetting(key, component, {showTitle: false});
        }
        if (registry.registerRootComponent && registry.registerPostDropdownMenuAction) {
            registry.registerRootComponent(PageDialogRoot);
            registry.registerPostDropdownMenuAction(PAGE_ACTION, openPageDialog); // the server decides which messages may page
        }
    }
}

declare global {
    interface Window {
        registerPlugin(id: string, plugin: Plugin): void;
    }
}

window.registerPlugin(manifest.id, new Plugin());
