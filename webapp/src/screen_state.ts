// The System Console renders each custom setting on its own, and saved config is all it
// shares. The test button and the preview need the values on screen before Save, so each
// custom setting publishes its current value here.
import manifest from '../../plugin.json';

type Listener = () => void;

const values = new Map<string, unknown>();
let changes = 0;
const listeners = new Set<Listener>();

// settingKey turns the console's id ("TriggerWords" or "PluginSettings.Plugins.pagertree.triggerwords")
// into the plugin.json key, lower-cased (the server reads keys case-insensitively).
export function settingKey(id: string): string {
    const parts = id.split('.');
    return parts[parts.length - 1].toLowerCase();
}

export function publish(id: string, value: unknown): void {
    const key = settingKey(id);
    if (values.get(key) === value) {
        return;
    }
    values.set(key, value);
    changes++;
    listeners.forEach((l) => l());
}

// screenValue is one published value (undefined until its setting rendered).
export function screenValue(id: string): unknown {
    return values.get(settingKey(id));
}

// The plugin's plain (non-custom) settings, from plugin.json. The System Console renders them
// itself: a select or input with the id "PluginSettings.Plugins.<id>.<key>", or for a bool two
// radio buttons named with that id and valued "true" and "false".
const PLAIN_SETTINGS: Array<[string, 'text' | 'number' | 'bool']> = manifest.settings_schema.settings.
    filter((s) => s.type !== 'custom').
    map((s) => [s.key.toLowerCase(), s.type === 'bool' || s.type === 'number' ? s.type : 'text']);

// plainSettingsOnScreen reads what the admin has set, unsaved, in the console's own inputs.
// Where an input is not found the server uses the saved value, so this is best effort.
export function plainSettingsOnScreen(doc: Document = document): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, kind] of PLAIN_SETTINGS) {
        const id = `PluginSettings.Plugins.${manifest.id}.${key}`;
        if (kind === 'bool') {
            const checked = doc.querySelector<HTMLInputElement>(`input[type="radio"][name="${id}"]:checked`);
            if (checked) {
                out[key] = checked.value === 'true';
            }
            continue;
        }
        const el = doc.getElementById(id);
        if (el instanceof HTMLInputElement || el instanceof HTMLSelectElement) {
            out[key] = kind === 'number' ? el.value.trim() : el.value;
        }
    }
    return out;
}

// screenSettings is what the test button and the preview send: the console's plain inputs,
// then the values our custom settings published.
export function screenSettings(): Record<string, unknown> {
    return {...plainSettingsOnScreen(), ...Object.fromEntries(values)};
}

// screenVersion changes whenever a value on screen does (a snapshot for useSyncExternalStore):
// one of our custom settings published one, or the admin changed one of the console's plain inputs.
export function screenVersion(): number {
    return changes;
}

const PLAIN_IDS = new Set(PLAIN_SETTINGS.map(([key]) => `PluginSettings.Plugins.${manifest.id}.${key}`));

// onPlainInput notices an edit in one of the console's own inputs for this plugin's settings.
function onPlainInput(e: Event): void {
    const el = e.target as HTMLInputElement | null;
    if (el && (PLAIN_IDS.has(el.id) || PLAIN_IDS.has(el.name))) {
        changes++;
        listeners.forEach((l) => l());
    }
}

export function subscribe(listener: Listener): () => void {
    if (listeners.size === 0) {
        document.addEventListener('input', onPlainInput, true);
        document.addEventListener('change', onPlainInput, true);
    }
    listeners.add(listener);
    return () => {
        listeners.delete(listener);
        if (listeners.size === 0) {
            document.removeEventListener('input', onPlainInput, true);
            document.removeEventListener('change', onPlainInput, true);
        }
    };
}

// A setting the server asked for (an error that names a field): the setting shows the
// sentence next to its input and takes the focus.
export type FieldRequest = {key: string; message: string; seq: number};
let fieldRequest: FieldRequest | null = null;
const requestListeners = new Set<Listener>();

export function requestField(id: string, message: string): void {
    fieldRequest = {key: settingKey(id), message, seq: (fieldRequest?.seq || 0) + 1};
    requestListeners.forEach((l) => l());
}

export function currentFieldRequest(): FieldRequest | null {
    return fieldRequest;
}

export function subscribeFieldRequests(listener: Listener): () => void {
    requestListeners.add(listener);
    return () => {
        requestListeners.delete(listener);
    };
}

// resetScreenState is for tests.
export function resetScreenState(): void {
    values.clear();
    listeners.clear();
    document.removeEventListener('input', onPlainInput, true);
    document.removeEventListener('change', onPlainInput, true);
    fieldRequest = null;
    requestListeners.clear();
}
