// Fuzzing the data readers (issue 9): random bytes, CSV-ish and JSON-ish noise, mutations of
// valid files and deeply nested values. Whatever the input, a reader returns a table or throws a
// DataFileError that names the file (and the line, where the input has lines) — never another
// exception, never a crash. Seeded, so a failure can be replayed from its seed.
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../../src/lib/core/stats/random.ts';
import { parseDataFile } from '../../../../src/lib/node/datasets/load-table.ts';
import { DataFileError } from '../../../../src/lib/node/datasets/table-info.ts';
import type { DataFileFormat } from '../../../../src/lib/node/datasets/find-data-files.ts';

const encoder = new TextEncoder();

/** Messages a reader may give without a line: about the whole file. */
const FILE_LEVEL = /: (empty file|no records|not an Arrow IPC file|unreadable Arrow IPC data|Arrow data without any column)/;

interface Outcome {
	ok: boolean;
	message?: string;
}

function read(bytes: Uint8Array, format: DataFileFormat, file: string): Outcome {
	try {
		const table = parseDataFile(bytes, format, file);
		expect(table.numCols).toBeGreaterThan(0);
		return { ok: true };
	} catch (error) {
		if (!(error instanceof DataFileError)) {
			throw new Error(`${file}: ${format} reader threw ${(error as Error)?.name}: ${(error as Error)?.message} — not a DataFileError`);
		}
		return { ok: false, message: error.message };
	}
}

/** A located error: it names the file, and a line unless it is about the whole file. */
function expectLocated(outcome: Outcome, file: string, lines: boolean): void {
	if (outcome.ok) return;
	expect(outcome.message!.startsWith(file), outcome.message).toBe(true);
	if (lines && !FILE_LEVEL.test(outcome.message!)) expect(outcome.message, outcome.message).toMatch(new RegExp(`^${file.replace('.', '\\.')} line \\d+`));
}

function randomText(rng: () => number, alphabet: string, length: number): string {
	let out = '';
	for (let i = 0; i < length; i++) out += alphabet[Math.floor(rng() * alphabet.length)];
	return out;
}

function randomBytes(rng: () => number, length: number): Uint8Array {
	const bytes = new Uint8Array(length);
	for (let i = 0; i < length; i++) bytes[i] = Math.floor(rng() * 256);
	return bytes;
}

/** A random JSON value up to `depth` levels (may be shallow). */
function randomJson(rng: () => number, depth: number): unknown {
	const r = rng();
	if (depth <= 0 || r < 0.3) {
		const pick = Math.floor(rng() * 6);
		return [null, true, rng() * 1e6 - 5e5, randomText(rng, 'ab"\\\n\u00e9\u{1F600}{}[],:', Math.floor(rng() * 8)), '', Number.MAX_SAFE_INTEGER][pick];
	}
	if (r < 0.65) return Array.from({ length: Math.floor(rng() * 4) }, () => randomJson(rng, depth - 1));
	const object: Record<string, unknown> = {};
	for (let i = Math.floor(rng() * 4); i > 0; i--) object[randomText(rng, 'abc_"\\ ', 1 + Math.floor(rng() * 3))] = randomJson(rng, depth - 1);
	return object;
}

const SEEDS = 400;

describe('CSV reader under fuzzing', () => {
	it('random bytes', () => {
		for (let seed = 0; seed < SEEDS; seed++) {
			const rng = createRng(seed);
			const file = `bytes${seed}.csv`;
			expectLocated(read(randomBytes(rng, Math.floor(rng() * 300)), 'csv', file), file, true);
		}
	});

	it('CSV-ish noise: quotes, commas, CR, LF, BOM, multi-byte characters', () => {
		for (let seed = 0; seed < SEEDS; seed++) {
			const rng = createRng(10_000 + seed);
			const file = `noise${seed}.csv`;
			const text = (rng() < 0.2 ? '\uFEFF' : '') + randomText(rng, 'a1,,,""\n\n\r\r\n -.eé\u{1F600}\t', Math.floor(rng() * 400));
			expectLocated(read(encoder.encode(text), 'csv', file), file, true);
		}
	});

	it('mutations of a valid file', () => {
		const valid = encoder.encode('name,score,flag\n"a, b",1.5,true\nc,,false\n"d ""q""",3,\n');
		for (let seed = 0; seed < SEEDS; seed++) {
			const rng = createRng(20_000 + seed);
			const bytes = valid.slice();
			for (let k = 1 + Math.floor(rng() * 4); k > 0; k--) bytes[Math.floor(rng() * bytes.length)] = ',"\n\rx\u0000'.charCodeAt(Math.floor(rng() * 6));
			const file = `mutated${seed}.csv`;
			expectLocated(read(bytes, 'csv', file), file, true);
		}
	});

	it('a very wide header and a very long line are bounded errors or tables, not crashes', () => {
		expectLocated(read(encoder.encode(',' .repeat(50_000) + '\n'), 'csv', 'wide.csv'), 'wide.csv', true);
		expect(read(encoder.encode(',' .repeat(50_000) + '\n'), 'csv', 'wide.csv').message).toMatch(/wide\.csv line 1: more than 10000 columns/);
		expect(read(encoder.encode(`a\n"${'x'.repeat(1_000_000)}"\n`), 'csv', 'long.csv').ok).toBe(true);
	});
});

describe('JSONL reader under fuzzing', () => {
	it('random bytes', () => {
		for (let seed = 0; seed < SEEDS; seed++) {
			const rng = createRng(30_000 + seed);
			const file = `bytes${seed}.jsonl`;
			expectLocated(read(randomBytes(rng, Math.floor(rng() * 300)), 'jsonl', file), file, true);
		}
	});

	it('random JSON values, one per line, some of them objects', () => {
		for (let seed = 0; seed < SEEDS; seed++) {
			const rng = createRng(40_000 + seed);
			const lines = Array.from({ length: 1 + Math.floor(rng() * 6) }, () => {
				const value = rng() < 0.7 ? { v: randomJson(rng, 6), [randomText(rng, 'xy', 2)]: randomJson(rng, 3) } : randomJson(rng, 4);
				const text = JSON.stringify(value) ?? 'null';
				// Sometimes cut a line short, to make invalid JSON.
				return rng() < 0.15 ? text.slice(0, Math.floor(rng() * text.length)) : text;
			});
			const file = `values${seed}.jsonl`;
			expectLocated(read(encoder.encode(lines.join(rng() < 0.5 ? '\n' : '\r\n')), 'jsonl', file), file, true);
		}
	});

	it('deeply nested input, in every shape: a located error with the limit', () => {
		const deep = (open: string, close: string, n: number) => open.repeat(n) + close.repeat(n);
		const cases: [string, string][] = [
			['arrays.jsonl', `{"a":${deep('[', ']', 100_000)}}`],
			['objects.jsonl', `{"a":${'{"b":'.repeat(100_000)}1${'}'.repeat(100_000)}}`],
			['unclosed.jsonl', `{"a":${'['.repeat(200_000)}`],
			['mixed.jsonl', `{"a":${'[{"x":'.repeat(30_000)}0${'}]'.repeat(30_000)}}`],
			['top.jsonl', deep('[', ']', 100_000)]
		];
		for (const [file, line] of cases) {
			const outcome = read(encoder.encode(`{"ok":1}\n${line}\n`), 'jsonl', file);
			expect(outcome.ok, file).toBe(false);
			expect(outcome.message).toBe(`${file} line 2: nested more than 100 levels deep (the limit for a JSONL value)`);
		}
	});

	it('random nesting depths around the limit: loads up to it, a located error past it', () => {
		for (let seed = 0; seed < 100; seed++) {
			const rng = createRng(50_000 + seed);
			const depth = 90 + Math.floor(rng() * 20);
			let value = '1';
			for (let d = 1; d < depth; d++) value = rng() < 0.5 ? `[${value}]` : `{"k":${value}}`;
			const outcome = read(encoder.encode(`{"v":${value}}\n`), 'jsonl', `depth${seed}.jsonl`);
			expect(outcome.ok, `depth ${depth}`).toBe(depth <= 100);
			if (!outcome.ok) expect(outcome.message).toMatch(/line 1: nested more than 100 levels deep/);
		}
	});
});

describe('Arrow reader under fuzzing', () => {
	const table = tableFromArrays({ a: Float64Array.from([1, 2, 3]), s: ['x', 'y', 'z'], n: Int32Array.from([7, 8, 9]) });
	const formats = { stream: tableToIPC(table, 'stream'), file: tableToIPC(table, 'file') };

	it('random bytes and mutations of valid streams and files: a table or an error naming the file', () => {
		for (let seed = 0; seed < 1500; seed++) {
			const rng = createRng(60_000 + seed);
			const valid = seed % 3 === 1 ? formats.file : formats.stream;
			let bytes: Uint8Array;
			if (seed % 3 === 0 && seed % 2 === 0) bytes = randomBytes(rng, Math.floor(rng() * 200));
			else {
				bytes = rng() < 0.5 ? valid.slice() : valid.slice(0, Math.max(8, Math.floor(rng() * valid.length)));
				for (let k = 1 + Math.floor(rng() * 6); k > 0; k--) bytes[Math.floor(rng() * bytes.length)] = Math.floor(rng() * 256);
			}
			const file = `fuzz${seed}.arrow`;
			expectLocated(read(bytes, 'arrow', file), file, false);
		}
	});

	it('a schema that claims 1.6 billion fields in 328 bytes is refused (it ran apache-arrow out of memory)', () => {
		// Found by the fuzzing above (seed 21 of an earlier run): one byte of the fields vector's length changed.
		const bytes = formats.stream.slice();
		const outcome = read(inflateFieldCount(bytes), 'arrow', 'inflated.arrow');
		expect(outcome.ok).toBe(false);
		expect(outcome.message).toMatch(/^inflated\.arrow: unreadable Arrow IPC data \(metadata claims \d+ entries in \d+ bytes\)$/);
	});

	it('valid streams and files still read', () => {
		expect(read(formats.stream, 'arrow', 'ok.arrows').ok).toBe(true);
		expect(read(formats.file, 'arrow', 'ok.arrow').ok).toBe(true);
	});
});

/** The schema message's fields vector length, set to 0x60FFFFFF (found by walking the flatbuffer). */
function inflateFieldCount(stream: Uint8Array): Uint8Array {
	const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
	const meta = 8; // after 0xFFFFFFFF and the metadata length
	const u32 = (p: number) => view.getUint32(meta + p, true);
	const field = (table: number, index: number) => {
		const vtable = table - view.getInt32(meta + table, true);
		return table + view.getUint16(meta + vtable + 4 + 2 * index, true);
	};
	const message = u32(0);
	const headerAt = field(message, 2);
	const schema = headerAt + u32(headerAt);
	const fieldsAt = field(schema, 1);
	const vector = fieldsAt + u32(fieldsAt);
	view.setUint32(meta + vector, 0x60ffffff, true);
	return stream;
}
