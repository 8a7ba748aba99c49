// One recording (first-paint.ts): the notebook run on a headless engine from an empty database,
// every engine call kept with its answer (record.ts). Null when the page could not replay it:
// a cell that failed (unless it ran out of the child's memory: record.ts), a run cell (no run
// host here), answers over the size limit.
import { parseNotebook } from '../../notebook/format.ts';
import { runNotebook, type SqlEngine } from '../../notebook/executor.ts';
import { dropStatement } from '../../notebook/sql-ident.ts';
import { OUT_OF_MEMORY, recordingEngine, type RecordedCall } from './record.ts';

export interface Recording {
	notebook: string;
	/** The run tables' version the recording read, when it read them. */
	runTablesVersion?: number;
	calls: RecordedCall[];
}

export interface RecordRequest {
	name: string;
	text: string;
	/** The listed tables in the page's order (data folder's, then the run tables), without failed ones. */
	listed: string[];
	runTablesVersion?: number;
	/** Arrow bytes of all recorded answers above which there is no recording. */
	maxResultBytes: number;
	/** Statements an earlier attempt ran out of memory on (first-paint-process.ts): recorded as failing with this message, not run. */
	failing?: { sql: string; message: string }[];
}

/** The engine a recording runs on: the headless engine (node/headless/engine.ts). */
export interface RecordEngine extends SqlEngine {
	loadArrowTable(name: string, ipc: Uint8Array): void;
}

export async function recordNotebook(
	engine: RecordEngine,
	request: RecordRequest,
	tableBytes: (name: string) => Promise<Uint8Array>,
	onRunning?: (sql: string) => void
): Promise<Recording | null> {
	await reset(engine);
	const recorder = recordingEngine(engine, {
		listed: request.listed,
		load: async (table) => engine.loadArrowTable(table, (await tableBytes(table)).slice()), // DuckDB detaches what it is given
		maxResultBytes: request.maxResultBytes,
		failing: new Map((request.failing ?? []).map((f) => [f.sql, f.message])),
		onRunning
	});
	// Past the size limit there is no recording: the rest is not run.
	const { results } = await runNotebook(parseNotebook(request.text), recorder, { signal: { get aborted() { return recorder.over; } } });
	await reset(engine);
	if (recorder.unusable || recorder.bytes > request.maxResultBytes) return null;
	// A cell that failed gets no recording (the page runs it and shows its own error) — unless
	// it ran out of the child's memory: the recording then carries that error, so opening the
	// notebook does not start the same query again in the page.
	if (results.some((r) => r.status === 'error' && !OUT_OF_MEMORY.test(r.error?.message ?? ''))) return null;
	if (!recorder.calls.some((c) => c.op === 'fail') && results.some((r) => r.status !== 'ok')) return null;
	return { notebook: request.name, ...(request.runTablesVersion !== undefined ? { runTablesVersion: request.runTablesVersion } : {}), calls: recorder.calls };
}

/** Drops every table and view, so each recording starts from the page's empty database. */
async function reset(engine: RecordEngine): Promise<void> {
	const objects = await engine.query("SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'main'");
	const names = objects.getChild('table_name')?.toArray() ?? [];
	const types = objects.getChild('table_type')?.toArray() ?? [];
	// Views first: a view may read a table.
	const order = [...Array(names.length).keys()].sort((a, b) => Number(types[b] === 'VIEW') - Number(types[a] === 'VIEW'));
	for (const i of order) {
		const drop = dropStatement(String(names[i]), types[i]);
		if (drop) await engine.exec(drop.replace(/^DROP (VIEW|TABLE) /, 'DROP $1 IF EXISTS ') + ' CASCADE');
	}
}
