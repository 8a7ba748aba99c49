// The fix for DuckDB-WASM's threaded worker (duckdb-coi-patch.js): it applies to the installed
// package's worker, and the worker's own view code, patched, sees memory another thread grew,
// where unpatched it copies through the stale view and throws "offset is out of bounds" (the
// failure bench/groupby.js met loading 1M rows). Another thread grows a real shared memory here.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { patchCoiWorker } from '../../../src/lib/workbench/duckdb-coi-patch.js';

const dist = dirname(createRequire(import.meta.url).resolve('@duckdb/duckdb-wasm/dist/duckdb-browser-coi.worker.js'));
const original = readFileSync(join(dist, 'duckdb-browser-coi.worker.js'), 'utf8');

/**
 * The worker's view code (updateMemoryViews and, patched, what follows it up to the next
 * statement of the glue) run against `memory` the way the glue runs it: returns its Module.
 */
function glueModule(source: string, memory: WebAssembly.Memory): Record<string, Uint8Array> {
	const start = source.indexOf('var HEAP,HEAP8,');
	const end = source.indexOf('var INITIAL_MEMORY=', start);
	expect(start).toBeGreaterThan(0);
	expect(end).toBeGreaterThan(start);
	const code = source.slice(start, end);
	const run = new Function('wasmMemory', 'Module', `"use strict";${code};updateMemoryViews();return Module;`);
	return run(memory, {});
}

/** Grows `memory` by `pages` from another thread, as DuckDB's pthreads do. */
async function growElsewhere(memory: WebAssembly.Memory, pages: number): Promise<void> {
	const worker = new Worker('const { parentPort, workerData } = require("node:worker_threads"); workerData.memory.grow(workerData.pages); parentPort.postMessage("grown");', {
		eval: true,
		workerData: { memory, pages }
	});
	await new Promise((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
	});
	await worker.terminate();
}

describe('the DuckDB-WASM coi worker patch', () => {
	it('applies to the installed worker exactly once and drops its source map comment', () => {
		const patched = patchCoiWorker(original);
		if (patched instanceof Error) throw patched;
		expect(patched.split('covwFreshViews(){').length).toBe(2);
		expect(patched).not.toMatch(/sourceMappingURL/);
		expect(patchCoiWorker(patched)).toBeInstanceOf(Error); // never twice
	});

	it('refuses a worker it does not know', () => {
		expect(patchCoiWorker('"use strict";var x=1;')).toBeInstanceOf(Error);
	});

	it('unpatched, a copy past the size the worker thread saw throws; patched, it lands', async () => {
		const patched = patchCoiWorker(original);
		if (patched instanceof Error) throw patched;
		for (const [source, fixed] of [[original, false], [patched, true]] as const) {
			const memory = new WebAssembly.Memory({ initial: 16, maximum: 64, shared: true });
			const Module = glueModule(source, memory);
			const before = 16 * 65536;
			await growElsewhere(memory, 16);
			const bytes = new Uint8Array([1, 2, 3, 4]);
			const at = before + 1000; // what _malloc may hand out after another thread grew the heap
			const copy = () => Module.HEAPU8.subarray(at, at + bytes.length).set(bytes);
			if (fixed) {
				copy();
				expect(Module.HEAPU8.length).toBe(32 * 65536);
				expect([...new Uint8Array(memory.buffer, at, 4)]).toEqual([1, 2, 3, 4]);
			} else {
				expect(copy).toThrow(/offset is out of bounds/);
			}
		}
	});
});
