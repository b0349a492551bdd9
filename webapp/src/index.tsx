// Webapp half of the PagerTree plugin: registers the System Console's custom settings.
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
import {injectStyles} from './styles';
import type {CustomSettingProps} from './types';

import manifest from '../../plugin.json';

// The part of the host's plugin registry this plugin uses.
export type Registry = {
    registerAdminConsoleCustomSetting: (key: string, component: React.ComponentType<CustomSettingProps>, options?: {showTitle?: boolean}) => void;
};

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
    }
}

declare global {
    interface Window {
        registerPlugin(id: string, plugin: Plugin): void;
    }
}

window.registerPlugin(manifest.id, new Plugin());
