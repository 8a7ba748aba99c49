import { describe, it, expect } from 'vitest';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';
import { runNotebook, executeNotebook, NotebookRunner, newExecutionState, type CellResult } from '../../../src/lib/notebook/executor.ts';
import { FakeEngine } from './fake-engine.ts';

const cell = (info: string, body: string) => '```' + info + '\n' + body + '\n```\n';
const nb = (...parts: string[]) => parseNotebook(parts.join('\n'));
const brief = (r: CellResult) => [r.cellId, r.status, r.rowCount ?? null];

const PAPER = () => ({ paper: { model: ['m1', 'm2', 'm3', 'm4'], a: [1, 2, 3, 4], b: [1, 3, 2, 4] } });

describe('a full run', () => {
	const doc = nb(
		'# Title\n',
		cell('plot id=fig from=top', '{"marks": [{"type": "dot", "x": "a", "y": "b", "fill": "steelblue"}, {"type": "ruleY", "data": "paper", "y": "a"}]}'),
		cell('sql id=top', 'SELECT * FROM base WHERE a > 1;'),
		cell('sql id=base', 'SELECT * FROM paper'),
		cell('stats id=corr from=top', '{"method": "spearman", "columns": ["a", "b"], "resamples": 50}'),
		cell('run id=r1', '{"task": "completion", "model": "m"}')
	);

	it('runs cells upstream first, file order otherwise, markdown yields nothing', async () => {
		const engine = new FakeEngine(PAPER());
		const report = await runNotebook(doc, engine);
		expect(report.cancelled).toBe(false);
		expect(report.results.map(brief)).toEqual([
			['base', 'ok', 4],
			['top', 'ok', 3],
			['fig', 'ok', 3],
			['corr', 'ok', 4],
			['r1', 'error', null]
		]);
		// No RunHost given: a run cell says what it needs instead of guessing run ids.
		expect(report.results[4].error?.message).toBe('run cells need the workbench server or the covw CLI to name their runs');
	});

	it('turns sql cells into views (one trailing ; stripped) and reads them back', async () => {
		const engine = new FakeEngine(PAPER());
		await runNotebook(doc, engine);
		expect(engine.log).toContain('CREATE OR REPLACE VIEW "top" AS SELECT * FROM base WHERE a > 1');
		expect(engine.log).toContain('SELECT * FROM "top"');
		expect(engine.relations.get('top')?.kind).toBe('view');
	});

	it('stats cells register a long-format table under their id', async () => {
		const engine = new FakeEngine(PAPER());
		const { results } = await runNotebook(doc, engine);
		const stats = results.find((r) => r.cellId === 'corr')!;
		expect(stats.table!.schema.fields.map((f) => f.name)).toEqual([
			'x', 'y', 'method', 'estimate', 'ci_low', 'ci_high', 'n', 'rows_dropped', 'resamples', 'resamples_dropped', 'ci_note', 'seed', 'level'
		]);
		expect(engine.relations.get('corr')?.kind).toBe('table');
		// top keeps rows a = 2, 3, 4 with b = 3, 2, 4: Spearman rho = 0.5 (by hand: d = (-1, 1, 0), 1 - 6*2/(3*8)).
		expect(stats.table!.getChild('estimate')!.get(1)).toBeCloseTo(0.5, 12);
		expect(stats.table!.getChild('n')!.get(1)).toBe(3);
	});

	it('plot cells yield the validated spec and each table it reads', async () => {
		const { results } = await runNotebook(doc, new FakeEngine(PAPER()));
		const plot = results.find((r) => r.cellId === 'fig')!.plot!;
		expect(plot.from).toBe('top');
		expect(Object.keys(plot.data).sort()).toEqual(['paper', 'top']);
		expect(plot.data.top.numRows).toBe(3);
		expect(plot.spec.marks[0]).toEqual({ type: 'dot', x: 'a', y: 'b', fill: 'steelblue' });
	});

	it('delivers results incrementally, through the callback and the async iterator', async () => {
		const engine = new FakeEngine(PAPER());
		const order: string[] = [];
		const done = runNotebook(doc, engine, { onResult: (r) => order.push(`${r.cellId}@${engine.log.length}`) });
		await done;
		// each result arrives before the next cell's engine calls
		const logAt = order.map((s) => Number(s.split('@')[1]));
		expect(logAt).toEqual([...logAt].sort((a, b) => a - b));
		expect(new Set(logAt).size).toBeGreaterThan(2);
		const ids: (string | null)[] = [];
		for await (const r of executeNotebook(doc, new FakeEngine(PAPER()))) ids.push(r.cellId);
		expect(ids).toEqual(['base', 'top', 'fig', 'corr', 'r1']);
	});
});

describe('failures', () => {
	it('a failing cell blocks its downstream (naming it) and not the independent cells', async () => {
		const doc = nb(
			cell('sql id=a', 'SELECT * FROM paper'),
			cell('sql id=bad', '-- comment line\nFAIL'),
			cell('sql id=c', 'SELECT * FROM bad'),
			cell('plot id=p from=c', '{"marks": []}'),
			cell('sql id=d', 'SELECT * FROM a')
		);
		const { results } = await runNotebook(doc, new FakeEngine(PAPER()));
		expect(results.map(brief)).toEqual([
			['a', 'ok', 4],
			['bad', 'error', null],
			['c', 'blocked', null],
			['p', 'blocked', null],
			['d', 'ok', 4]
		]);
		// the error's LINE 2 of the statement is file line 7 (fence on 5, body from 6)
		expect(results[1].error).toEqual({ message: expect.stringContaining('syntax error at or near "FAIL"'), line: 7 });
		expect(results[2].error?.message).toBe('Not run: upstream cell "bad" (line 5) failed');
		expect(results[3].error?.message).toBe('Not run: upstream cell "bad" (line 5) failed');
		// What a page shows instead of a second error: the cell it waits for (the root, not c).
		expect(results[2].waitsFor).toEqual({ name: 'bad', line: 5 });
		expect(results[3].waitsFor).toEqual({ name: 'bad', line: 5 });
		expect(results[1].waitsFor).toBeUndefined();
	});

	it('a cell that worked before and now fails leaves no view behind', async () => {
		const engine = new FakeEngine(PAPER());
		const state = newExecutionState();
		await runNotebook(nb(cell('sql id=a', 'SELECT * FROM paper')), engine, { state });
		expect(engine.relations.has('a')).toBe(true);
		const { results } = await runNotebook(nb(cell('sql id=a', 'FAIL')), engine, { state });
		expect(results[0].status).toBe('error');
		expect(engine.relations.has('a')).toBe(false);
	});

	it('more than one statement, empty cells, id and graph problems are cell errors with lines', async () => {
		const doc = nb(
			cell('sql id=two', 'SELECT 1;\nSELECT 2;'),
			cell('sql id=empty', '-- nothing'),
			cell('sql', 'SELECT 1'),
			cell('sql id=x', 'SELECT * FROM y'),
			cell('sql id=y', 'SELECT * FROM x'),
			cell('plot id=p from=ghost', '{"marks": []}'),
			cell('plot id=q from=paper', '{"marks": [\n{"type": "dot", "x": "model", "y": "nope"}]}'),
			cell('stats id=s', '{"method": "spearman", "columns": ["a"]}')
		);
		const { results } = await runNotebook(doc, new FakeEngine(PAPER()));
		const errors = results.map((r) => [r.cellId, r.status, r.error?.line, r.error?.message.split('\n')[0]]);
		expect(errors).toEqual([
			['two', 'error', 3, 'sql cell "two" holds 2 statements; a cell is one query (it becomes a view). The second starts on line 3.'],
			['empty', 'error', 6, 'sql cell "empty" is empty'],
			[null, 'error', 10, 'sql cell on line 10 has no id (add id=name to the fence line)'],
			['x', 'error', 14, 'cycle: x → y → x'],
			['y', 'error', 18, 'cycle: y → x → y'],
			['p', 'error', 22, 'from= "ghost": no cell or table has that name'],
			['q', 'error', 28, 'mark 1 (dot): channel "y": no column "nope" in paper — columns: model, a, b'],
			['s', 'error', 31, 'stats cell "s" needs from=<view> on its fence line']
		]);
	});
});

describe('partial runs and state', () => {
	const doc = nb(
		cell('sql id=a', 'SELECT * FROM paper'),
		cell('sql id=b', 'SELECT * FROM a WHERE a > 2'),
		cell('plot id=p from=b', '{"marks": [{"type": "dot", "x": "a", "y": "b"}]}'),
		cell('sql id=other', 'SELECT * FROM paper')
	);

	it('runs one cell and its downstream only', async () => {
		const engine = new FakeEngine(PAPER());
		const state = newExecutionState();
		await runNotebook(doc, engine, { state });
		engine.log.length = 0;
		const { results } = await runNotebook(doc, engine, { state, only: 'b' });
		expect(results.map(brief)).toEqual([
			['b', 'ok', 2],
			['p', 'ok', 2]
		]);
		expect(engine.log.some((s) => s.includes('"a" AS') || s.includes('"other"'))).toBe(false);
	});

	it('a partial run below a cell that failed last time is blocked', async () => {
		const engine = new FakeEngine(PAPER());
		const state = newExecutionState();
		const broken = nb(cell('sql id=a', 'FAIL'), cell('sql id=b', 'SELECT * FROM a'));
		await runNotebook(broken, engine, { state });
		const { results } = await runNotebook(broken, engine, { state, only: 1 });
		expect(results.map(brief)).toEqual([['b', 'blocked', null]]);
	});

	it('drops views of cells that were removed, so nothing reads them by accident', async () => {
		const engine = new FakeEngine(PAPER());
		const state = newExecutionState();
		await runNotebook(doc, engine, { state });
		const after = nb(cell('sql id=a', 'SELECT * FROM paper'), cell('plot id=p from=b', '{"marks": []}'));
		const { results } = await runNotebook(after, engine, { state });
		expect(engine.relations.has('b')).toBe(false);
		expect(engine.relations.has('other')).toBe(false);
		expect(engine.relations.has('paper')).toBe(true);
		expect(results[1].error?.message).toBe('from= "b": no cell or table has that name');
	});

	it('a cell that changes kind replaces the stats table with a view', async () => {
		const engine = new FakeEngine(PAPER());
		const state = newExecutionState();
		await runNotebook(nb(cell('stats id=s from=paper', '{"method": "kendall", "columns": ["a", "b"], "resamples": 20}')), engine, { state });
		expect(engine.relations.get('s')?.kind).toBe('table');
		const { results } = await runNotebook(nb(cell('sql id=s', 'SELECT * FROM paper')), engine, { state });
		expect(results.map(brief)).toEqual([['s', 'ok', 4]]);
		expect(engine.log).toContain('DROP TABLE IF EXISTS "s"');
	});
});

describe('cancellation', () => {
	const doc = nb(cell('sql id=a', 'SELECT * FROM paper'), cell('sql id=b', 'SELECT * FROM a'), cell('sql id=c', 'SELECT * FROM b'));

	it('an aborted signal stops the run after the current cell', async () => {
		const controller = new AbortController();
		const report = await runNotebook(doc, new FakeEngine(PAPER()), {
			signal: controller.signal,
			onResult: (r) => r.cellId === 'a' && controller.abort()
		});
		expect(report.cancelled).toBe(true);
		expect(report.results.map((r) => r.cellId)).toEqual(['a']);
	});

	it('a newer run supersedes an older one; runs never interleave on the engine', async () => {
		const engine = new FakeEngine(PAPER());
		engine.delay = 5;
		const runner = new NotebookRunner(engine);
		const firstSeen: string[] = [];
		const first = runner.run(doc, { onResult: (r) => firstSeen.push(r.cellId!) });
		await new Promise((r) => setTimeout(r, 12));
		const second = runner.run(doc);
		const [a, b] = await Promise.all([first, second]);
		expect(a.cancelled).toBe(true);
		expect(a.results.length).toBeLessThan(3);
		expect(firstSeen).toEqual(a.results.map((r) => r.cellId));
		expect(b.cancelled).toBe(false);
		expect(b.results.map(brief)).toEqual([
			['a', 'ok', 4],
			['b', 'ok', 4],
			['c', 'ok', 4]
		]);
		// the second run's first statement comes after everything the first run did
		const secondStart = engine.log.lastIndexOf('CREATE OR REPLACE VIEW "a" AS SELECT * FROM paper');
		// (Each read asks the view's plan first: sql-result-read.ts; the fake engine has none.)
		expect(engine.log.slice(secondStart)).toEqual([
			'CREATE OR REPLACE VIEW "a" AS SELECT * FROM paper',
			'EXPLAIN (FORMAT JSON) SELECT * FROM "a"',
			'SELECT * FROM "a" LIMIT 100000',
			'CREATE OR REPLACE VIEW "b" AS SELECT * FROM a',
			'EXPLAIN (FORMAT JSON) SELECT * FROM "b"',
			'SELECT * FROM "b" LIMIT 100000',
			'CREATE OR REPLACE VIEW "c" AS SELECT * FROM b',
			'EXPLAIN (FORMAT JSON) SELECT * FROM "c"',
			'SELECT * FROM "c" LIMIT 100000'
		]);
	});
});

describe('static errors first (the page)', () => {
	// A slow query above must not hold back the errors known before anything runs: a cycle, an
	// unknown mark, a from= that names nothing (trial: 17 s of no error behind a 3M-row cell).
	const doc = nb(
		cell('sql id=slow', 'SELECT * FROM paper'),
		cell('plot id=bad_plot from=slow', '{"marks": [{"type": "explode", "x": "a"}]}'),
		cell('sql id=loop_a', 'SELECT * FROM loop_b'),
		cell('sql id=loop_b', 'SELECT * FROM loop_a'),
		cell('stats id=bad_stats from=nowhere', '{"method": "spearman", "columns": ["a", "b"]}'),
		cell('sql id=after', 'SELECT * FROM slow')
	);

	it('reports every static error before the first cell runs, then the rest in order', async () => {
		const engine = new FakeEngine(PAPER());
		const seen: string[] = [];
		for await (const r of executeNotebook(doc, engine, { staticErrorsFirst: true })) seen.push(`${r.cellId}:${r.status}@${engine.log.filter((l) => l.includes('"slow"') && !l.startsWith('EXPLAIN')).length}`);
		expect(seen).toEqual(['bad_plot:error@0', 'loop_a:error@0', 'loop_b:error@0', 'bad_stats:error@0', 'slow:ok@2', 'after:ok@2']);
	});

	it('gives the same results as a plain run, only sooner; the CLI keeps file order', async () => {
		const first = await runNotebook(doc, new FakeEngine(PAPER()), { staticErrorsFirst: true });
		const plain = await runNotebook(doc, new FakeEngine(PAPER()));
		const byId = (rs: CellResult[]) => Object.fromEntries(rs.map((r) => [r.cellId, [r.status, r.error?.message ?? null, r.rowCount ?? null]]));
		expect(byId(first.results)).toEqual(byId(plain.results));
		expect(plain.results.map((r) => r.cellId)).toEqual(['slow', 'bad_plot', 'loop_a', 'loop_b', 'bad_stats', 'after']);
	});
});

describe('a large sql result', () => {
	it('stays in the engine: the page gets the first SHOWN_ROWS rows and the exact count', async () => {
		const { SHOWN_ROWS } = await import('../../../src/lib/notebook/cells/sql.ts');
		const n = SHOWN_ROWS + 5;
		const engine = new FakeEngine({ big: { i: Array.from({ length: n }, (_, k) => k) } });
		const { results } = await runNotebook(nb(cell('sql id=huge', 'SELECT * FROM big')), engine);
		expect(results[0].rowCount).toBe(n);
		expect(results[0].table!.numRows).toBe(SHOWN_ROWS);
		expect(engine.log).toContain(`SELECT * FROM "huge" LIMIT ${SHOWN_ROWS}`);
		expect(engine.log).toContain('SELECT count(*) AS n FROM "huge"');
	});
	it('a result under the limit is read once, whole, with no count', async () => {
		const engine = new FakeEngine(PAPER());
		const { results } = await runNotebook(nb(cell('sql id=s', 'SELECT * FROM paper')), engine);
		expect([results[0].rowCount, results[0].table!.numRows]).toEqual([4, 4]);
		expect(engine.log.some((l) => l.startsWith('SELECT count(*)'))).toBe(false);
	});
});
