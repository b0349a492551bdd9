// Values and labels of the plugin's dropdown settings, from plugin.json (which the server reads
// too): the panel never lists a server enum by hand.
import manifest from '../../plugin.json';

export type Option = {value: string; label: string};

type Setting = {key: string; options?: Array<{display_name: string; value: string}> | null};

export function settingOptions(key: string): Option[] {
    const setting = (manifest.settings_schema.settings as Setting[]).find((s) => s.key.toLowerCase() === key.toLowerCase());
    return (setting?.options || []).map((o) => ({value: o.value, label: o.display_name}));
}

// optionLabel is how the System Console names a setting's value (the value itself if unknown).
export function optionLabel(key: string, value: string): string {
    return settingOptions(key).find((o) => o.value === value)?.label || value;
}
