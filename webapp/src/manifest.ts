// The plugin id, as in plugin.json.
export const PLUGIN_ID = 'pagertree';
