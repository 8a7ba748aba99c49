// The end-of-run compaction was made faster in two ways; both must leave its output unchanged.
// 1. The run-table encoder (arrow/run-schema.ts) builds Arrow buffers directly: its IPC bytes
//    must equal those of apache-arrow's own vectorFromArray (the reference below).
// 2. runUnits compacts from the rows it holds instead of re-reading its log: the file must equal,
//    byte for byte, what compactRun makes from the log; and a row that would not read back
//    unchanged (NaN from a parse hook) must send it back to re-reading the log.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Bool, Float64, Int32, Table, tableFromIPC, tableToIPC, TimestampMillisecond, Utf8, vectorFromArray, type DataType, type Vector } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compactBytes, compactRun } from '../../../src/lib/engine/compact-run.ts';
import { GENERATION_COLUMNS, tableOf, VERDICT_COLUMNS } from '../../../src/lib/arrow/run-schema.ts';
import { parseRunLog, readsBackUnchanged, rowToLine } from '../../../src/lib/engine/run-log.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';

/**
 * The served schema through apache-arrow's Builders (vectorFromArray), as the workbench's run
 * tables were built before compaction wrote them: the reference for the bytes.
 */
function referenceTable(runId: string, rows: ResultRow[], spec = GENERATION_COLUMNS): Table {
	const typeOf = (kind: string): DataType =>
		({ text: new Utf8(), int: new Int32(), float: new Float64(), bool: new Bool(), time: new TimestampMillisecond() })[kind]!;
	const columns: Record<string, Vector> = {};
	for (const [name, kind, get] of spec) {
		const values = rows.map((row) => {
			const v = get({ runId, row });
			if (v === null || v === undefined) return null;
			if (kind === 'text') return String(v);
			if (kind === 'bool') return typeof v === 'boolean' ? v : null;
			if (kind === 'time') return typeof v === 'string' ? Date.parse(v) : null;
			return typeof v === 'number' && Number.isFinite(v) ? v : null;
		});
		columns[name] = vectorFromArray(values as never[], typeOf(kind) as never) as Vector;
	}
	return new Table(columns);
}

/** Rows exercising every column type, nulls, multi-byte text and every meta column kind. */
function variedRows(n: number): ResultRow[] {
	const texts = ['plain', 'ünïcødé ✓', '😀 two units', 'lone \ud800 half', ''];
	return Array.from({ length: n }, (_, i) => ({
		unit_id: `unit-${i}`,
		sample: i % 3,
		status: (['ok', 'error', 'unparsed'] as const)[i % 3],
		response: i % 4 === 0 ? null : texts[i % texts.length],
		error: i % 3 === 1 ? 'timeout: gave up after 4 attempt(s)' : null,
		latency_ms: i % 5 === 0 ? null : i * 1.1,
		tokens_in: i % 6 === 0 ? null : i * 7,
		tokens_out: i === 3 ? 2 ** 31 + 5 : i === 4 ? -3 : i, // Int32 wraps, as the Builder's does
		cached: i % 2 === 0,
		attempts: 1 + (i % 2),
		finished_at: new Date(1_700_000_000_000 + i * 1234).toISOString(),
		meta: {
			item_id: `item-${i}`,
			whole: i,
			half: i + 0.5,
			big: i === 7 ? 2 ** 40 : i, // one value past Int32: the column becomes Float64
			flag: i % 7 === 0 ? null : i % 2 === 0,
			mixed: i % 2 ? 'x' : i,
			none: null,
			...(i % 10 === 0 ? { sparse: 'only some rows' } : {}),
			...(i === 5 ? { late: true } : {}),
			run_id: 'a meta key that run_id shadows'
		}
	}));
}

const ipc = (t: Table) => Buffer.from(tableToIPC(t, 'stream'));

const rowsToTable = (runId: string, rows: ResultRow[], spec = GENERATION_COLUMNS) => tableOf(rows.map((row) => ({ runId, row })), spec);

describe('the run-table encoder builds the bytes apache-arrow builds', () => {
	// Sizes around the 64-byte padding of validity bitmaps (512 rows) and byte boundaries.
	for (const n of [0, 1, 7, 8, 9, 63, 64, 65, 511, 512, 513, 2000]) {
		it(`${n} rows`, () => {
			const rows = variedRows(n);
			expect(ipc(rowsToTable('run-ü', rows)).equals(ipc(referenceTable('run-ü', rows)))).toBe(true);
			expect(ipc(rowsToTable('run-ü', rows, VERDICT_COLUMNS)).equals(ipc(referenceTable('run-ü', rows, VERDICT_COLUMNS)))).toBe(true);
		});
	}
	it('rows with no nulls anywhere', () => {
		const rows = variedRows(17).map((r, i) => ({ ...r, response: `r${i}`, error: 'e', latency_ms: 1, tokens_in: 1, tokens_out: 1, meta: { k: i } }));
		expect(ipc(rowsToTable('r', rows)).equals(ipc(referenceTable('r', rows)))).toBe(true);
	});
});

describe('readsBackUnchanged', () => {
	const good = variedRows(12);
	it('is true only when the log line reads back as an equal row', () => {
		for (const row of good) {
			expect(readsBackUnchanged(row)).toBe(true);
			expect(parseRunLog(rowToLine(row), 'x').rows).toStrictEqual([row]);
		}
	});
	it('is false for values JSON changes or the reader skips', () => {
		const base = good[1];
		const changed: [string, ResultRow][] = [
			['NaN meta', { ...base, meta: { score: Number.NaN } }],
			['Infinity latency', { ...base, latency_ms: Number.POSITIVE_INFINITY }],
			['-0 tokens', { ...base, tokens_in: -0 }],
			['undefined meta', { ...base, meta: { gone: undefined as never } }],
			['object meta', { ...base, meta: { nested: { a: 1 } as never } }],
			['__proto__ key', { ...base, meta: JSON.parse('{"__proto__": "x"}') }],
			['meta shadows a field', { ...base, meta: { status: 'ok' } }],
			['unknown status', { ...base, status: 'maybe' as never }],
			['fractional sample', { ...base, sample: 0.5 }]
		];
		for (const [what, row] of changed) {
			expect(readsBackUnchanged(row), what).toBe(false);
			// Cross-check against the reader itself: what comes back differs (or nothing does).
			const back = parseRunLog(rowToLine(row), 'x').rows;
			expect(back, what).not.toStrictEqual([row]);
		}
	});
});

describe('runUnits compacts from memory exactly as from the log', () => {
	let server: TestServer;
	let dir: ReturnType<typeof tempDir>;
	beforeAll(async () => {
		// Every 4th request fails with a 500 and retries are off: some units end as 'error' rows.
		let n = 0;
		server = await startTestServer({ latencyMs: 1, faults: () => (++n % 4 === 0 ? { kind: 'server_error' } : null) });
		dir = tempDir();
	});
	afterAll(async () => {
		await server.close();
		dir.remove();
	});

	it('resumed run with error rows superseded and another run’s unit in the log', async () => {
		const units = testUnits(12);
		const config = testConfig(server.url, { maxAttempts: 1 });
		const runDir = join(dir.path, 'mem');
		const first = await runUnits({ runId: 'mem', runsDir: dir.path, config, units: units.slice(0, 8), onWarning: () => {} });
		expect(first.manifest.counts.error).toBeGreaterThan(0); // so the resume supersedes some
		// A unit this run does not list, and a line cut by a crash, as a hand-edited log might hold.
		const foreign = { ...first.rows.values().next().value!, unit_id: 'some-other-unit', meta: { item_id: 'elsewhere' } };
		writeFileSync(join(runDir, 'log.jsonl'), readFileSync(join(runDir, 'log.jsonl'), 'utf8') + rowToLine(foreign) + '{"unit_id":"cut');
		server.setFaults(null);
		const second = await runUnits({ runId: 'mem', runsDir: dir.path, config, units, onWarning: () => {} });
		expect(second.manifest.counts).toMatchObject({ ok: 12, error: 0 });
		const fromMemory = readFileSync(join(runDir, 'generations.arrow'));
		compactRun(runDir, 'mem', 'generations.arrow'); // the same file again, from the log
		expect(fromMemory.equals(readFileSync(join(runDir, 'generations.arrow')))).toBe(true);
		expect(tableFromIPC(fromMemory).numRows).toBe(13); // sanity: the foreign unit is a row too
	});

	it('falls back to re-reading the log when a row would not read back unchanged', async () => {
		const units = testUnits(5);
		const runDir = join(dir.path, 'nan');
		// JSON writes NaN as null; a table from the in-memory rows would hold NaN instead.
		const result = await runUnits({
			runId: 'nan',
			runsDir: dir.path,
			config: testConfig(server.url),
			units,
			parse: () => ({ status: 'ok', fields: { code: Number.NaN } })
		});
		expect([...result.rows.values()].every((r) => Number.isNaN(r.meta.code))).toBe(true);
		const written = readFileSync(join(runDir, 'generations.arrow'));
		compactRun(runDir, 'nan', 'generations.arrow');
		expect(written.equals(readFileSync(join(runDir, 'generations.arrow')))).toBe(true);
		const fromRows = Buffer.from(compactBytes('generations', 'nan', [...result.rows.values()], statSync(join(runDir, 'log.jsonl')).size));
		expect(written.equals(fromRows)).toBe(false); // the two really differ, so the fallback mattered
	});
});
