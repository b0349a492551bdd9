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
type MenuAction = {text: string; action: (postId: string) => void};

declare global {
    interface Window {
        React: typeof React;
        ReactDOM: unknown;
        Redux: {createStore: typeof createStore};
        ReactRedux: typeof ReactRedux;
        PropTypes: unknown;
        hostState: {registered: string[]; pluginId: string; saveNeeded: number; saveActions: number; values: Record<string, unknown>; reactVersion: string; menu: string[]; roots: number};
        renderConsole: (saved: Record<string, unknown>) => void;
        renderChannel: (post: {id: string; author: string; message: string}) => void;
    }
}

const registered: Registered[] = [];
const menuActions: MenuAction[] = [];
const rootComponents: Array<{id: string; C: Component}> = [];
window.hostState = {registered: [], pluginId: '', saveNeeded: 0, saveActions: 0, values: {}, reactVersion: React.version, menu: [], roots: 0};
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

        // As Mattermost 7.4 and later call them, positionally.
        registerRootComponent: (component: Component) => {
            const id = String(rootComponents.length + 1);
            rootComponents.push({id, C: component});
            window.hostState.roots++;
            return id;
        },
        registerPostDropdownMenuAction: (text: string, action: (postId: string) => void) => {
            menuActions.push({text, action});
            window.hostState.menu.push(text);
            return String(menuActions.length);
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

// A channel with one message whose "…" menu holds the actions plugins registered, and the
// plugins' root components (where their dialogs live), like the webapp's center channel.
function Channel({post}: {post: {id: string; author: string; message: string}}) {
    const [menuOpen, setMenuOpen] = useState(false);
    return (
        <div className='channel'>
            <div className='channel__header'>{'~ Ops'}</div>
            <div className='post'>
                <div className='post__avatar'>{post.author[0].toUpperCase()}</div>
                <div className='post__body'>
                    <div className='post__author'>{post.author}<span className='post__time'>{'10:02 AM'}</span></div>
                    <div className='post__message'>{post.message}</div>
                </div>
                <button
                    type='button'
                    className='post__menu-button'
                    aria-label='more'
                    onClick={() => setMenuOpen(!menuOpen)}
                >
                    {'…'}
                </button>
                {menuOpen && (
                    <ul
                        className='post__menu'
                        role='menu'
                    >
                        {menuActions.map((m) => (
                            <li key={m.text}>
                                <button
                                    type='button'
                                    role='menuitem'
                                    onClick={() => {
                                        setMenuOpen(false);
                                        m.action(post.id);
                                    }}
                                >
                                    {m.text}
                                </button>
                            </li>
                        ))}
                    </ul>
                )}
            </div>
            {rootComponents.map(({id, C}) => <C key={id}/>)}
        </div>
    );
}

window.renderChannel = (post) => {
    (document.getElementById('plain-settings') as HTMLElement).style.display = 'none';
    const root = ReactDOM.createRoot(document.getElementById('root') as HTMLElement);
    root.render(
        <ReactRedux.Provider store={store}>
            <Channel post={post}/>
        </ReactRedux.Provider>,
    );
};
