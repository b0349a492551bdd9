// The System Console renders each custom setting on its own, and saved config is all it
// shares. The test button and the preview need the values on screen before Save, so each
// custom setting publishes its current value here.
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

export function screenSettings(): Record<string, unknown> {
    return Object.fromEntries(values);
}

// screenVersion changes whenever a value on screen does (a snapshot for useSyncExternalStore).
export function screenVersion(): number {
    return changes;
}

export function subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => {
        listeners.delete(listener);
    };
}

// resetScreenState is for tests.
export function resetScreenState(): void {
    values.clear();
    listeners.clear();
}
