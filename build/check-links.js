#!/usr/bin/env node
// Checks that every relative link in README.md and docs/*.md names a file that exists and, with
// #anchor, a heading in it (as GitHub makes heading anchors). Run by `make check-style`.
'use strict';
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

function markdownFiles() {
    const docs = path.join(root, 'docs');
    const files = [path.join(root, 'README.md')];
    for (const name of fs.readdirSync(docs).sort()) {
        if (name.endsWith('.md')) {
            files.push(path.join(docs, name));
        }
    }
    return files;
}

// The lines outside fenced code blocks, with inline code blanked out.
function proseLines(text) {
    const out = [];
    let fence = null;
    text.split('\n').forEach((line, i) => {
        const m = line.match(/^\s*(`{3,}|~{3,})/);
        if (m) {
            if (fence === null) {
                fence = m[1][0];
            } else if (m[1][0] === fence) {
                fence = null;
            }
            return;
        }
        if (fence === null) {
            out.push({n: i + 1, text: line.replace(/`[^`]*`/g, (c) => ' '.repeat(c.length))});
        }
    });
    return out;
}

// GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens, repeats numbered.
function anchors(file) {
    const seen = new Map();
    const set = new Set();
    let fence = null;
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
        const f = line.match(/^\s*(`{3,}|~{3,})/);
        if (f) {
            fence = fence === null ? f[1][0] : (f[1][0] === fence ? null : fence);
            continue;
        }
        const h = fence === null && line.match(/^#{1,6}\s+(.*?)\s*#*\s*$/);
        if (!h) {
            continue;
        }
        const text = h[1].replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/[*_`]/g, '');
        const base = text.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
        const count = seen.get(base) || 0;
        seen.set(base, count + 1);
        set.add(count === 0 ? base : `${base}-${count}`);
    }
    return set;
}

const problems = [];
let checked = 0;
for (const file of markdownFiles()) {
    const rel = path.relative(root, file);
    for (const {n, text} of proseLines(fs.readFileSync(file, 'utf8'))) {
        for (const m of text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
            const target = m[1];
            if (/^[a-z][a-z0-9+.-]*:/i.test(target)) {
                continue; // https:, mailto: …: not checked here
            }
            checked++;
            const [p, anchor] = target.split('#');
            const dest = p === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(p));
            const destRel = path.relative(root, dest);
            if (!fs.existsSync(dest)) {
                problems.push(`${rel}:${n}: ${target}: there is no ${destRel}`);
                continue;
            }
            if (anchor !== undefined && dest.endsWith('.md') && !anchors(dest).has(anchor)) {
                problems.push(`${rel}:${n}: ${target}: ${destRel} has no heading with the anchor #${anchor}`);
            }
        }
    }
}
if (problems.length > 0) {
    console.error(`check-links: ${problems.length} broken link(s):\n${problems.join('\n')}`);
    process.exit(1);
}
console.log(`check-links: ${checked} links in README.md and docs/ resolve`);
