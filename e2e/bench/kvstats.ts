// What the plugin asks of the database during a phase, from PostgreSQL's own counters for the
// plugin KV table (pg_stat_user_tables): rows inserted, updated and deleted, and index scans
// (every Get, compare-and-set and delete of one key is one). The built-in webhook writes nothing
// there, so per alert this is the plugin's own database cost, comparable between two bundles.
import {execFileSync} from 'child_process';

export type KVCounters = {inserted: number; updated: number; deleted: number; lookups: number};
export type KVPerAlert = {alerts: number; writes: number; lookups: number; inserted: number; updated: number; deleted: number};

const SQL = "SELECT n_tup_ins, n_tup_upd, n_tup_del, coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'pluginkeyvaluestore'";

// kvCounters reads the counters, or undefined when the database cannot be asked (E2E_DB unset,
// no psql): the bench then prints no such line rather than failing.
export function kvCounters(): KVCounters | undefined {
    const db = process.env.E2E_DB;
    if (!db) {
        return undefined;
    }
    try {
        // A new transaction sees the counters flushed so far; each server backend flushes its
        // own at the end of a transaction, at most a second later (the caller waits before).
        const out = execFileSync('psql', ['-h', '127.0.0.1', '-U', 'pagertree_e2e', '-d', db, '-At', '-F', ' ', '-c', SQL], {encoding: 'utf8', timeout: 10000, env: {...process.env, PGPASSWORD: 'pagertree_e2e'}}).trim();
        const [inserted, updated, deleted, lookups] = out.split(' ').map(Number);
        if ([inserted, updated, deleted, lookups].some((n) => !Number.isFinite(n))) {
            return undefined;
        }
        return {inserted, updated, deleted, lookups};
    } catch {
        return undefined;
    }
}

// perAlert is what happened between two readings, divided by the alerts of the phase.
export function perAlert(before: KVCounters | undefined, after: KVCounters | undefined, alerts: number): KVPerAlert | undefined {
    if (!before || !after || alerts <= 0) {
        return undefined;
    }
    const per = (n: number) => Math.round((n / alerts) * 100) / 100;
    const inserted = after.inserted - before.inserted;
    const updated = after.updated - before.updated;
    const deleted = after.deleted - before.deleted;
    return {
        alerts,
        writes: per(inserted + updated + deleted),
        lookups: per(after.lookups - before.lookups),
        inserted: per(inserted),
        updated: per(updated),
        deleted: per(deleted),
    };
}
