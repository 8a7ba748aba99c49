// Cell kinds as modules (notebook/cells/): the parser, the diagnostics, the graph, the executor and
// edits all read the list, so a kind is one module plus one line — shown here by registering a
// toy kind from the test and using it through every layer without touching any of them.
import { afterEach, describe, expect, it } from 'vitest';
import { parseNotebook, renderCell } from '../../../src/lib/notebook/format.ts';
import { buildGraph } from '../../../src/lib/notebook/graph.ts';
import { runNotebook, type RunHost } from '../../../src/lib/notebook/executor.ts';
import { insertCell, renameCell } from '../../../src/lib/notebook/edit.ts';
import { cellKind, cellKinds, registerCellKind } from '../../../src/lib/notebook/cells/index.ts';
import { CellError, specErrors, type CellKindModule } from '../../../src/lib/notebook/cells/kind.ts';
import { parseJson } from '../../../src/lib/core/json/parse.ts';
import { MAX_JSON_DEPTH } from '../../../src/lib/core/json/parse.ts';
import { FakeEngine } from './fake-engine.ts';

const cell = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n';
const host: RunHost = { plan: async () => ({ generationRunId: 'g', judgeRunId: null }) };

describe('the list of kinds', () => {
	it('holds the five built-in kinds, each saying what the rest needs', () => {
		expect(cellKinds().map((k) => [k.name, k.needsId, k.yieldsTable, k.fenced, k.language])).toEqual([
			['sql', true, true, true, 'sql'],
			['plot', true, false, true, 'json'],
			['stats', true, true, true, 'json'],
			['run', true, true, true, 'json'],
			['markdown', false, false, false, 'markdown']
		]);
		for (const kind of cellKinds()) {
			expect(kind.description).toMatch(/^[^\n]{10,120}$/);
			expect(typeof kind.parse(kind.newSource)).toBe('object');
			expect(!!kind.execute).toBe(kind.fenced);
		}
	});

	it('a new cell of each kind is the text its module gives', () => {
		const text = insertCell('', 0, { kind: 'run', id: 'r', source: cellKind('run')!.newSource });
		expect(text).toBe('```run id=r\n{"task": "completion", "model": "endpoint/model", "limit": 5}\n```\n');
		expect(cellKind('run')!.parse(cellKind('run')!.newSource).errors).toEqual([]);
		expect(cellKind('sql')!.parse(cellKind('sql')!.newSource).errors).toEqual([]);
	});
});

describe('a run cell without an id', () => {
	const doc = parseNotebook(cell('sql id=a', 'ROWS {"x": [1]}') + '\n' + cell('run', '{"task": "completion", "model": "m"}'));

	it('is a diagnostic on that cell, with its line', () => {
		expect(doc.cells[1].diagnostics).toEqual([
			{ severity: 'error', line: 5, field: 'id', message: 'run cell on line 5 has no id (add id=name to the fence line)' }
		]);
	});

	it('fails on its own when run, instead of crashing the run', async () => {
		const report = await runNotebook(doc, new FakeEngine(), { runs: host });
		expect(report.results.map((r) => [r.cellId, r.kind, r.status, r.error?.line])).toEqual([
			['a', 'sql', 'ok', undefined],
			[null, 'run', 'error', 5]
		]);
		expect(report.results[1].error?.message).toBe('run cell on line 5 has no id (add id=name to the fence line)');
	});
});

describe('deeply nested JSON in a cell', () => {
	const deep = '{"marks":\n' + '['.repeat(100_000);
	const doc = parseNotebook(cell('sql id=a', 'ROWS {"x": [1]}') + '\n' + cell('plot id=p from=a', deep) + '\n' + cell('stats id=s from=a', deep));

	it('does not take the graph down', () => {
		expect(() => buildGraph(doc.cells)).not.toThrow();
	});

	it('is an error on its cell naming the line and the limit; the other cells run', async () => {
		const report = await runNotebook(doc, new FakeEngine());
		expect(report.results.map((r) => [r.cellId, r.status, r.error?.line])).toEqual([
			['a', 'ok', undefined],
			['p', 'error', 7],
			['s', 'error', 12]
		]);
		for (const r of report.results.slice(1)) {
			expect(r.error?.message).toBe(`invalid JSON at line 2, column ${MAX_JSON_DEPTH}: nested deeper than ${MAX_JSON_DEPTH} levels (the limit for arrays and objects)`);
		}
	});
});

/**
 * A toy kind, `series`: {"n": 3} becomes a table named by its id with a column i = 0, 1, 2, and
 * "scale": "<table>" reads another cell. Everything the notebook does with it comes from here.
 */
const series: CellKindModule<{ n: number; scale?: string }> = {
	name: 'series',
	description: 'the integers 0..n-1 as a table (a test kind)',
	fenced: true,
	needsId: true,
	yieldsTable: true,
	language: 'json',
	newSource: '{"n": 3}',
	parse(source) {
		const parsed = parseJson(source);
		if (!parsed.ok) return { spec: null, errors: [{ message: parsed.error.message, line: parsed.error.line }] };
		const v = parsed.value as { n?: unknown; scale?: unknown };
		if (typeof v.n !== 'number') return { spec: null, errors: [{ message: '"n" must be a number', line: 1 }] };
		return { spec: { n: v.n, ...(typeof v.scale === 'string' ? { scale: v.scale } : {}) }, errors: [] };
	},
	references(cell) {
		const parsed = series.parse(cell.source);
		return parsed.spec?.scale ? [{ name: parsed.spec.scale, via: 'data', line: 1 }] : [];
	},
	renameInSource: (source, oldId, newId) => source.replace(`"scale": "${oldId}"`, `"scale": "${newId}"`),
	async execute(ctx, c) {
		const { spec, errors } = series.parse(c.source);
		if (!spec) throw specErrors(errors, c);
		if (spec.n > 1000) throw new CellError('n is at most 1000', c.sourceLine);
		await ctx.prepare(c.id!, 'table');
		await ctx.engine.registerRows(c.id!, { i: Array.from({ length: spec.n }, (_, k) => k) });
		ctx.created(c.id!, 'table');
		const table = await ctx.engine.query(`SELECT * FROM "${c.id}"`);
		return { table, rowCount: table.numRows };
	}
};

describe('adding a kind is one module and one list line', () => {
	let unregister: (() => void) | undefined;
	afterEach(() => {
		unregister?.();
		unregister = undefined;
	});
	const text = [
		cell('sql id=base', 'ROWS {"x": [1, 2]}'),
		cell('series id=nums', '{"n": 4, "scale": "base"}'),
		cell('sql id=top', 'SELECT * FROM nums WHERE i > 1'),
		cell('series', '{"n": 1}')
	].join('\n');

	it('is not a cell before it is registered: its fence stays markdown', () => {
		expect(parseNotebook(text).cells.map((c) => c.kind)).toEqual(['sql', 'markdown', 'sql', 'markdown']);
	});

	it('once registered, the parser, diagnostics, graph, executor, edits and list all use it', async () => {
		unregister = registerCellKind(series as CellKindModule);
		expect(() => registerCellKind(series as CellKindModule)).toThrow('cell kind "series" already exists');
		const doc = parseNotebook(text);
		expect(doc.cells.map((c) => c.kind)).toEqual(['sql', 'series', 'sql', 'series']);
		// needsId
		expect(doc.cells[3].diagnostics.map((d) => d.message)).toEqual(['series cell on line 13 has no id (add id=name to the fence line)']);
		// references and yieldsTable: top reads nums, nums reads base
		const graph = buildGraph(doc.cells);
		expect(graph.upstream.get(1)).toEqual([0]);
		expect(graph.upstream.get(2)).toEqual([1]);
		// execute
		const report = await runNotebook(doc, new FakeEngine());
		expect(report.results.map((r) => [r.cellId, r.kind, r.status, r.rowCount ?? null])).toEqual([
			['base', 'sql', 'ok', 2],
			['nums', 'series', 'ok', 4],
			['top', 'sql', 'ok', 2],
			[null, 'series', 'error', null]
		]);
		// new cells and renames
		expect(renderCell({ kind: 'series', id: 'more', source: series.newSource })).toBe('```series id=more\n{"n": 3}\n```\n');
		const renamed = renameCell(text, 0, 'origin');
		expect(renamed).toContain('```series id=nums\n{"n": 4, "scale": "origin"}\n```');
		expect(cellKinds().map((k) => k.name)).toEqual(['sql', 'plot', 'stats', 'run', 'series', 'markdown']);
	});
});
