// Which message the "Page PagerTree…" dialog is open for. The post menu action sets it; the
// dialog (a root component) listens. A plain subscription rather than a Redux reducer: the
// hosts' stores differ across Mattermost versions, and nothing else needs this state.
type Listener = (postId: string) => void;

let current = '';
const listeners = new Set<Listener>();

export function openPageDialog(postId: string): void {
    current = postId;
    listeners.forEach((l) => l(current));
}

export function closePageDialog(): void {
    openPageDialog('');
}

export function openPostId(): string {
    return current;
}

export function subscribe(l: Listener): () => void {
    listeners.add(l);
    return () => {
        listeners.delete(l);
    };
}
