// The first-paint child's memory cap (trial-red w9 #5: opening a notebook whose query builds a
// 3 GB string took the child to 2.4 GB). DuckDB's memory_limit is set before the lockdown, so a
// cell cannot raise it; a query over it fails with "Out of Memory Error", and the recording keeps
// that error for the cell (the page shows it instead of running the query again), while the
// other cells are recorded as usual.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHeadlessEngine, type HeadlessEngine } from '../../../../src/lib/node/headless/engine.ts';
import { join } from 'node:path';
import { recordNotebook } from '../../../../src/lib/server/first-paint/record-notebook.ts';
import { overMemoryMessage, recordInChild } from '../../../../src/lib/server/first-paint/first-paint-process.ts';
import { CHILD_HEAP_MB, CHILD_MEMORY_LIMIT } from '../../../../src/lib/server/first-paint/child-limits.ts';
import { ReplayingEngine } from '../../../../src/lib/workbench/first-paint.ts';
import type { ResultTable, SqlEngine } from '../../../../src/lib/notebook/executor.ts';

let engine: HeadlessEngine;
beforeAll(async () => {
	engine = await createHeadlessEngine({ memoryLimit: '64MiB' });
}, 120_000);
afterAll(() => engine?.close());

const hog = '---\ntitle: hog\n---\n```sql id=mem\nSELECT length(string_agg(repeat(\'x\', 100000), \',\')) AS l FROM range(3000)\n```\n\n```sql id=cheap\nSELECT 42 AS answer\n```\n';

describe('the first-paint child memory limit', () => {
	it('caps DuckDB at 512 MiB and the heap at 512 MB', () => {
		expect(CHILD_MEMORY_LIMIT).toBe('512MiB');
		expect(CHILD_HEAP_MB).toBe(512);
	});

	it('is set, and locked: a cell cannot raise it', async () => {
		const setting = (await engine.query("SELECT current_setting('memory_limit') AS m")).getChild('m')?.toArray()[0];
		expect(String(setting)).toMatch(/^6\d\.\d MiB$/);
		await expect(engine.exec("SET memory_limit = '8GiB'")).rejects.toThrow(/lock/i);
	});

	it('a query over it is a recorded error on its cell; the other cells are recorded', async () => {
		const recording = await recordNotebook(engine, { name: 'hog', text: hog, listed: [], maxResultBytes: 4 << 20 }, async () => {
			throw new Error('no tables here');
		});
		expect(recording).not.toBeNull();
		const fail = recording!.calls.find((c) => c.op === 'fail');
		expect(fail).toMatchObject({ op: 'fail', sql: expect.stringContaining('FROM "mem"') });
		expect(fail && 'message' in fail ? fail.message : '').toMatch(/^Out of Memory Error: .*first-paint memory limit/);
		expect(recording!.calls.some((c) => c.op === 'query' && c.sql.includes('FROM "cheap"'))).toBe(true);
	});

	it('the page replays that error on the cell without asking its own engine', async () => {
		const recording = await recordNotebook(engine, { name: 'hog', text: hog, listed: [], maxResultBytes: 4 << 20 }, async () => new Uint8Array());
		const fail = recording!.calls.find((c) => c.op === 'fail')!;
		const asked: string[] = [];
		const real: SqlEngine = {
			query: async (sql) => (asked.push(sql), {}) as ResultTable,
			exec: async (sql) => void asked.push(sql),
			registerRows: async () => {},
			tableNames: async () => []
		};
		const replaying = new ReplayingEngine(real, {
			listedNames: async () => [],
			runTablesVersion: () => undefined,
			realReady: () => new Promise(() => {}),
			decode: () => ({}) as ResultTable,
			encode: () => new Uint8Array()
		});
		replaying.offer(Promise.resolve(recording!));
		await replaying.tableNames();
		// Replay the calls up to the failing one as the page's executor would make them.
		for (const call of recording!.calls.slice(1)) {
			if (call === fail) break;
			if (call.op === 'exec') await replaying.exec(call.sql);
			else if (call.op === 'query') await replaying.query(call.sql);
		}
		await expect(replaying.query(fail.sql)).rejects.toThrow(/Out of Memory Error/);
		expect(asked).not.toContain(fail.sql);
	});

	it('an answer over the size limit is measured before it is encoded: no recording, and the cells after it do not run (review10 #4)', async () => {
		const big = "---\ntitle: big\n---\n```sql id=wide\nSELECT repeat('x', 1000) || i::VARCHAR AS s FROM range(10000) t(i)\n```\n\n```sql id=after\nSELECT 1 AS one\n```\n";
		const ran: string[] = [];
		const recording = await recordNotebook(engine, { name: 'big', text: big, listed: [], maxResultBytes: 1 << 20 }, async () => new Uint8Array(), (sql) => ran.push(sql));
		expect(recording).toBeNull();
		expect(ran.some((sql) => sql.includes('FROM "wide"'))).toBe(true);
		expect(ran.some((sql) => sql.includes('"after"'))).toBe(false);
	});
});

describe('the first-paint child resident memory cap (review10 #4)', () => {
	it('a cell whose result passes it: the child is killed, and the recording has that error on the cell; the cell after it is recorded', async () => {
		// 100,000 strings of 4 kB: 400 MB materialized by DuckDB, outside its memory_limit and V8's heap.
		const text = "---\ntitle: heap\n---\n```sql id=heap\nSELECT repeat('x', 4000) || i::VARCHAR AS s FROM range(100000) t(i)\n```\n\n```sql id=cheap\nSELECT 42 AS answer\n```\n";
		const root = join(import.meta.dirname, '../../../..');
		const limitMb = 400;
		const recording = await recordInChild({ name: 'heap', text, listed: [], maxResultBytes: 4 << 20, dataRoot: join(root, 'datasets'), runsDir: join(root, 'no-runs-here') }, limitMb);
		expect(recording).not.toBeNull();
		const fail = recording!.calls.find((c) => c.op === 'fail');
		expect(fail).toMatchObject({ op: 'fail', sql: expect.stringContaining('"heap"'), message: overMemoryMessage(limitMb) });
		expect(overMemoryMessage(limitMb)).toMatch(/^Out of Memory Error: .*memory limit of 400 MB/);
		expect(recording!.calls.some((c) => c.op === 'query' && c.sql.includes('FROM "cheap"'))).toBe(true);
	}, 180_000);
});
