// The plugin's status card as terminal text, read from what Mattermost stores: the card is a
// message attachment in the bot's post (props.attachments[0]), drawn by the server's
// alertstate.Card. The demo prints it at every step, as a person would see it in the thread.
import type {Post} from '@mattermost/types/posts';

export type CardAttachment = {
    color?: string;
    title?: string;
    title_link?: string;
    text?: string;
    fields?: Array<{title: string; value: string; short?: boolean}>;
    actions?: Array<{id: string; name: string}>;
    footer?: string;
};

// The card's colours (alertstate/card.go) by name, for a terminal without colours.
const COLOURS: Record<string, string> = {'#D24B4E': 'red', '#FFBC1F': 'amber', '#3DB887': 'green', '#8D93A5': 'grey'};

export function cardOf(p: Post | undefined): CardAttachment | undefined {
    const list = p?.props?.attachments as CardAttachment[] | undefined;
    return list?.[0];
}

function bar(hex: string | undefined, tty: boolean): string {
    const m = (/^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i).exec(hex || '');
    if (!tty || !m) {
        return '┃';
    }
    const [r, g, b] = m.slice(1).map((x) => parseInt(x, 16));
    return `\x1b[38;2;${r};${g};${b}m┃\x1b[0m`;
}

// cardText renders the card: a coloured bar, the title and link, the text, the fields (two short
// ones to a line, as Mattermost lays them out) and the buttons.
export function cardText(a: CardAttachment, tty = false): string[] {
    const lines: string[] = [];
    const colour = COLOURS[(a.color || '').toUpperCase()] || a.color || 'no colour';
    lines.push(`${a.title || '(no title)'}   [${colour}]`);
    if (a.title_link) {
        lines.push(a.title_link);
    }
    if (a.text) {
        lines.push(...a.text.split('\n'));
    }
    let pair: string[] = [];
    const flush = () => {
        if (pair.length) {
            lines.push(pair.map((f, i) => (i === 0 && pair.length > 1 ? f.padEnd(30) : f)).join(''));
            pair = [];
        }
    };
    for (const f of a.fields || []) {
        const shown = `${f.title}: ${f.value}`;
        if (!f.short) {
            flush();
            lines.push(shown);
            continue;
        }
        pair.push(shown);
        if (pair.length === 2) {
            flush();
        }
    }
    flush();
    if (a.actions?.length) {
        lines.push(a.actions.map((x) => `[ ${x.name} ]`).join(' '));
    }
    const b = bar(a.color, tty);
    return lines.map((l) => `${b} ${l}`);
}
