// One open notebook: its file text (the single source of truth — cells are parsed from it),
// autosave with conflict detection, and cell execution against DuckDB-WASM.
import { MAX_CELLS, NOTEBOOK_MAX_BYTES, parseNotebook, type CellKind } from '../notebook/format.ts';
import { notebookTooLargeMessage, textOverLimit } from '../notebook/size-limit.ts';
import { cellKind, yieldsTable } from '../notebook/cells/index.ts';
import type { Upstream } from '../notebook/cells/example.ts';
import { deleteCell, insertCell, moveCell, renameCell, replaceCellSource, setCellAttribute } from '../notebook/edit.ts';
import { NotebookRunner, type CellResult, type RunHost } from '../notebook/executor.ts';
import { onlyKeys, withBlockedDownstream, withResult } from './run-results.ts';
import { nameKey } from '../notebook/sql-ident.ts';
import { findConflictMarkers } from '../notebook/conflict-markers.ts';
import { resultKeyAt } from '../notebook/result-key.ts';
import { api, ConflictError, type NotebookFile } from './api.ts';
import { browserEngine, cellQueries } from './browser-engine.ts';
import { QueryCancelledError } from './query-runner.ts';
import { browserRunHost, followingRunHost } from './runs-api.ts';
import { cellsReadingTables } from '../notebook/table-readers.ts';
import { RUN_TABLES, tables } from './tables.svelte.ts';
import { openEditors } from './editor/editor-gate.ts';
import { markOpen } from './first-paint.ts';

/** 'markers': the text holds git merge-conflict markers and is not saved until they are gone (conflict-markers.ts). */
export type SaveState = 'saved' | 'unsaved' | 'saving' | 'conflict' | 'error' | 'markers';

const SAVE_DELAY_MS = 500;

export { resultKeyAt } from '../notebook/result-key.ts';

export class NotebookSession {
	text = $state('');
	doc = $derived(parseNotebook(this.text));
	/** Arrow tables must not be wrapped in Svelte proxies: raw state, replaced wholesale. */
	results = $state.raw<Record<string, CellResult>>({});
	running = $state(false);
	/** The cell whose query runs now, since when (performance.now()): it shows "running" and a Cancel. */
	runningCell = $state<{ index: number; since: number; seq: number } | null>(null);
	loadError = $state('');
	saveState = $state<SaveState>('saved');
	saveError = $state('');
	/** What is on disk when a save was refused (null: the file was deleted meanwhile). */
	conflict = $state<NotebookFile | null | undefined>(undefined);
	/** With conflict null: the file was renamed (in another tab) to this name, rather than deleted. */
	renamedTo = $state<string | null>(null);
	/** The cell just added, whose editor takes the focus (its CellView clears it once done). */
	focusRequest = $state<{ index: number } | null>(null);

	private version = '';
	/** The text last loaded or saved: what the file holds, as far as this page knows. */
	private savedText = '';
	/** The run in progress (run() resolves it), for a new cell that waits for its upstream's result. */
	private active: Promise<void> | null = null;
	private saveTimer: ReturnType<typeof setTimeout> | undefined;
	private readonly runner = new NotebookRunner(browserEngine);

	constructor(readonly name: string) {}

	/** The first load and run of the notebook, while it lasts (a new cell waits for it). */
	private opening: Promise<void> | null = null;

	open(): Promise<void> {
		const opening = this.openNow();
		this.opening = opening;
		void opening.finally(() => {
			if (this.opening === opening) this.opening = null;
		});
		return opening;
	}

	private async openNow(): Promise<void> {
		try {
			const file = await api.readNotebook(this.name);
			this.text = this.savedText = file.text;
			this.version = file.version;
			if (findConflictMarkers(file.text)) this.saveState = 'markers';
			markOpen('notebook-text');
		} catch (e) {
			this.loadError = e instanceof Error ? e.message : String(e);
			openEditors();
			return;
		}
		try {
			await tables.load();
			await this.run();
		} finally {
			openEditors(); // the first paint is drawn: the cells' editors are built now (editor/editor-gate.ts)
		}
	}

	/**
	 * A run cell's rows reached the page's run tables: run the cell, every cell that reads the run
	 * tables directly (a query over `verdicts` or `runs` is no graph edge from the cell), and
	 * everything downstream of them.
	 */
	async runAfterRunRows(index: number): Promise<void> {
		await this.run([index, ...cellsReadingTables(this.doc.cells, RUN_TABLES)], followingRunHost);
	}

	/** The notebook is opening or running some cells. */
	get busy(): boolean {
		return this.running || this.opening !== null || this.active !== null;
	}

	/** Resolves once the opening run and every run in progress (and any run they lead to) are over: an export waits for this. */
	async settled(): Promise<void> {
		for (let rounds = 0; rounds < 100; rounds++) {
			const pending = this.opening ?? this.active;
			if (!pending) return;
			await pending.catch(() => undefined);
		}
	}

	/** Run the whole notebook, or one cell (or these cells) and everything downstream of it. */
	run(only?: number | readonly number[], runs: RunHost = browserRunHost): Promise<void> {
		const done = this.runNow(only, runs);
		this.active = done;
		void done.finally(() => {
			if (this.active === done) this.active = null;
		});
		return done;
	}

	private runSeq = 0;

	private async runNow(only: number | readonly number[] | undefined, runs: RunHost): Promise<void> {
		const seq = ++this.runSeq;
		this.running = true;
		const doc = this.doc;
		// A run writes the results of the cells it ran, one by one, into the results as they are
		// then — never a copy taken when it was asked for: it may wait behind an older run, and a
		// Cancel may write meanwhile (review10 #1). A whole run that finished also drops the results
		// it did not report (cells gone, or moved off a position key).
		const reported = new Set<string>();
		try {
			const report = await this.runner.run(doc, {
				only,
				runs,
				staticErrorsFirst: true,
				onStart: (index) => {
					if (seq === this.runSeq) this.runningCell = { index, since: performance.now(), seq };
				},
				onResult: (result) => {
					if (this.runningCell?.index === result.cellIndex) this.runningCell = null;
					// A later duplicate of an id is kept by position: it must not hide the first's result.
					const key = resultKeyAt(doc.cells, result.cellIndex);
					reported.add(key);
					this.results = withResult(this.results, key, result);
				}
			});
			if (only === undefined && !report.cancelled) this.results = onlyKeys(this.results, reported);
		} finally {
			this.running = false;
			if (seq === this.runSeq) this.runningCell = null; // a newer run reports its own
		}
	}

	/**
	 * Stops the query that runs now (the cell's Cancel): the cell says "cancelled", the cells
	 * downstream of it wait on it, and the rest of the run goes on. Whether DuckDB took the interrupt.
	 */
	async cancelRunning(): Promise<boolean> {
		const running = this.runningCell;
		const { stopped, errors } = await cellQueries.cancelDetailed();
		if (running && this.runningCell === running) {
			this.runningCell = null;
			// Said at once, and also when a newer run superseded the one the cell ran in (that run
			// reports this cell, then nothing more); the executor's own report of it says the same.
			const cell = this.doc.cells[running.index];
			const seconds = (performance.now() - running.since) / 1000;
			if (cell) {
				const error = { message: (errors[0] ?? new QueryCancelledError(seconds)).message, line: cell.sourceLine };
				let results = withResult(this.results, resultKeyAt(this.doc.cells, running.index), { cellIndex: running.index, cellId: cell.id, kind: cell.kind, status: 'error', error, ms: seconds * 1000 });
				// Superseded, its run reports nothing after it: the cells reading it say they wait on it
				// rather than keep a result computed from what it was (a newer run that runs them
				// replaces this; the executor knows the cell failed).
				if (running.seq !== this.runSeq) results = withBlockedDownstream(results, this.doc.cells, running.index);
				this.results = results;
			}
		}
		return stopped;
	}

	// Edits: each produces new file text, saved shortly after.

	editSource(index: number, source: string): void {
		this.change(replaceCellSource(this.text, index, source));
	}

	/**
	 * Insert a new cell at `index` as a working example over the nearest sql cell above — with that
	 * cell's real columns: a cell above without a result yet (just added, or the notebook still
	 * running) is waited for, or run, first — and run it at once (markdown does not run). A run
	 * cell names the first model the project's config lists. Adds are taken one at a time, in the
	 * order asked; one asked at the end of the notebook goes at its end when its turn comes.
	 */
	addCell(index: number, kind: CellKind): Promise<void> {
		if (this.atCellCap) return this.refuseAdd();
		const atEnd = index >= this.doc.cells.length;
		const next = this.adding.then(() => this.addCellNow(atEnd ? null : index, kind));
		this.adding = next.catch(() => undefined);
		return next;
	}

	private adding: Promise<void> = Promise.resolve();

	/** The notebook holds MAX_CELLS cells: a cell added would not be read as one (nor shown), yet saved. */
	get atCellCap(): boolean {
		return this.doc.cells.length >= MAX_CELLS;
	}

	/** Why the last "+ cell" added nothing ('' once a cell was added). */
	addRefused = $state('');

	private refuseAdd(): Promise<void> {
		this.addRefused = `Not added: this notebook has ${MAX_CELLS.toLocaleString('en')} cells, the most a notebook can have (a cell added now would be saved but not shown); split it into smaller notebooks`;
		return Promise.resolve();
	}

	private async addCellNow(index: number | null, kind: CellKind): Promise<void> {
		if (this.atCellCap) return this.refuseAdd(); // an add queued behind others that reached the cap
		this.addRefused = '';
		const module = cellKind(kind);
		if (!module) throw new Error(`no cell kind "${kind}"`);
		const upstream = module.example ? await this.upstreamReady(index ?? this.doc.cells.length) : null;
		const models = kind === 'run' ? await api.configuredModels() : [];
		const id = module.fenced ? this.freshId(kind) : undefined;
		const example = module.example ? module.example(upstream, { models }) : { source: module.newSource };
		const attrs = example.from ? { from: example.from } : undefined;
		const at = Math.min(index ?? this.doc.cells.length, this.doc.cells.length);
		this.change(insertCell(this.text, at, { kind, id, attrs, source: example.source }));
		// Typing next goes into the new cell (a markdown one opens in its editor), not the one above.
		this.focusRequest = { index: at };
		// With it, every cell still without a result: a run this one supersedes may have left some.
		if (module.execute) void this.run([at, ...this.withoutResult().filter((i) => i !== at)]);
	}

	/** How many cells that run have no result on the page yet (what an export would call "Not run."). */
	get cellsWithoutResult(): number {
		return this.withoutResult().length;
	}

	/** Cells that run but have no result on the page (never run, or their run was superseded). */
	private withoutResult(): number[] {
		const out: number[] = [];
		this.doc.cells.forEach((cell, i) => {
			if (cellKind(cell.kind)?.execute && this.results[resultKeyAt(this.doc.cells, i)] === undefined) out.push(i);
		});
		return out;
	}

	/** Index of the nearest sql cell above position `index` (with an id), or -1. */
	private sqlCellAbove(index: number): number {
		for (let i = Math.min(index, this.doc.cells.length) - 1; i >= 0; i--) {
			const cell = this.doc.cells[i];
			if (cell.id && cell.kind === 'sql') return i;
		}
		return -1;
	}

	/** upstream(index), once the cell it names has a result: the run in progress, else a run of that cell. */
	private async upstreamReady(index: number): Promise<Upstream | null> {
		const at = this.sqlCellAbove(index);
		if (at < 0) return null;
		const cell = this.doc.cells[at];
		const hasResult = () => this.results[resultKeyAt(this.doc.cells, at)] !== undefined;
		if (!hasResult() && this.opening) await this.opening.catch(() => undefined);
		// A run may be superseded by a newer one before it reaches the cell: wait for that one too.
		for (let tries = 0; tries < 3 && !hasResult() && this.doc.cells[at] === cell; tries++) {
			await (this.active ?? this.run(at)).catch(() => undefined);
		}
		return this.upstream(index);
	}

	/** The nearest sql cell above position `index`, with its last result's columns (none without one). */
	upstream(index: number): Upstream | null {
		const i = this.sqlCellAbove(index);
		if (i < 0) return null;
		const cell = this.doc.cells[i];
		const table = this.results[resultKeyAt(this.doc.cells, i)]?.table;
		const columns = table ? table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) })) : [];
		return { id: cell.id!, columns };
	}

	/** Ids of the cells above `index` that yield a table, nearest first: what from= can name. */
	tablesAbove(index: number): string[] {
		const ids: string[] = [];
		for (let i = index - 1; i >= 0; i--) {
			const cell = this.doc.cells[i];
			if (cell.id && yieldsTable(cell.kind)) ids.push(cell.id);
		}
		return ids;
	}

	/** Set (or with '' remove) a cell's from= on its fence line, and re-run it. Throws on a bad value. */
	setFrom(index: number, from: string): void {
		this.change(setCellAttribute(this.text, index, 'from', from.trim() === '' ? null : from.trim()));
		void this.run(index);
	}

	removeCell(index: number): void {
		this.change(deleteCell(this.text, index));
		void this.run();
	}

	move(from: number, to: number): void {
		if (to < 0 || to >= this.doc.cells.length) return;
		this.change(moveCell(this.text, from, to));
	}

	rename(index: number, newId: string): void {
		this.change(renameCell(this.text, index, newId));
		void this.run();
	}

	private freshId(kind: string): string {
		const taken = new Set(this.doc.cells.map((c) => c.id && nameKey(c.id)));
		let n = 1;
		while (taken.has(`${kind}_${n}`)) n++;
		return `${kind}_${n}`;
	}

	private change(text: string): void {
		if (text === this.text) return;
		this.text = text;
		if (this.saveState === 'conflict') return; // never write over a file we know changed
		clearTimeout(this.saveTimer);
		// Git conflict markers would be written back as content: nothing is saved until they are gone.
		if (findConflictMarkers(text)) {
			this.saveState = 'markers';
			return;
		}
		this.saveState = 'unsaved';
		clearTimeout(this.saveTimer);
		this.saveTimer = setTimeout(() => void this.save(), SAVE_DELAY_MS);
	}

	// Saving.

	async save(): Promise<void> {
		clearTimeout(this.saveTimer);
		if (this.saveState === 'conflict' || this.saveState === 'saving') return;
		const text = this.text;
		if (findConflictMarkers(text)) {
			this.saveState = 'markers';
			return;
		}
		// Over the size limit the server refuses it (and a body past its cap would not even get an
		// answer): said here, nothing sent; the edit stays on the page and the next edit retries.
		const size = textOverLimit(text);
		if (size !== null) {
			this.saveState = 'error';
			this.saveError = notebookTooLargeMessage(this.name, size, NOTEBOOK_MAX_BYTES, { as: 'save' });
			return;
		}
		this.saveState = 'saving';
		try {
			this.version = (await api.saveNotebook(this.name, text, this.version)).version;
			this.savedText = text;
			this.saveState = this.text === text ? 'saved' : 'unsaved';
			if (this.saveState === 'unsaved') this.saveTimer = setTimeout(() => void this.save(), SAVE_DELAY_MS);
		} catch (e) {
			if (e instanceof ConflictError) {
				this.saveState = 'conflict';
				this.conflict = e.current;
				this.renamedTo = e.current === null ? e.renamedTo : null;
			} else {
				this.saveState = 'error';
				this.saveError = e instanceof Error ? e.message : String(e);
			}
		}
	}

	/** Conflict resolved by taking the disk's version: the edits on this page are dropped. */
	async takeDiskVersion(): Promise<void> {
		if (!this.conflict) return;
		this.text = this.savedText = this.conflict.text;
		this.version = this.conflict.version;
		this.conflict = undefined;
		this.saveState = findConflictMarkers(this.text) ? 'markers' : 'saved';
		await this.run();
	}

	/** Conflict resolved by keeping this page's text: written over the disk's version, knowingly. */
	async keepMine(): Promise<void> {
		if (this.conflict === undefined) return;
		if (this.conflict === null) {
			await api.createNotebook(this.name, this.text);
			this.version = (await api.readNotebook(this.name)).version;
		} else {
			this.version = this.conflict.version;
		}
		this.conflict = undefined;
		this.saveState = 'unsaved';
		await this.save();
	}

	get unsaved(): boolean {
		return this.saveState === 'markers' ? this.text !== this.savedText : this.saveState !== 'saved';
	}
}
