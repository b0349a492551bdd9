// Test-only stand-in for the Mattermost webapp: provides the host globals the plugin bundle
// expects, captures what it registers, and renders the registered System Console settings
// with Admin-Console-like props (value, onChange, setSaveNeeded, save actions).
import React, {useEffect, useState} from 'react';
import ReactDOM from 'react-dom/client';
import * as ReactRedux from 'react-redux';
import {legacy_createStore as createStore} from 'redux';

import manifest from '../../../plugin.json';

type Component = React.ComponentType<Record<string, unknown>>;
type Registered = {key: string; component: Component; options?: unknown};

declare global {
    interface Window {
        React: typeof React;
        ReactDOM: unknown;
        Redux: {createStore: typeof createStore};
        ReactRedux: typeof ReactRedux;
        PropTypes: unknown;
        hostState: {registered: string[]; pluginId: string; saveNeeded: number; saveActions: number; values: Record<string, unknown>; reactVersion: string};
        renderConsole: (saved: Record<string, unknown>) => void;
    }
}

const registered: Registered[] = [];
window.hostState = {registered: [], pluginId: '', saveNeeded: 0, saveActions: 0, values: {}, reactVersion: React.version};
window.React = React;
window.ReactDOM = ReactDOM;
window.Redux = {createStore};
window.ReactRedux = ReactRedux;
window.PropTypes = {};

const store = createStore(() => ({
    entities: {
        channels: {channels: {opsopsopsopsopsopsopsopsop: {id: 'opsopsopsopsopsopsopsopsop', display_name: 'Ops', team_id: 'team1', type: 'O'}}},
        teams: {teams: {team1: {id: 'team1', display_name: 'Acme'}}},
    },
}));

type HostPlugin = {initialize: (registry: unknown, store: unknown) => void};
(window as unknown as {registerPlugin: (id: string, plugin: HostPlugin) => void}).registerPlugin = (id, plugin) => {
    window.hostState.pluginId = id;
    plugin.initialize({
        registerAdminConsoleCustomSetting: (key: string, component: Component, options?: unknown) => {
            registered.push({key, component, options});
            window.hostState.registered.push(key);
        },
    }, store);
};

// The System Console labels each setting with its display_name from plugin.json.
const LABELS: Record<string, string> = Object.fromEntries(
    manifest.settings_schema.settings.map((st: {key: string; display_name?: string}) => [st.key, st.display_name ?? st.key]),
);

function Console({saved}: {saved: Record<string, unknown>}) {
    const [values, setValues] = useState(saved);
    useEffect(() => {
        window.hostState.values = values; // after the render, not during it
    }, [values]);
    return (
        <div className='admin-console'>
            <h3 className='admin-console__header'>{'PagerTree'}</h3>
            <div className='form-horizontal'>
                {registered.map(({key, component: C}) => (
                    <C
                        key={key}
                        id={`PluginSettings.Plugins.pagertree.${key.toLowerCase()}`} // as the System Console names it
                        label={LABELS[key] || key}
                        helpText={null}
                        value={values[key.toLowerCase()] ?? ''}
                        disabled={false}
                        setByEnv={false}
                        onChange={(id: string, v: unknown) => setValues((old) => ({...old, [id.split('.').pop() as string]: v}))}
                        setSaveNeeded={() => {
                            window.hostState.saveNeeded++;
                        }}
                        registerSaveAction={() => {
                            window.hostState.saveActions++;
                        }}
                        unRegisterSaveAction={() => {
                            window.hostState.saveActions--;
                        }}
                    />
                ))}
            </div>
        </div>
    );
}

window.renderConsole = (saved) => {
    const root = ReactDOM.createRoot(document.getElementById('root') as HTMLElement);
    root.render(
        <ReactRedux.Provider store={store}>
            <Console saved={saved}/>
        </ReactRedux.Provider>,
    );
};
