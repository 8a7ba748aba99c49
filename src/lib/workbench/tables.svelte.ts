// The data folder's tables and the run tables, as the browser sees them: listed by the server,
// fetched as Arrow IPC streams and loaded into DuckDB-WASM only when a query first names them
// (a notebook fetches only the tables its cells read). A table that fails keeps its error.
// The run tables follow the runs folder: the page polls a cheap version
// (/api/run-tables) and, when it moved, fetches only each changed run's new rows and applies
// them to its loaded tables (runs started here, in another tab, or by the CLI all show), all
// changed runs in one request (runs/run-rows-sync.ts).
import { applyRunsRows, connect, deleteRunRows, firstPaintEnded, loadArrowTable, setLazyTables, startFirstPaint } from './browser-engine.ts';
import type { RunTablesStatus } from '../runs/run-tables.ts';
import { changedRuns, mentions } from './table-names.ts';
import { markOpen, takeEarly } from './first-paint.ts';
import { fetchRunRows, inGroups, runRowsAsks } from './runs/run-rows-sync.ts';

export interface TableEntry {
	name: string;
	file: string;
	rows: number;
	columns: { name: string; type: string }[];
	error?: string;
	/** 'runs': generations, verdicts, runs — they grow while a run goes on. */
	origin?: 'runs';
	/** Run tables: skipped log lines and unreadable manifests behind them. */
	warnings?: string[];
	/** listed: known, not fetched yet (fetched when a query names it). */
	state: 'listed' | 'pending' | 'loaded' | 'error';
}

/**
 * How often an open page asks whether a run changed: every 1.5 s, skipped when a sync (a run
 * cell's own refresh) went on more recently than that, and never more often than FOLLOW_SHARE×
 * the last sync's duration: a page keeps following a run to a tenth of its time, so on a busy
 * machine (slow syncs) it backs off instead of taking cores from the run it follows.
 */
export const POLL_MS = 1500;
export const FOLLOW_SHARE = 10;
/** The longest a first paint holds DuckDB's start back. */
const STARTUP_WAIT_MS = 3000;
const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const ROW_TABLES = ['generations', 'verdicts'] as const;
/** The tables a run's rows land in: cells reading them run again when a run cell's rows land. */
export const RUN_TABLES = [...ROW_TABLES, 'runs'] as const;

class Tables {
	entries = $state<TableEntry[]>([]);
	ready: Promise<void> | null = null;
	private fetching = new Map<string, Promise<void>>();
	/** Per run table, per run: the epoch and sequence of the rows this page holds. */
	private held = new Map<string, Map<string, { epoch: string; seq: number }>>();
	private status: RunTablesStatus | null = null;
	private syncing: Promise<boolean> | null = null;
	private syncAgain: Promise<boolean> | null = null;
	private poller: ReturnType<typeof setInterval> | undefined;
	/** When the last sync started, and how long it took (ms). */
	private lastSyncAt = 0;
	private lastSyncMs = 0;
	private listeners = new Set<(changedRuns: Set<string>) => void>();

	constructor() {
		setLazyTables({
			names: () => this.entries.filter((t) => t.state === 'listed').map((t) => t.name),
			ensureFor: (sql) => this.ensureFor(sql),
			ready: () => this.load(),
			runTablesVersion: () => this.status?.version
		});
	}

	/** Fetch the list (not the tables); starts DuckDB meanwhile. Resolves when listed. */
	load(): Promise<void> {
		this.ready ??= (async () => {
			// DuckDB's worker and wasm compile start now, in parallel with the notebook — or, when
			// the page draws the notebook from the server's recording (first-paint.ts), once that
			// replay ended: the compile takes every core, and a small machine drew the first plot
			// later with it (a call that needs the real engine starts it at once; STARTUP_WAIT_MS
			// bounds the wait).
			const startDuckdb = () => void connect().catch(() => {});
			if (startFirstPaint()) void Promise.race([firstPaintEnded(), delay(STARTUP_WAIT_MS)]).then(startDuckdb);
			else startDuckdb();
			await this.refresh();
			markOpen('tables-listed');
			this.startPolling();
		})();
		return this.ready;
	}

	async refresh(): Promise<void> {
		const [response, status] = await Promise.all([takeEarly('tables') ?? fetch('/api/tables'), this.fetchStatus(takeEarly('runTables'))]);
		if (!response.ok) throw new Error(`listing tables failed: ${await errorMessage(response)}`);
		const listed: Omit<TableEntry, 'state'>[] = await response.json();
		this.status = status;
		this.held.clear();
		this.entries = listed.map((t) => ({ ...t, state: t.error ? 'error' : 'listed' }));
	}

	/**
	 * Called with the ids of the runs that changed (rows or manifest), once the page's loaded
	 * tables hold the change. Returns the unsubscribe.
	 */
	onChange(listener: (changedRuns: Set<string>) => void): () => void {
		this.listeners.add(listener);
		return () => this.listeners.delete(listener);
	}

	/** Loads the listed tables whose names the SQL text mentions. */
	async ensureFor(sql: string): Promise<void> {
		await this.load();
		const text = sql.toLowerCase();
		const named = this.entries.filter((t) => (t.state === 'listed' || t.state === 'pending') && mentions(text, t.name.toLowerCase()));
		await Promise.all(named.map((t) => this.fetchOne(t.name)));
	}

	/** Fetches a data-folder table again, listing it first if it is new (an evolve run cell rewrote vul_evol_filters). */
	async reloadDataTable(name: string): Promise<void> {
		await this.load();
		if (!this.entries.some((t) => t.name === name)) await this.refresh();
		if (this.entries.some((t) => t.name === name)) await this.fetchOne(name, true);
	}

	/** Brings the run tables up to date now (a run cell's progress calls this). */
	async reloadRunTables(): Promise<void> {
		await this.load();
		await this.sync();
	}

	private startPolling(): void {
		if (this.poller || typeof window === 'undefined') return;
		this.poller = setInterval(() => {
			if (document.visibilityState !== 'visible' || this.syncing) return;
			if (Date.now() - this.lastSyncAt < Math.max(POLL_MS, FOLLOW_SHARE * this.lastSyncMs) - 100) return;
			void this.sync().catch(() => {});
		}, POLL_MS);
	}

	private async fetchStatus(early?: Promise<Response>): Promise<RunTablesStatus | null> {
		const response = await (early ?? fetch('/api/run-tables'));
		return response.ok ? response.json() : null;
	}

	/**
	 * One sync at a time; true when something changed. Asked during one, it syncs once more
	 * after it: the one in flight may have read the status before the caller's rows landed (a
	 * run's last rows then never reached the page until the next change).
	 */
	private sync(): Promise<boolean> {
		if (this.syncing) {
			this.syncAgain ??= this.syncing.then(
				() => this.afterSync(),
				() => this.afterSync()
			);
			return this.syncAgain;
		}
		const started = (this.lastSyncAt = Date.now());
		this.syncing = this.syncOnce().finally(() => {
			this.syncing = null;
			this.lastSyncMs = Date.now() - started;
		});
		return this.syncing;
	}

	private afterSync(): Promise<boolean> {
		this.syncAgain = null;
		return this.sync();
	}

	private async syncOnce(): Promise<boolean> {
		const status = await this.fetchStatus();
		if (!status || status.version === this.status?.version) return false;
		const changed = changedRuns(this.status, status);
		// The warnings per table come with the list: fetched again only when some changed.
		const warningsChanged = JSON.stringify(status.warnings) !== JSON.stringify(this.status?.warnings);
		this.status = status;
		for (const entry of this.entries) {
			if (entry.origin !== 'runs') continue;
			entry.rows = status.tables[entry.name as keyof RunTablesStatus['tables']]?.rows ?? entry.rows;
		}
		if (warningsChanged) void this.refreshWarnings();
		for (const name of ROW_TABLES) {
			const entry = this.entries.find((e) => e.name === name);
			if (entry?.state === 'loaded') await this.syncRows(name, status.tables[name].runs).catch((e) => this.fail(name, e));
		}
		const runs = this.entries.find((e) => e.name === 'runs');
		if (runs?.state === 'loaded') await this.fetchOne('runs', true);
		for (const listener of this.listeners) listener(changed);
		return true;
	}

	/** Warnings change with the runs: take the run tables' entries from the list again. */
	private async refreshWarnings(): Promise<void> {
		const response = await fetch('/api/tables');
		if (!response.ok) return;
		const listed: Omit<TableEntry, 'state'>[] = await response.json();
		for (const t of listed) {
			const entry = this.entries.find((e) => e.name === t.name);
			if (entry && t.origin === 'runs') entry.warnings = t.warnings;
		}
	}

	/**
	 * Applies the changed runs' rows to a loaded run table: one request for all of them (one per
	 * RUN_ROWS_PER_ASK runs), never one per run — after a server restart every run changed.
	 */
	private async syncRows(table: (typeof ROW_TABLES)[number], runs: RunTablesStatus['tables']['generations']['runs']): Promise<void> {
		const held = this.held.get(table) ?? new Map();
		this.held.set(table, held);
		for (const asks of inGroups(runRowsAsks(held, runs))) {
			const answer = await fetchRunRows(table, asks, errorMessage);
			await applyRunsRows(table, answer.ipc, answer.runs);
			for (const r of answer.runs) held.set(r.run_id, { epoch: r.epoch, seq: r.seq });
		}
		const listed = new Set(runs.map((r) => r.run_id));
		for (const runId of [...held.keys()]) {
			if (listed.has(runId)) continue;
			await deleteRunRows(table, runId);
			held.delete(runId);
		}
	}

	private fetchOne(name: string, again = false): Promise<void> {
		const inFlight = this.fetching.get(name);
		if (inFlight && !again) return inFlight;
		const entry = () => this.entries.find((t) => t.name === name)!;
		const job = (async () => {
			if (!entry()) return;
			if (entry().state === 'listed') entry().state = 'pending';
			try {
				// The versions this table's rows are at: the status fetched before the rows (rows
				// newer than it are fetched again at the next sync, replacing themselves).
				const status = this.status;
				const response = await fetch(`/api/tables/${encodeURIComponent(name)}`);
				if (!response.ok) throw new Error(await errorMessage(response));
				await loadArrowTable(name, new Uint8Array(await response.arrayBuffer()));
				if (status && (name === 'generations' || name === 'verdicts')) {
					this.held.set(name, new Map(status.tables[name].runs.map((r) => [r.run_id, { epoch: r.epoch, seq: r.seq }])));
				}
				entry().state = 'loaded';
			} catch (e) {
				this.fail(name, e);
			}
		})();
		this.fetching.set(name, job);
		return job;
	}

	private fail(name: string, e: unknown): void {
		const entry = this.entries.find((t) => t.name === name);
		if (!entry) return;
		entry.state = 'error';
		entry.error = e instanceof Error ? e.message : String(e);
	}
}

/** SvelteKit's error() bodies are JSON `{ message }`; anything else is shown as text. */
export async function errorMessage(response: Response): Promise<string> {
	const text = await response.text();
	try {
		return JSON.parse(text).message ?? text;
	} catch {
		return text || `${response.status} ${response.statusText}`;
	}
}

export const tables = new Tables();
