// The run tables read only what changed: a live run's log from where the last read stopped, a
// finished run from its compacted file (never its log again); a reader asks for a run's rows
// changed since the sequence it saw; skipped lines and broken manifests are surfaced.
// "Not re-read" is shown by changing bytes a re-read would see: an earlier log line garbled in
// place (same size) after it was read shows up only if the log is read from the start again.
import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RunTableSet, runTablesIPC, schemaMessage } from '../../../src/lib/runs/run-tables.ts';
import { joinStream } from '../../../src/lib/arrow/ipc-stream.ts';
import { RunTablesCache } from '../../../src/lib/server/runs/run-tables-cache.ts';
import { COMPACT_RETRY_MS, RunSource } from '../../../src/lib/runs/run-source.ts';
import { rowToLine } from '../../../src/lib/engine/run-log.ts';
import { compactRun } from '../../../src/lib/engine/compact-run.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
beforeEach(() => void (dir = tempDir()));
afterEach(() => dir.remove());

function row(unit: string, extra: Partial<ResultRow> = {}): ResultRow {
	return {
		unit_id: unit, sample: 0, status: 'ok', response: `answer ${unit}`, error: null, latency_ms: 5, tokens_in: 3, tokens_out: 4,
		cached: false, attempts: 1, finished_at: '2026-01-01T00:00:00.000Z', meta: { item_id: `item-${unit}`, model: 'm', task: 'completion' },
		...extra
	};
}

function plantRun(runId: string, opts: { kind?: string; state?: string; lock?: boolean; rows?: ResultRow[] } = {}): string {
	const runDir = join(dir.path, runId);
	mkdirSync(runDir, { recursive: true });
	const manifest = {
		run_id: runId, kind: opts.kind ?? 'generation', params: { task: 'completion', model: 'm' }, dataset_hash: null, endpoints: [],
		state: opts.state ?? 'running', started_at: `2026-01-01T00:00:0${runId.length % 10}.000Z`, sessions: [], finished_at: null,
		counts: { total: 10, ok: 0, error: 0, unparsed: 0, pending: 10, cached: 0 }, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 },
		cost_usd: null, log_warnings: []
	};
	writeFileSync(join(runDir, 'manifest.json'), JSON.stringify(manifest));
	writeFileSync(join(runDir, 'log.jsonl'), (opts.rows ?? []).map(rowToLine).join(''));
	if (opts.lock) writeFileSync(join(runDir, 'lock'), String(process.pid));
	return runDir;
}

function finish(runDir: string): void {
	const path = join(runDir, 'manifest.json');
	writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), state: 'completed', finished_at: '2026-01-01T00:01:00.000Z' }));
	rmSync(join(runDir, 'lock'), { force: true });
}

/** Overwrites bytes of the log in place (same size): only a reader starting over sees it. */
function garble(runDir: string, at: number, text: string): void {
	const fd = openSync(join(runDir, 'log.jsonl'), 'r+');
	writeSync(fd, text, at);
	closeSync(fd);
}

const units = (bytes: Uint8Array) => tableFromIPC(bytes).getChild('unit_id')!.toArray() as string[];
/** A generation run's rows as the table serves them (schema, its batches, end). */
const served = (source: RunSource) => joinStream(schemaMessage('generations'), [source.batchesSync()]);

describe('a live run', () => {
	it('is read from where the last read stopped: appended rows are added, earlier bytes are not read again', async () => {
		const runDir = plantRun('live', { lock: true, rows: [row('a'), row('b')] });
		const set = new RunTableSet(dir.path);
		await set.update();
		expect(units(set.ipcSync('generations'))).toEqual(['a', 'b']);
		const { epoch, seq } = set.status().tables.generations.runs[0];
		expect(seq).toBe(2);

		garble(runDir, 0, '#'); // the first line is now broken, but it was already read
		appendFileSync(join(runDir, 'log.jsonl'), rowToLine(row('c')) + rowToLine(row('d')));
		await set.update();
		expect(units(set.ipcSync('generations'))).toEqual(['a', 'b', 'c', 'd']);
		expect(set.warnings()).toEqual([]);
		// A reader that saw sequence 2 gets only the two new rows.
		const changes = await set.runChanges('generations', 'live', epoch, seq);
		expect(changes.full).toBe(false);
		expect(units(changes.bytes)).toEqual(['c', 'd']);
		expect(changes.seq).toBe(4);

		// A reader starting over (a fresh set: a server restart) does read the broken line.
		const fresh = new RunTableSet(dir.path);
		await fresh.update();
		expect(units(fresh.ipcSync('generations'))).toEqual(['b', 'c', 'd']);
		expect(fresh.warnings()).toEqual([expect.stringMatching(/live\/log\.jsonl:1: skipped: not valid JSON/)]);
	});

	it('a half-written last line waits for its newline, with a warning meanwhile', async () => {
		const runDir = plantRun('half', { lock: true, rows: [row('a')] });
		const line = rowToLine(row('b'));
		appendFileSync(join(runDir, 'log.jsonl'), line.slice(0, 30));
		const set = new RunTableSet(dir.path);
		await set.update();
		expect(units(set.ipcSync('generations'))).toEqual(['a']);
		expect(set.warnings()).toEqual([expect.stringContaining('unfinished last line')]);
		appendFileSync(join(runDir, 'log.jsonl'), line.slice(30));
		await set.update();
		expect(units(set.ipcSync('generations'))).toEqual(['a', 'b']);
		expect(set.warnings()).toEqual([]);
	});

	it('a retried unit replaces its error row, and the reader gets the replacement as a change', async () => {
		const runDir = plantRun('retry', { lock: true, rows: [row('a', { status: 'error', response: null, error: 'timeout' }), row('b')] });
		const set = new RunTableSet(dir.path);
		await set.update();
		const { epoch, seq } = set.status().tables.generations.runs[0];
		appendFileSync(join(runDir, 'log.jsonl'), rowToLine(row('a')));
		await set.update();
		const changes = await set.runChanges('generations', 'retry', epoch, seq);
		expect(units(changes.bytes)).toEqual(['a']);
		expect(tableFromIPC(changes.bytes).getChild('status')!.toArray()).toEqual(['ok']);
		expect(units(set.ipcSync('generations'))).toEqual(['a', 'b']);
	});
});

describe('a finished run', () => {
	it('compacted by the engine is served from its file: its log is not read', async () => {
		const runDir = plantRun('done', { state: 'completed', rows: [row('a'), row('b'), row('c')] });
		compactRun(runDir, 'done', 'generations.arrow');
		garble(runDir, 0, '#'); // same size: the file still matches the log, which is never read
		const set = new RunTableSet(dir.path);
		await set.update();
		expect(units(set.ipcSync('generations'))).toEqual(['a', 'b', 'c']);
		expect(set.warnings()).toEqual([]);
		expect(set.status().tables.generations).toMatchObject({ rows: 3, runs: [{ run_id: 'done', seq: 3 }] });
		// The runs table's counts come from the file's metadata.
		const runs = tableFromIPC(set.ipcSync('runs'));
		expect(runs.getChild('ok')!.get(0)).toBe(3);
		expect(runs.getChild('pending')!.get(0)).toBe(7);
	});

	it('resumed (its log grew) is read from its log again', async () => {
		const runDir = plantRun('resumed', { state: 'completed', rows: [row('a')] });
		compactRun(runDir, 'resumed', 'generations.arrow');
		appendFileSync(join(runDir, 'log.jsonl'), rowToLine(row('b')));
		expect(units(runTablesIPC(dir.path).generations)).toEqual(['a', 'b']);
	});

	it('that nobody compacted is compacted by the server once, then read from that file after a restart', async () => {
		const runDir = plantRun('direct', { kind: 'judge', state: 'completed', rows: [row('v1', { meta: { judge: 'rules', vulnerable: true } }), row('v2')] });
		appendFileSync(join(runDir, 'log.jsonl'), 'not json\n');
		const cache = new RunTablesCache(dir.path);
		const listed = await cache.list();
		expect(existsSync(join(runDir, 'verdicts.arrow'))).toBe(true);
		expect(listed.find((t) => t.name === 'verdicts')).toMatchObject({ rows: 2, warnings: [expect.stringMatching(/direct\/log\.jsonl:3: skipped/)] });
		garble(runDir, 0, '#');
		const restarted = new RunTablesCache(dir.path);
		const verdicts = tableFromIPC(await restarted.ipc('verdicts'));
		expect(verdicts.getChild('unit_id')!.toArray()).toEqual(['v1', 'v2']);
		expect(verdicts.getChild('vulnerable')!.get(0)).toBe(true);
		// The warning of the skipped line is kept in the file, not lost with the log reading.
		expect((await restarted.status()).warnings).toEqual([expect.stringMatching(/direct\/log\.jsonl:3: skipped/)]);
	});

	it('that nobody compacted and is big is compacted in steps, a record batch per slice, every row kept', async () => {
		const rows = Array.from({ length: 300 }, (_, i) => row(`u${i}`, { response: `${i} `.padEnd(1000, 'x') }));
		const runDir = plantRun('big', { state: 'completed', rows });
		const source = new RunSource(dir.path, 'big', { compact: true });
		let steps = 1;
		while (source.step().more) steps++;
		expect(steps).toBeGreaterThan(3); // 300 KB of answers, 128 KB a slice, plus reading the log
		expect(existsSync(join(runDir, 'generations.arrow'))).toBe(true);
		const file = tableFromIPC(readFileSync(join(runDir, 'generations.arrow')));
		expect(file.batches.length).toBeGreaterThan(1);
		expect(file.getChild('unit_id')!.toArray()).toEqual(rows.map((r) => r.unit_id));
		garble(runDir, 0, '#'); // served from the file now, after a restart too
		const set = new RunTableSet(dir.path);
		await set.update();
		expect(units(set.ipcSync('generations'))).toEqual(rows.map((r) => r.unit_id));
		expect(set.status().tables.generations.rows).toBe(300);
		expect(set.warnings()).toEqual([]);
	});

	it('compacted off the event loop (the server): the write is awaited between steps, the rows served from memory meanwhile', async () => {
		const rows = Array.from({ length: 3 }, (_, i) => row(`u${i}`));
		const runDir = plantRun('offloop', { state: 'completed', rows });
		const source = new RunSource(dir.path, 'offloop', { compact: true });
		let waited = 0;
		for (;;) {
			const { more } = source.step(true);
			if (more && source.pending) {
				// The file appears only once the write in the thread pool is done (rename last).
				expect(existsSync(join(runDir, 'generations.arrow'))).toBe(false);
				expect(units(served(source))).toEqual(['u0', 'u1', 'u2']);
				await source.pending;
				waited++;
				continue;
			}
			if (!more) break;
		}
		expect(waited).toBe(1);
		expect(source.pending).toBe(null);
		expect(source.settled).toBe(true);
		expect(units(readFileSync(join(runDir, 'generations.arrow')))).toEqual(['u0', 'u1', 'u2']);
		expect(readdirSync(runDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
		// The set steps its sources that way when it may pause (the server's refresh).
		const second = plantRun('offloop2', { state: 'completed', rows });
		const set = new RunTableSet(dir.path, { compact: true });
		await set.update(() => new Promise((r) => setImmediate(r)));
		expect(existsSync(join(second, 'generations.arrow'))).toBe(true);
		expect(set.source('offloop2')!.settled).toBe(true);
		expect(set.status().tables.generations.rows).toBe(6);
	});

	it('whose compacted file cannot be written is served from memory, and not encoded again at every step', async () => {
		const runDir = plantRun('stuck', { state: 'completed', rows: [row('a'), row('b')] });
		mkdirSync(join(runDir, 'generations.arrow', 'inside'), { recursive: true }); // a folder in the file's place: the rename fails
		const source = new RunSource(dir.path, 'stuck', { compact: true });
		for (let more = true; more; ) {
			more = source.step(true).more;
			if (source.pending) await source.pending;
		}
		expect(source.settled).toBe(false);
		expect(readdirSync(runDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
		// The next refresh reads nothing new and tries no second write for the same log.
		expect(source.step(true)).toEqual({ more: false, changed: false });
		expect(source.pending).toBe(null);
		expect(units(served(source))).toEqual(['a', 'b']);
	});

	it('whose compacted file could not be written is tried again later, backing off, said once in the server log', async () => {
		const runDir = plantRun('retry', { state: 'completed', rows: [row('a'), row('b')] });
		const blocker = join(runDir, 'generations.arrow');
		mkdirSync(join(blocker, 'inside'), { recursive: true }); // the rename fails while this is there
		const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
		const source = new RunSource(dir.path, 'retry', { compact: true });
		const settle = async () => {
			for (let more = true; more; ) {
				more = source.step(true).more;
				if (source.pending) await source.pending;
			}
		};
		let now = Date.now();
		try {
			vi.useFakeTimers({ toFake: ['Date'], now });
			await settle();
			expect(source.settled).toBe(false);
			expect(warn).toHaveBeenCalledTimes(1);
			expect(warn.mock.calls[0][0]).toMatch(/retry: its compacted file could not be written .*tried again in 30 s.*said once/);
			// Not before the wait is over; then tried (and failing) again, waiting twice as long, not said again.
			vi.setSystemTime((now += COMPACT_RETRY_MS - 1000));
			expect(source.step(true)).toEqual({ more: false, changed: false });
			vi.setSystemTime((now += 2000));
			expect(source.step(true).more).toBe(true);
			await settle();
			expect(source.settled).toBe(false);
			vi.setSystemTime((now += COMPACT_RETRY_MS + 1000));
			expect(source.step(true).more).toBe(false); // waits 60 s now
			expect(warn).toHaveBeenCalledTimes(1);
			// Once the folder is writable again, the next try after the wait compacts the run.
			rmSync(blocker, { recursive: true });
			vi.setSystemTime((now += COMPACT_RETRY_MS));
			await settle();
			expect(source.settled).toBe(true);
			expect(units(readFileSync(blocker))).toEqual(['a', 'b']);
			expect(readdirSync(runDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
			// After that success, a later failure (more rows, the file's place blocked again) is said again.
			rmSync(blocker);
			mkdirSync(join(blocker, 'inside'), { recursive: true });
			appendFileSync(join(runDir, 'log.jsonl'), rowToLine(row('c')));
			vi.setSystemTime((now += 1000));
			await settle();
			expect(source.settled).toBe(false);
			expect(warn).toHaveBeenCalledTimes(2);
			expect(warn.mock.calls[1][0]).toMatch(/retry: its compacted file could not be written/);
		} finally {
			vi.useRealTimers();
			warn.mockRestore();
		}
	});

	it('a live run that finishes keeps its epoch and sequence: a reader that has every row fetches nothing', async () => {
		const runDir = plantRun('ends', { lock: true, rows: [row('a'), row('b')] });
		const cache = new RunTablesCache(dir.path);
		const before = (await cache.status()).tables.generations.runs[0];
		finish(runDir);
		compactRun(runDir, 'ends', 'generations.arrow');
		const engineFile = statSync(join(runDir, 'generations.arrow'));
		const after = (await cache.status()).tables.generations.runs[0];
		// The engine's file is the one served: not written again here.
		expect(statSync(join(runDir, 'generations.arrow'))).toMatchObject({ ino: engineFile.ino, mtimeMs: engineFile.mtimeMs });
		expect(after).toMatchObject({ epoch: before.epoch, seq: before.seq });
		const changes = await cache.changes('generations', 'ends', before.epoch, before.seq);
		expect(changes.full).toBe(false);
		expect(units(changes.bytes)).toEqual([]);
		// A reader from another epoch gets every row, marked full.
		const full = await cache.changes('generations', 'ends', 'elsewhere', 0);
		expect(full.full).toBe(true);
		expect(units(full.bytes)).toEqual(['a', 'b']);
	});
});

describe('warnings', () => {
	it('a broken manifest is a warning in the table list, not a run that silently vanishes', async () => {
		plantRun('good', { state: 'completed', rows: [row('a')] });
		const broken = plantRun('broken', { state: 'completed', rows: [row('x')] });
		writeFileSync(join(broken, 'manifest.json'), '{"run_id": "broken", ');
		const cache = new RunTablesCache(dir.path);
		const list = await cache.list();
		for (const entry of list) expect(entry.warnings).toEqual([expect.stringMatching(/broken\/manifest\.json: manifest is not valid JSON.*left out/)]); // behind all three
		expect(list.find((t) => t.name === 'generations')!.rows).toBe(1);
		// Fixed: the run comes back, the warning goes.
		writeFileSync(join(broken, 'manifest.json'), readFileSync(join(dir.path, 'good', 'manifest.json'), 'utf8').replace(/"good"/g, '"broken"'));
		const fixed = await cache.list();
		expect(fixed[0].warnings).toEqual([]);
		expect(fixed.find((t) => t.name === 'generations')!.rows).toBe(2);
	});

	it('the table served whole is the schema and each run’s rows, oldest run first', async () => {
		plantRun('r1', { state: 'completed', rows: [row('a')] });
		plantRun('r22', { lock: true, rows: [row('b'), row('c')] });
		const cache = new RunTablesCache(dir.path);
		const chunks: Uint8Array[] = [];
		const reader = (await cache.stream('generations')).getReader();
		for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(r.value);
		const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
		chunks.reduce((at, c) => (bytes.set(c, at), at + c.length), 0);
		const table = tableFromIPC(bytes);
		expect(table.getChild('run_id')!.toArray()).toEqual(['r1', 'r22', 'r22']);
		expect(units(bytes)).toEqual(['a', 'b', 'c']);
	});
});
