// The server's first paint (server/first-paint/) and the page's replay of it
// (workbench/first-paint.ts): a notebook run through the replaying engine gives the same results
// as the same notebook run on a real engine, draws without the real engine, and leaves the real
// engine with the notebook's views once it is ready.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnsToIPC } from '../../../src/lib/arrow/columns-to-ipc.ts';
import { DataFolder } from '../../../src/lib/node/datasets/index.ts';
import { createHeadlessEngine, type HeadlessEngine } from '../../../src/lib/node/headless/engine.ts';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';
import { runNotebook, type CellResult, type ResultTable, type SqlEngine } from '../../../src/lib/notebook/executor.ts';
import { FirstPaint, FIRST_PAINT_LIMITS, type FirstPaintSources, type Recording, type RecordRequest } from '../../../src/lib/server/first-paint/first-paint.ts';
import { recordNotebook } from '../../../src/lib/server/first-paint/record-notebook.ts';
import { ChildRecorder, recordInChild } from '../../../src/lib/server/first-paint/first-paint-process.ts';
import { ReplayingEngine } from '../../../src/lib/workbench/first-paint.ts';

const root = join(import.meta.dirname, '../../..');
const arrow = createRequire(import.meta.url)('apache-arrow') as typeof import('apache-arrow');
const RUN_TABLES = ['generations', 'verdicts', 'runs'] as const;

/** Records in this process on `engine` (the app does it in a child: first-paint-process.ts). */
const inProcess = (engine: HeadlessEngine, data: DataFolder, runRows = 0) => (request: RecordRequest) =>
	recordNotebook(engine, request, async (name) =>
		(RUN_TABLES as readonly string[]).includes(name) ? columnsToIPC({ run_id: Array.from({ length: runRows }, (_, i) => `r${i}`) }) : data.ipcStream(name)
	);

function sources(notebooks: Record<string, string>, data: DataFolder, runRows = 0): FirstPaintSources & { reads: number } {
	const s = {
		reads: 0,
		async notebook(name: string) {
			s.reads++;
			if (!(name in notebooks)) throw new Error(`no notebook ${name}`);
			return { text: notebooks[name], version: String(notebooks[name].length) + notebooks[name].slice(-20) };
		},
		dataTables: () => data.scan(),
		dataBytes: (name: string) => data.ipcStream(name),
		runTableNames: RUN_TABLES,
		async runTablesStatus() {
			return { version: 7, tables: { generations: { rows: runRows }, verdicts: { rows: 0 }, runs: { rows: 0 } } };
		}
	};
	return s;
}

/** Each result as plain values: what a cell shows. */
function shown(results: CellResult[]) {
	return results.map((r) => ({
		id: r.cellId,
		status: r.status,
		error: r.error?.message,
		rows: r.table ? (r.table as unknown as { toArray(): { toJSON(): unknown }[] }).toArray().map((row) => row.toJSON()) : null,
		plot: r.plot ? { from: r.plot.from, data: Object.keys(r.plot.data) } : null
	}));
}

/** A real engine with the page's lazy tables (browser-engine.ts's ensureFor), counting its calls. */
function lazyEngine(engine: HeadlessEngine, data: DataFolder, listed: string[]) {
	const loaded = new Set<string>();
	let calls = 0;
	const ensure = async (sql: string) => {
		for (const name of listed) {
			if (loaded.has(name) || !new RegExp(`\\b${name}\\b`, 'i').test(sql)) continue;
			engine.loadArrowTable(name, (await data.ipcStream(name)).slice());
			loaded.add(name);
		}
	};
	const real: SqlEngine & { calls(): number } = {
		calls: () => calls,
		async query(sql) {
			calls++;
			await ensure(sql);
			return engine.query(sql);
		},
		async exec(sql) {
			calls++;
			await ensure(sql);
			return engine.exec(sql);
		},
		async registerRows(name, columns) {
			calls++;
			return engine.registerRows(name, columns);
		},
		async tableNames() {
			calls++;
			const inDb = await engine.tableNames();
			return [...inDb, ...listed.filter((n) => !loaded.has(n))];
		}
	};
	return real;
}

describe('first paint: the server records a notebook run, the page replays it', () => {
	const data = new DataFolder(join(root, 'datasets'));
	const figure4 = readFileSync(join(root, 'notebooks/figure4-correlations.md'), 'utf8');
	const failing = '# x\n\n```sql id=a\nSELECT * FROM no_such_table\n```\n';
	const runsNotebook = '# r\n\n```sql id=a\nSELECT count(*) AS n FROM generations\n```\n';
	let recorder: HeadlessEngine;
	let reference: HeadlessEngine;
	let replayTarget: HeadlessEngine;
	let listed: string[];

	beforeAll(async () => {
		[recorder, reference, replayTarget] = await Promise.all([createHeadlessEngine(), createHeadlessEngine(), createHeadlessEngine()]);
		listed = [...(await data.scan()).filter((t) => t.error === undefined).map((t) => t.name), ...RUN_TABLES];
	}, 120_000);
	afterAll(() => {
		for (const e of [recorder, reference, replayTarget]) e?.close();
	});

	it('records figure4-correlations; replayed, it gives the real engine\'s results and the real engine catches up', async () => {
		const src = sources({ figure4 }, data);
		const paint = new FirstPaint(src, inProcess(recorder, data));
		const json = await paint.recording('figure4');
		expect(json).not.toBeNull();
		const recording = JSON.parse(json!) as Recording;
		expect(recording.calls[0]).toEqual({ op: 'tableNames', names: listed });
		const queries = recording.calls.filter((c) => c.op === 'query');
		expect(queries.length).toBeGreaterThan(2);
		for (const q of queries) expect(arrow.tableFromIPC(Buffer.from(q.ipc, 'base64')).numRows).toBeGreaterThan(0);
		expect(recording.runTablesVersion).toBeUndefined(); // figure4 reads no run table

		// Cached: the same recording without running again; a changed notebook runs again.
		expect(await paint.recording('figure4')).toBe(json);
		expect(paint.computed).toBe(1);

		const doc = parseNotebook(figure4);
		const expected = shown((await runNotebook(doc, lazyEngine(reference, data, listed))).results);
		expect(expected.every((r) => r.status === 'ok')).toBe(true);

		// The page: its real engine is not ready until released; the recording answers meanwhile.
		let release!: () => void;
		const ready = new Promise<void>((ok) => (release = ok));
		const real = lazyEngine(replayTarget, data, listed);
		const gated: SqlEngine = {
			query: async (sql) => (await ready, real.query(sql)),
			exec: async (sql) => (await ready, real.exec(sql)),
			registerRows: async (n, c) => (await ready, real.registerRows(n, c)),
			tableNames: async () => (await ready, real.tableNames())
		};
		const replaying = new ReplayingEngine(gated, {
			listedNames: async () => listed,
			runTablesVersion: () => 3,
			realReady: () => ready,
			decode: (ipc) => arrow.tableFromIPC(ipc) as unknown as ResultTable,
			encode: (columns) => columnsToIPC(columns)
		});
		replaying.offer(Promise.resolve(recording));
		const got = shown((await runNotebook(doc, replaying)).results);
		expect(got).toEqual(expected);
		expect(real.calls()).toBe(0); // drawn without the real engine
		expect(replaying.answered).toBe(recording.calls.length);
		expect(replaying.replaying).toBe(false);

		// Once ready, the real engine has the notebook's views: a new query sees them.
		release();
		const ranks = await replaying.query('SELECT count(*) AS n FROM ranks');
		expect(Number(ranks.getChild('n')!.get(0))).toBe(Number(expected.find((r) => r.id === 'ranks')!.rows!.length));
		// and a second run of the notebook, now on the real engine, gives the same again.
		expect(shown((await runNotebook(doc, replaying)).results)).toEqual(expected);
	}, 120_000);

	it('a notebook that differs from the recording runs on the real engine, with the same results', async () => {
		const paint = new FirstPaint(sources({ figure4 }, data), inProcess(recorder, data));
		const recording = JSON.parse((await paint.recording('figure4'))!) as Recording;
		const edited = parseNotebook(figure4.replace('ORDER BY score DESC, model', 'ORDER BY score DESC, model DESC'));
		const fresh = await createHeadlessEngine();
		try {
			const expected = shown((await runNotebook(edited, lazyEngine(reference, data, listed))).results);
			const replaying = new ReplayingEngine(lazyEngine(fresh, data, listed), {
				listedNames: async () => listed,
				runTablesVersion: () => undefined,
				realReady: () => new Promise(() => {}),
				decode: (ipc) => arrow.tableFromIPC(ipc) as unknown as ResultTable,
				encode: (columns) => columnsToIPC(columns)
			});
			replaying.offer(Promise.resolve(recording));
			expect(shown((await runNotebook(edited, replaying)).results)).toEqual(expected);
			expect(replaying.replaying).toBe(false); // the first differing view ended the replay
		} finally {
			fresh.close();
		}
	}, 120_000);

	it('no recording for a failing cell, an unknown notebook, or run tables over the row limit; a run table version is carried', async () => {
		const paint = new FirstPaint(sources({ failing, runsNotebook }, data), inProcess(recorder, data, 3));
		expect(await paint.recording('failing')).toBeNull();
		await expect(paint.recording('missing')).rejects.toThrow(/no notebook/);
		const small = JSON.parse((await paint.recording('runsNotebook'))!) as Recording;
		expect(small.runTablesVersion).toBe(7);
		// (The cell's plan is asked first: sql-result-read.ts.)
		const counted = small.calls.find((c) => c.op === 'query' && !c.sql.startsWith('EXPLAIN'))!;
		expect(Number(arrow.tableFromIPC(Buffer.from((counted as { ipc: string }).ipc, 'base64')).getChild('n')!.get(0))).toBe(3);
		const big = new FirstPaint(sources({ runsNotebook }, data, FIRST_PAINT_LIMITS.maxRunTableRows + 1), inProcess(recorder, data));
		expect(await big.recording('runsNotebook')).toBeNull();
	}, 120_000);

	it('records in a child process (Deno, read-only, no network) the same calls as in this one', async () => {
		const listedNow = listed;
		const request: RecordRequest = { name: 'figure4', text: figure4, listed: listedNow, maxResultBytes: FIRST_PAINT_LIMITS.maxResultBytes };
		const here = await inProcess(recorder, data)(request);
		const there = await recordInChild({ ...request, dataRoot: join(root, 'datasets'), runsDir: join(root, 'no-runs-here') });
		expect(there).toEqual(here);
		// One child answers one request after another (its engine reset in between), then is let go.
		const child = new ChildRecorder();
		try {
			const where = { dataRoot: join(root, 'datasets'), runsDir: join(root, 'no-runs-here') };
			const denied = await child.record({ ...request, ...where, text: "# x\n\n```sql id=a\nSELECT * FROM read_text('/etc/hostname')\n```\n" });
			expect(denied).toBeNull(); // the lockdown holds there too: the cell fails, so no recording
			expect(await child.record({ ...request, ...where })).toEqual(here);
			expect(child.started).toBe(1);
		} finally {
			child.stop();
		}
	}, 180_000);

	it('a recording made for other run table versions is not replayed', async () => {
		const recording: Recording = { notebook: 'n', runTablesVersion: 7, calls: [{ op: 'tableNames', names: ['t'] }, { op: 'exec', sql: 'CREATE VIEW a AS SELECT 1' }] };
		const seen: string[] = [];
		const real: SqlEngine = {
			query: async () => ({}) as ResultTable,
			exec: async (sql) => void seen.push(sql),
			registerRows: async () => {},
			tableNames: async () => (seen.push('tableNames'), ['t'])
		};
		const replaying = new ReplayingEngine(real, {
			listedNames: async () => ['t'],
			runTablesVersion: () => 8,
			realReady: () => new Promise(() => {}),
			decode: () => ({}) as ResultTable,
			encode: () => new Uint8Array()
		});
		replaying.offer(Promise.resolve(recording));
		await replaying.tableNames();
		await replaying.exec('CREATE VIEW a AS SELECT 1');
		expect(seen).toEqual(['tableNames', 'CREATE VIEW a AS SELECT 1']);
		expect(replaying.answered).toBe(0);
	});
});
