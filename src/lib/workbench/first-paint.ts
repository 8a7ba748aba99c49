// A notebook drawn before the page's DuckDB-WASM has started (issue 13, "open in a second").
// The server runs the notebook headless on the same engine (duckdb-wasm, same version, same
// lockdown) and records every engine call with its answer (server/first-paint/); this engine
// answers the page's calls from that recording while the page's own database boots, and queues
// the calls that change the database (the views the cells create, stats cells' tables) to replay
// on the real engine in order. The switch is transparent: a call is answered from the recording
// only when it is exactly the next recorded call, so the database state behind it (the sequence
// of side effects so far) is the one the server answered under; anything else goes to the real
// engine, after the queued side effects. A side effect that differs from the recording, or a
// change to the run tables, ends the replay for good. A call the server ran out of memory on is
// answered with that error (the cell shows it; ▶ Run then runs it on the real engine).
import type { PlainColumns } from '../arrow/columns-to-ipc.ts';
import type { ResultTable, SqlEngine } from '../notebook/executor.ts';
import type { RecordedCall } from '../server/first-paint/record.ts';

export type { RecordedCall };

export interface Recording {
	notebook: string;
	/** The run tables' version the recording read, when it read them. */
	runTablesVersion?: number;
	calls: RecordedCall[];
}

export interface ReplayHooks {
	/** The names the page lists (what the real engine's tableNames() gives before any load). */
	listedNames(): Promise<string[]>;
	/** The run tables' version the page holds now. */
	runTablesVersion(): number | undefined;
	/** Resolves when the real engine is ready (the replay is then not worth starting); never if it was not started. */
	realReady(): Promise<unknown>;
	decode(ipc: Uint8Array): ResultTable;
	encode(columns: PlainColumns): Uint8Array;
}

/** A performance mark of the page's opening (bench/notebook-open.js and DevTools show them). */
export function markOpen(what: string): void {
	globalThis.performance?.mark?.(`covw:${what}`);
}

export function base64ToBytes(text: string): Uint8Array {
	const binary = atob(text);
	const out = new Uint8Array(binary.length);
	for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
	return out;
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
const sameNames = (a: string[], b: string[]) => a.length === b.length && a.every((x, i) => x === b[i]);

export class ReplayingEngine implements SqlEngine {
	private recording: Promise<Recording | null> | null = null;
	private calls: RecordedCall[] | null = null;
	private cursor = 0;
	private active = false;
	/** Real calls in order, behind the queued side effects. */
	private chain: Promise<unknown> = Promise.resolve();
	private queued = 0;
	/** How many calls the recording answered (tests and the bench read it). */
	answered = 0;
	private used = false;
	private endReplay: () => void = () => {};
	/** Resolves when the replay ended (every recorded call answered, a call that differs, or no recording). */
	readonly ended = new Promise<void>((resolve) => (this.endReplay = resolve));
	private openGate: () => void = () => {};
	/**
	 * The side effects the recording answered wait here before they go to the real engine: until
	 * the replay ended or a call needs a real answer. So the real engine is not started (its
	 * worker and wasm compile take the cores) while the page draws from the recording.
	 */
	private readonly gate = new Promise<void>((resolve) => (this.openGate = resolve));

	constructor(
		private readonly real: SqlEngine,
		private readonly hooks: ReplayHooks
	) {}

	/** Offer a recording for the first notebook run; only before the engine was used. */
	offer(recording: Promise<Recording | null>): void {
		if (this.recording || this.used) return;
		this.recording = recording.catch(() => null);
		this.active = true;
		this.chain = this.gate;
		void this.recording.then((r) => r ?? this.stop());
	}

	/** Whether calls may still be answered from the recording. */
	get replaying(): boolean {
		return this.active;
	}

	/** Ends the replay: every later call goes to the real engine (after what is queued). */
	stop(): void {
		if (this.active) markOpen(`replay-end (${this.answered} answered)`);
		this.active = false;
		this.calls = null;
		this.endReplay();
		this.openGate();
	}

	private next(): RecordedCall | undefined {
		if (!this.active || !this.calls) return undefined;
		const call = this.calls[this.cursor];
		if (!call) this.stop();
		return call;
	}

	private consume(): void {
		this.cursor++;
		this.answered++;
		if (this.calls && this.cursor >= this.calls.length) this.stop();
	}

	/**
	 * Runs `task` on the real engine after every call queued before it. `background`: a side
	 * effect the recording answered, which nobody waits for (it may wait for the gate).
	 */
	private later<T>(task: () => Promise<T>, background = false): Promise<T> {
		if (!background) this.openGate();
		if (this.queued === 0 && !this.active) return task();
		this.queued++;
		const run = this.chain.then(task);
		this.chain = run.then(
			() => this.queued--,
			() => this.queued--
		);
		return run;
	}

	async tableNames(): Promise<string[]> {
		this.used = true;
		if (this.active && !this.calls && this.cursor === 0 && this.recording) {
			// The first call of the first run: wait for the recording unless the real engine wins.
			const recording = await Promise.race([this.recording, this.hooks.realReady().then(() => null)]);
			const call = recording?.calls[0];
			if (recording && call?.op === 'tableNames') {
				const names = await this.hooks.listedNames();
				const fresh = recording.runTablesVersion === undefined || recording.runTablesVersion === this.hooks.runTablesVersion();
				if (fresh && this.active && sameNames(names, call.names)) {
					markOpen('replay-start');
					this.calls = recording.calls;
					this.consume();
					return names;
				}
			}
			this.stop();
		}
		return this.later(() => this.real.tableNames());
	}

	async exec(sql: string): Promise<void> {
		this.used = true;
		const call = this.next();
		if (call?.op === 'fail' && call.sql === sql) return this.failed(call.message);
		if (call?.op === 'exec' && call.sql === sql) {
			this.consume();
			void this.later(() => this.real.exec(sql), true).catch(() => {}); // the server ran it without error
			return;
		}
		if (call) this.stop(); // a different side effect: the recording no longer describes the database
		return this.later(() => this.real.exec(sql));
	}

	async query(sql: string): Promise<ResultTable> {
		this.used = true;
		const call = this.next();
		if (call?.op === 'fail' && call.sql === sql) return this.failed(call.message);
		if (call?.op === 'query' && call.sql === sql) {
			this.consume();
			return this.hooks.decode(base64ToBytes(call.ipc));
		}
		return this.later(() => this.real.query(sql)); // reads only: the replay may go on
	}

	/**
	 * A call the server ran out of memory on (record.ts): its error, answered from the recording,
	 * so opening the notebook does not start that query again. It changed nothing in the database.
	 */
	private failed(message: string): never {
		this.consume();
		throw new Error(message);
	}

	async registerRows(name: string, columns: PlainColumns): Promise<void> {
		this.used = true;
		const call = this.next();
		if (call?.op === 'registerRows' && call.name === name && sameBytes(base64ToBytes(call.ipc), this.hooks.encode(columns))) {
			this.consume();
			void this.later(() => this.real.registerRows(name, columns), true).catch(() => {});
			return;
		}
		if (call) this.stop();
		return this.later(() => this.real.registerRows(name, columns));
	}
}

/** The notebook a page path opens (/notebooks/<name>), or null. */
export function notebookOfPath(pathname: string): string | null {
	const match = /^\/notebooks\/([^/]+)\/?$/.exec(pathname);
	if (!match) return null;
	try {
		return decodeURIComponent(match[1]);
	} catch {
		return null;
	}
}

/** What app.html asked for before the app loaded, on a notebook page. */
type Early = Partial<Record<'firstPaint' | 'tables' | 'runTables' | 'notebook', Promise<Response>>>;

/** The early request for `what` (app.html), once; later callers fetch themselves. */
export function takeEarly(what: keyof Early): Promise<Response> | undefined {
	const early = (globalThis as { __covwEarly?: Early }).__covwEarly;
	const answer = early?.[what];
	if (early) delete early[what];
	return answer;
}
