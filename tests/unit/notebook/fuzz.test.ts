// Seeded fuzzing of every reader a notebook goes through: the file decoder, the notebook parser,
// the SQL tokenizer/splitter, the JSON-with-positions parser and the plot/stats/run/sql spec
// parsers, the graph and the executor — with random, hostile and deeply nested input. The
// properties: nothing throws (or only the reader's own located error type), every error carries
// a line, the parse gives the file back byte for byte, and an edit that changes nothing writes
// nothing. Seeded, so a failure names its seed and replays exactly.
import { describe, expect, it } from 'vitest';
import { parseNotebook, serializeNotebook } from '../../../src/lib/notebook/format.ts';
import { buildGraph } from '../../../src/lib/notebook/graph.ts';
import { runNotebook } from '../../../src/lib/notebook/executor.ts';
import { replaceCellSource } from '../../../src/lib/notebook/edit.ts';
import { tokenizeSql, splitStatements } from '../../../src/lib/notebook/sql-tokens.ts';
import { sqlReferences } from '../../../src/lib/notebook/references.ts';
import { parsePlotSpec } from '../../../src/lib/notebook/plot-spec.ts';
import { parseStatsSpec } from '../../../src/lib/notebook/stats-cell.ts';
import { parseRunSpec } from '../../../src/lib/notebook/run-spec.ts';
import { cellKinds } from '../../../src/lib/notebook/cells/index.ts';
import { decodeNotebook, NotebookDecodeError } from '../../../src/lib/notebook/decode.ts';
import { restoreLineEndings } from '../../../src/lib/notebook/line-endings.ts';
import { parseJson, MAX_JSON_DEPTH } from '../../../src/lib/core/json/parse.ts';
import { FakeEngine } from './fake-engine.ts';

/** mulberry32: a small seeded generator, enough to explore inputs reproducibly. */
function rng(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (n: number) => Math.floor(next() * n);
	const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)];
	return { next, int, pick };
}
type Rng = ReturnType<typeof rng>;

// Pieces that matter to some reader: fences, attributes, line endings, quotes, comments, JSON
// punctuation, odd code points (NUL, lone surrogates, BOM, RTL override, astral), keywords.
const PIECES = [
	'```', '````', '~~~', '```sql', '```plot', '```stats', '```run', '```python', ' id=', 'id=a', 'id=b', ' from=a', ' from="x y"', "'", '"', '`',
	'\n', '\r\n', '\r', ' ', '\t', '---', 'title: t', '{', '}', '[', ']', ':', ',', '"marks"', '"type"', '"dot"', '"data"', '"x"', '"method"',
	'"columns"', '"task"', '"model"', '"samples"', '"__proto__"', '"constructor"', 'true', 'null', '-0', '1e999', '0.5', '\\', '\\u', '\\ud800',
	'--', '/*', '*/', ';', '$$', '$tag$', 'E\'', 'SELECT', 'FROM', 'WITH', 'AS', '(', ')', '.', 'main', 'a', 'b', '\u0000', '\uD800', '\uDC00',
	'\uFEFF', '\u202E', '😀', 'é', '\u2028'
] as const;

function randomText(r: Rng, maxPieces = 60): string {
	let out = '';
	const n = r.int(maxPieces);
	for (let k = 0; k < n; k++) out += r.next() < 0.85 ? r.pick(PIECES) : String.fromCharCode(r.int(0x10000));
	return out;
}

/** Deep or unbalanced nesting, the shapes that overflow a recursive reader. */
function deepText(r: Rng): string {
	const depth = r.pick([MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH, MAX_JSON_DEPTH + 1, 1000, 5000]);
	const open = r.pick(['[', '{"a":', '[{"marks":', '/*', '(']);
	const close = open === '[' ? ']' : open.startsWith('{') ? '}' : open === '/*' ? '*/' : ')';
	return open.repeat(depth) + (r.next() < 0.5 ? '1' + close.repeat(r.next() < 0.5 ? depth : r.int(depth)) : '');
}

/** A notebook-shaped text: front matter, prose and fenced cells with random bodies. */
function randomNotebook(r: Rng): string {
	const eol = () => r.pick(['\n', '\n', '\r\n', '\r']);
	let out = r.next() < 0.3 ? `---${eol()}title: ${randomText(r, 3)}${eol()}---${eol()}` : '';
	const cells = r.int(7);
	for (let k = 0; k < cells; k++) {
		if (r.next() < 0.3) out += randomText(r, 8) + eol();
		const kind = r.pick(['sql', 'plot', 'stats', 'run', 'python', '']);
		const attrs = [r.next() < 0.8 ? `id=${r.pick(['a', 'b', 'c', 'A', '1x', 'a b'])}` : '', r.next() < 0.4 ? `from=${r.pick(['a', 'b', 'c', 'zz'])}` : '']
			.filter(Boolean)
			.join(' ');
		const fence = r.pick(['```', '````', '~~~']);
		const body = r.next() < 0.1 ? deepText(r) : kind === 'sql' ? r.pick(['SELECT * FROM a', 'ROWS {"x": [1, 2]}', 'FAIL', '']) + randomText(r, 6) : randomText(r, 20);
		out += `${fence}${kind} ${attrs}${eol()}${body}${eol()}${r.next() < 0.9 ? fence : ''}${eol()}`;
	}
	return out;
}

const SEEDS = Array.from({ length: 300 }, (_, k) => k + 1);

describe('the notebook parser', () => {
	it('never throws, gives the file back byte for byte, and puts every diagnostic on a line of the file', () => {
		for (const seed of SEEDS) {
			const r = rng(seed);
			const text = r.next() < 0.7 ? randomNotebook(r) : randomText(r, 200);
			const doc = parseNotebook(text);
			expect(serializeNotebook(doc), `seed ${seed}`).toBe(text);
			const lines = text.split(/\r\n|\n/).length;
			for (const d of doc.diagnostics) {
				expect(d.line, `seed ${seed}: ${d.message}`).toBeGreaterThanOrEqual(1);
				expect(d.line, `seed ${seed}: ${d.message}`).toBeLessThanOrEqual(lines);
			}
			// The graph of any parse: no exception, every code cell ordered exactly once.
			const graph = buildGraph(doc.cells, ['t']);
			const code = doc.cells.flatMap((c, i) => (c.fence ? [i] : []));
			expect([...graph.order].sort((a, b) => a - b), `seed ${seed}`).toEqual(code);
			// An edit that changes nothing but the line endings writes nothing.
			doc.cells.forEach((cell, index) => {
				const asEditorShowsIt = cell.source.split(/\r\n|\r|\n/).join('\n');
				expect(replaceCellSource(text, index, asEditorShowsIt), `seed ${seed} cell ${index}`).toBe(text);
			});
		}
	});

	it('runs any notebook to a result per code cell, each failure with a line', async () => {
		for (const seed of SEEDS.slice(0, 120)) {
			const r = rng(seed * 7919);
			const doc = parseNotebook(randomNotebook(r));
			const engine = new FakeEngine({ t: { x: [1, 2, 3] } });
			const report = await runNotebook(doc, engine, { runs: { plan: async () => ({ generationRunId: 'g', judgeRunId: null }) } });
			expect(report.results.length, `seed ${seed}`).toBe(doc.cells.filter((c) => c.fence).length);
			for (const result of report.results) {
				if (result.status === 'ok') continue;
				expect(result.error?.message, `seed ${seed}`).toBeTruthy();
				expect(result.error?.line, `seed ${seed}: ${result.error?.message}`).toBeGreaterThanOrEqual(1);
			}
		}
	});
});

describe('the SQL tokenizer and splitter', () => {
	it('never throw, lose no character, and split only where a token is a top-level ;', () => {
		for (const seed of SEEDS) {
			const r = rng(seed * 31);
			const sql = r.next() < 0.1 ? deepText(r) : randomText(r, 120);
			const tokens = tokenizeSql(sql);
			expect(tokens.map((t) => t.text).join(''), `seed ${seed}`).toBe(sql);
			// Plain loops, one expect each: per-token expects would dominate the time.
			const gap = tokens.findIndex((t, k) => t.start !== (k === 0 ? 0 : tokens[k - 1].end) || t.end !== t.start + t.text.length);
			expect(gap, `seed ${seed}`).toBe(-1);
			const longComment = tokens.find((t) => t.type === 'comment' && t.text.startsWith('--') && /[\r\n]/.test(t.text));
			expect(longComment, `seed ${seed}: a -- comment ends at CR or LF`).toBeUndefined();
			const { statements } = splitStatements(sql);
			expect(statements.every((st) => sql.slice(st.start, st.start + st.text.length) === st.text), `seed ${seed}`).toBe(true);
			expect(() => sqlReferences(sql, ['a', 'b', 'main'], 'c')).not.toThrow();
		}
	});
});

describe('the JSON-with-positions parser', () => {
	it('agrees with JSON.parse on every input within the depth limit, and locates every error', () => {
		for (const seed of SEEDS) {
			const r = rng(seed * 101);
			const text = r.next() < 0.2 ? deepText(r) : randomText(r, 40);
			const ours = parseJson(text);
			let native: { ok: true; value: unknown } | { ok: false };
			try {
				native = { ok: true, value: JSON.parse(text) };
			} catch {
				native = { ok: false };
			}
			if (ours.ok) {
				expect(native, `seed ${seed}: ${JSON.stringify(text)}`).toEqual({ ok: true, value: ours.value });
				expect(Object.getPrototypeOf(ours.value ?? 0) === null, `seed ${seed}`).toBe(false);
			} else {
				const { line, column, offset } = ours.error;
				expect(line, `seed ${seed}`).toBeGreaterThanOrEqual(1);
				expect(column, `seed ${seed}`).toBeGreaterThanOrEqual(1);
				expect(offset, `seed ${seed}`).toBeLessThanOrEqual(text.length);
				// Either JSON.parse also refuses it, or ours refused it for a documented reason.
				if (native.ok) expect(ours.error.message, `seed ${seed}: ${JSON.stringify(text)}`).toMatch(/nested deeper than|duplicate key/);
			}
		}
	});

	it('keeps "__proto__" as data', () => {
		const parsed = parseJson('{"__proto__": {"polluted": true}}');
		expect(parsed.ok && Object.keys(parsed.value as object)).toEqual(['__proto__']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(parsed.ok && Object.getPrototypeOf(parsed.value)).toBe(Object.prototype);
	});
});

describe('the spec parsers', () => {
	const parsers: [string, (s: string) => { errors: { line?: number; message: string }[]; spec: unknown }][] = [
		['plot', parsePlotSpec],
		['stats', parseStatsSpec],
		['run', parseRunSpec],
		...cellKinds().map((k) => [`${k.name} kind`, (s: string) => k.parse(s)] as [string, (s: string) => { errors: { line?: number; message: string }[]; spec: unknown }])
	];

	it('never throw: a spec, or errors that each name a line in the body', () => {
		for (const seed of SEEDS) {
			const r = rng(seed * 7);
			const roll = r.next();
			const body =
				roll < 0.2
					? deepText(r)
					: roll < 0.6
						? randomText(r, 80)
						: `{"marks": [{"type": ${r.pick(['"dot"', '"barY"', '"text"', '1', '[]'])}, "x": ${r.pick(['"a"', '{}', '[[[]]]', 'null'])}}], "method": ${r.pick(['"spearman"', '2'])}, "columns": ${r.pick(['["a", "b"]', '[]', '"a"'])}, "task": ${r.pick(['"completion"', '"x"'])}, "model": "m", "samples": ${r.pick(['1', '1e9', '-1', '0.5'])}}`;
			const lines = body.split('\n').length;
			for (const [name, parse] of parsers) {
				const { spec, errors } = parse(body);
				if (spec !== null && errors.length === 0) continue;
				expect(errors.length, `seed ${seed} ${name}`).toBeGreaterThan(0);
				for (const e of errors) {
					expect(e.line, `seed ${seed} ${name}: ${e.message}`).toBeGreaterThanOrEqual(1);
					expect(e.line, `seed ${seed} ${name}: ${e.message}`).toBeLessThanOrEqual(lines);
				}
			}
		}
	});
});

describe('100000 levels of nesting (the shape that overflowed the stack)', () => {
	it('is a located error or a valid result for every reader', async () => {
		for (const open of ['[', '{"a":']) {
			const body = open.repeat(100_000);
			expect(parseJson(body).ok).toBe(false);
			for (const kind of cellKinds()) expect(() => kind.parse(body), kind.name).not.toThrow();
			expect(tokenizeSql(body).length).toBeGreaterThan(0);
			const doc = parseNotebook('```plot id=p\n' + body + '\n```\n\n```sql id=s\n' + body + '\n```\n');
			const report = await runNotebook(doc, new FakeEngine());
			expect(report.results.map((r) => [r.cellId, r.status, r.error?.line])).toEqual([
				['p', 'error', 2],
				['s', 'error', 6]
			]);
		}
	});
});

describe('the file decoder', () => {
	it('decodes exactly what a strict UTF-8 decoder accepts (without NUL), and refuses the rest with its own error', () => {
		const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
		for (const seed of SEEDS) {
			const r = rng(seed * 13);
			const bytes =
				r.next() < 0.5
					? Uint8Array.from({ length: r.int(64) }, () => r.int(256))
					: new TextEncoder().encode(randomText(r, 40)).map((b) => (r.next() < 0.03 ? r.int(256) : b));
			let expected: string | null;
			try {
				expected = strict.decode(bytes);
				if (expected.includes('\u0000')) expected = null;
			} catch {
				expected = null;
			}
			let ours: string | null = null;
			try {
				ours = decodeNotebook(bytes, 'f.md');
			} catch (e) {
				expect(e, `seed ${seed}`).toBeInstanceOf(NotebookDecodeError);
				expect((e as Error).message, `seed ${seed}`).toMatch(/^f\.md:\d+: /);
			}
			expect(ours, `seed ${seed}`).toBe(expected);
		}
	});
});

describe('line endings', () => {
	it('restoring the original endings on editor-normalised text gives the original back', () => {
		for (const seed of SEEDS) {
			const r = rng(seed * 17);
			const text = randomText(r, 50);
			expect(restoreLineEndings(text, text.split(/\r\n|\r|\n/).join('\n'), '\n'), `seed ${seed}`).toBe(text);
		}
	});
});
