// `covw notebook run` called through its run(ctx) with a fake context, on notebooks and data
// folders written to temporary folders by the tests (our own fixtures).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import { CliError } from '../../../src/cli/command.ts';
import { fakeContext } from './fake-context.ts';

const FENCE = '```';
// Each run starts a fresh duckdb-wasm engine: seconds on a busy 2-core machine.
const SLOW = { timeout: 120_000 };
const cell = (info: string, body: string) => `${FENCE}${info}\n${body}\n${FENCE}\n`;

// Prose, a data-reading chain, a failing cell with two cells downstream of it, a stats cell
// written before the view it reads, a cell reading a table whose CSV is broken, and a plot.
const MAIN_NOTEBOOK = [
	'---',
	'title: Fixture notebook',
	'---',
	'Some prose that is a markdown cell.',
	'',
	cell('sql id=fruit', 'SELECT name, price, qty FROM shop ORDER BY name'),
	cell('sql id=expensive', 'SELECT name FROM fruit WHERE price > 1.5'),
	cell('sql id=broken', 'SELECT name,\n       no_such_column\nFROM fruit'),
	cell('sql id=after_broken', 'SELECT count(*) AS n FROM broken'),
	cell('plot id=chart from=after_broken', '{"marks": [{"type": "dot", "x": "n", "y": "n"}]}'),
	cell('stats id=rho from=pairs', '{"method": "spearman", "columns": ["x", "y"], "resamples": 50, "seed": 7}'),
	cell('sql id=pairs', 'SELECT * FROM (VALUES (1, 2), (2, 1), (3, 4), (4, 3), (5, 5)) AS t(x, y)'),
	cell('sql id=from_bad_file', 'SELECT * FROM ragged'),
	cell('plot id=price_plot from=fruit', '{"marks": [{"type": "barX", "x": "price", "y": "name"}]}')
].join('\n');

const SHOP_CSV = 'name,price,qty\nbanana,0.5,12\ncherry,4,100\napple,1.25,3\n';
const RAGGED_CSV = 'a,b,c\n1,2,3\n4,5\n'; // line 3 is one field short

/** 1-based line of the first line of `text` equal to `line` (computed here, not by the parser). */
function lineNumber(text: string, line: string): number {
	const index = text.split('\n').indexOf(line);
	if (index < 0) throw new Error(`fixture has no line ${JSON.stringify(line)}`);
	return index + 1;
}

let work: string;
let emptyRoot: string;

async function runIn(args: string[], env?: Record<string, string>) {
	const ctx = fakeContext(args, { root: emptyRoot, cwd: work, env });
	const status = await notebookRunCommand.run(ctx);
	return { status, stdout: ctx.out.join(''), stderr: ctx.err.join('') };
}

// Loose JSON types for reading the report.
interface CellJson {
	id: string;
	kind: string;
	status: string;
	line: number;
	rowCount: number | null;
	columns: { name: string; type: string }[];
	rows: Record<string, unknown>[];
	truncated: boolean;
	plot?: { spec: { marks: { type: string }[] }; from: string | null; data: string[] };
	error?: { message: string; line?: number };
	ms: number;
}
interface ReportJson {
	notebook: string;
	title?: string;
	tables: { name: string; rows: number; error?: string }[];
	cells: CellJson[];
	ok: boolean;
}

beforeAll(async () => {
	work = await mkdtemp(join(tmpdir(), 'covw-nb-run-'));
	emptyRoot = await mkdtemp(join(tmpdir(), 'covw-nb-root-'));
	await mkdir(join(work, 'data'));
	await writeFile(join(work, 'data', 'shop.csv'), SHOP_CSV);
	await writeFile(join(work, 'data', 'ragged.csv'), RAGGED_CSV);
	await writeFile(join(work, 'main.md'), MAIN_NOTEBOOK);
	await writeFile(
		join(work, 'huge.md'),
		cell('sql id=huge', 'SELECT range AS i FROM range(100005)')
	);
	await writeFile(
		join(work, 'rows.md'),
		[cell('sql id=small', 'SELECT range AS i FROM range(25)'), cell('sql id=big', 'SELECT range AS i FROM range(1005)')].join('\n')
	);
});

afterAll(async () => {
	await rm(work, { recursive: true, force: true });
	await rm(emptyRoot, { recursive: true, force: true });
});

describe('covw notebook run --json on a notebook with ok, failing, blocked, stats and plot cells', SLOW, () => {
	let run: { status: number; stdout: string; stderr: string };
	let report: ReportJson;
	const byId = (id: string) => {
		const found = report.cells.find((c) => c.id === id);
		if (!found) throw new Error(`no cell ${id} in the report`);
		return found;
	};

	beforeAll(async () => {
		run = await runIn(['main.md', '--json', '--data', 'data']);
		report = JSON.parse(run.stdout);
	}, SLOW.timeout);

	it('prints one JSON document naming the notebook, its title and the tables', () => {
		expect(report.notebook).toBe('main.md');
		expect(report.title).toBe('Fixture notebook');
		const shop = report.tables.find((t) => t.name === 'shop');
		expect(shop).toEqual({ name: 'shop', file: 'shop.csv', rows: 3 });
	});

	it('reports every code cell, markdown omitted, upstream before downstream', () => {
		const ids = report.cells.map((c) => c.id);
		expect([...ids].sort()).toEqual(
			['after_broken', 'broken', 'chart', 'expensive', 'from_bad_file', 'fruit', 'pairs', 'price_plot', 'rho'].sort()
		);
		expect(ids.indexOf('pairs')).toBeLessThan(ids.indexOf('rho'));
		expect(ids.indexOf('fruit')).toBeLessThan(ids.indexOf('expensive'));
		expect(report.cells.every((c) => c.kind !== 'markdown')).toBe(true);
	});

	it('gives an ok SQL cell its columns, rows as objects, row count and file line', () => {
		const fruit = byId('fruit');
		expect(fruit).toMatchObject({ kind: 'sql', status: 'ok', rowCount: 3, truncated: false });
		expect(fruit.line).toBe(lineNumber(MAIN_NOTEBOOK, '```sql id=fruit'));
		expect(fruit.columns).toEqual([
			{ name: 'name', type: 'Utf8' },
			{ name: 'price', type: 'Float64' },
			{ name: 'qty', type: 'Float64' }
		]);
		expect(fruit.rows).toEqual([
			{ name: 'apple', price: 1.25, qty: 3 },
			{ name: 'banana', price: 0.5, qty: 12 },
			{ name: 'cherry', price: 4, qty: 100 }
		]);
		expect(byId('expensive').rows).toEqual([{ name: 'cherry' }]);
		expect(typeof fruit.ms).toBe('number');
	});

	it('exits 1 and reports a failing cell with DuckDB\'s error and the file line of the bad column', () => {
		expect(run.status).toBe(1);
		expect(report.ok).toBe(false);
		const broken = byId('broken');
		expect(broken.status).toBe('error');
		expect(broken.error?.message).toContain('no_such_column');
		expect(broken.error?.line).toBe(lineNumber(MAIN_NOTEBOOK, '       no_such_column'));
		expect(broken.rows).toEqual([]);
		expect(broken.rowCount).toBeNull();
	});

	it('blocks the cells downstream of the failure, naming the failed cell and its line', () => {
		const brokenLine = lineNumber(MAIN_NOTEBOOK, '```sql id=broken');
		for (const id of ['after_broken', 'chart']) {
			const blocked = byId(id);
			expect(blocked.status).toBe('blocked');
			expect(blocked.error?.message).toContain(`"broken" (line ${brokenLine})`);
		}
		// Cells that do not read the failed one still run.
		expect(byId('expensive').status).toBe('ok');
		expect(byId('price_plot').status).toBe('ok');
	});

	it('outputs a stats cell as a table: Spearman rho of (1..5) vs (2,1,4,3,5) is 0.8', () => {
		// By hand: rank differences -1, 1, -1, 1, 0 → rho = 1 - 6·4 / (5·24) = 0.8.
		const rho = byId('rho');
		expect(rho.status).toBe('ok');
		expect(rho.rowCount).toBe(4);
		const xy = rho.rows.find((r) => r.x === 'x' && r.y === 'y');
		expect(xy).toMatchObject({ method: 'spearman', n: 5, rows_dropped: 0, resamples: 50, seed: 7 });
		expect(xy?.estimate as number).toBeCloseTo(0.8, 12);
		expect(rho.rows.find((r) => r.x === 'x' && r.y === 'x')?.estimate).toBe(1);
	});

	it('gives a plot cell its spec, the data it reads and the row count of its from= table', () => {
		const plot = byId('price_plot');
		expect(plot.status).toBe('ok');
		expect(plot.plot).toEqual({ spec: { marks: [{ type: 'barX', x: 'price', y: 'name' }] }, from: 'fruit', data: ['fruit'] });
		expect(plot.rowCount).toBe(3);
		expect(plot.rows).toEqual([]);
	});

	it('reports a bad CSV on stderr with file and line, loads the rest, and fails only the cell that reads it', () => {
		expect(run.stderr).toContain('ragged.csv line 3: expected 3 fields, found 2');
		const ragged = report.tables.find((t) => t.name === 'ragged');
		expect(ragged?.error).toContain('ragged.csv line 3');
		expect(ragged?.rows).toBe(0);
		const reader = byId('from_bad_file');
		expect(reader.status).toBe('error');
		expect(reader.error?.message).toMatch(/ragged.*does not exist/);
		expect(byId('fruit').status).toBe('ok');
	});
});

describe('covw notebook run without --json', SLOW, () => {
	it('prints each cell with status, row count, an aligned table and errors at file:line', async () => {
		const { status, stdout, stderr } = await runIn(['main.md', '--data', 'data']);
		expect(status).toBe(1);
		expect(stderr).toContain('covw: table ragged not loaded: ragged.csv line 3');
		const lines = stdout.split('\n');
		const fruitHeader = lines.findIndex((l) => l.startsWith('[ok]      sql   fruit  (line '));
		expect(fruitHeader).toBeGreaterThan(-1);
		expect(lines[fruitHeader]).toContain(`(line ${lineNumber(MAIN_NOTEBOOK, '```sql id=fruit')})  3 rows`);
		// Text left-aligned, numbers right-aligned, two spaces between columns.
		expect(lines.slice(fruitHeader + 1, fruitHeader + 6)).toEqual([
			'    name    price  qty',
			'    ------  -----  ---',
			'    apple    1.25    3',
			'    banana    0.5   12',
			'    cherry      4  100'
		]);
		const badLine = lineNumber(MAIN_NOTEBOOK, '       no_such_column');
		expect(stdout).toContain(`[error]   sql   broken  (line ${lineNumber(MAIN_NOTEBOOK, '```sql id=broken')})`);
		expect(stdout).toMatch(new RegExp(`    main\\.md:${badLine}: .*no_such_column`));
		expect(stdout).toContain('[blocked] plot  chart');
		expect(stdout).toContain('plot: barX; data: fruit');
		expect(stdout.trimEnd().split('\n').at(-1)).toBe('9 cells: 5 ok, 2 error, 2 blocked');
	});
});

describe('covw notebook run --max-rows', SLOW, () => {
	it('keeps 1000 rows per cell by default with --json and marks the rest truncated', async () => {
		const { status, stdout } = await runIn(['rows.md', '--json', '--data', 'data']);
		expect(status).toBe(0);
		const report: ReportJson = JSON.parse(stdout);
		expect(report.ok).toBe(true);
		const [small, big] = report.cells;
		expect(small).toMatchObject({ id: 'small', rowCount: 25, truncated: false });
		expect(small.rows).toHaveLength(25);
		expect(big).toMatchObject({ id: 'big', rowCount: 1005, truncated: true });
		expect(big.rows).toHaveLength(1000);
		// BIGINT values arrive as JSON numbers (safe integers).
		expect(big.rows[999]).toEqual({ i: 999 });
		expect(big.columns).toEqual([{ name: 'i', type: 'Int64' }]);
	});

	it('keeps the first N rows with --max-rows N (and none with 0)', async () => {
		const three: ReportJson = JSON.parse((await runIn(['rows.md', '--json', '--max-rows', '3', '--data', 'data'])).stdout);
		expect(three.cells[0].rows).toEqual([{ i: 0 }, { i: 1 }, { i: 2 }]);
		expect(three.cells[0]).toMatchObject({ rowCount: 25, truncated: true });
		const none: ReportJson = JSON.parse((await runIn(['rows.md', '--json', '--max-rows=0', '--data', 'data'])).stdout);
		expect(none.cells[1]).toMatchObject({ rows: [], rowCount: 1005, truncated: true });
	});

	it('says truncated when a cell holds fewer rows than --max-rows asked for (a SQL cell keeps its first 100,000)', async () => {
		const report: ReportJson = JSON.parse((await runIn(['huge.md', '--json', '--max-rows', '200000', '--data', 'data'])).stdout);
		expect(report.cells[0]).toMatchObject({ id: 'huge', rowCount: 100005, truncated: true });
		expect(report.cells[0].rows).toHaveLength(100000);
	});

	it('shows the first 10 rows in text mode and says how many more there are', async () => {
		const { stdout } = await runIn(['rows.md', '--data', 'data']);
		expect(stdout).toContain('    … 15 more rows');
		expect(stdout).toContain('    … 995 more rows');
	});
});

describe('covw notebook run --cell', SLOW, () => {
	it('runs the cell and what it reads, and reports only that cell', async () => {
		const { status, stdout } = await runIn(['main.md', '--json', '--cell', 'expensive', '--data', 'data']);
		const report: ReportJson = JSON.parse(stdout);
		expect(report.cells.map((c) => c.id)).toEqual(['expensive']);
		expect(report.cells[0].rows).toEqual([{ name: 'cherry' }]);
		expect(status).toBe(0); // the broken cell elsewhere in the file was not run
	});

	it('exits 1 when the chosen cell is blocked by a failing upstream cell', async () => {
		const { status, stdout } = await runIn(['main.md', '--json', '--cell', 'after_broken', '--data', 'data']);
		const report: ReportJson = JSON.parse(stdout);
		expect(report.cells.map((c) => [c.id, c.status])).toEqual([['after_broken', 'blocked']]);
		expect(status).toBe(1);
	});

	it('is a usage error for an id the notebook does not have, listing the ids', async () => {
		await expect(runIn(['main.md', '--cell', 'nope', '--data', 'data'])).rejects.toThrow(/no cell with id "nope" \(cells: fruit, expensive/);
	});
});

describe('covw notebook run: data folder and paths', SLOW, () => {
	it('reads relative paths from ctx.cwd and defaults to <root>/datasets, or $COVW_DATA', async () => {
		const root = await mkdtemp(join(tmpdir(), 'covw-nb-proj-'));
		try {
			await mkdir(join(root, 'datasets', 'shop'), { recursive: true });
			await writeFile(join(root, 'datasets', 'shop', 'shop.csv'), SHOP_CSV);
			await writeFile(join(root, 'nb.md'), cell('sql id=total', 'SELECT sum(qty) AS total FROM shop'));
			const ctx = fakeContext(['nb.md', '--json'], { root, cwd: root });
			expect(await notebookRunCommand.run(ctx)).toBe(0);
			expect(JSON.parse(ctx.out.join('')).cells[0].rows).toEqual([{ total: 115 }]);

			// COVW_DATA (relative to cwd) replaces the default, like the server's dataDir().
			const envCtx = fakeContext(['nb.md', '--json'], { root, cwd: work, env: { COVW_DATA: 'data' } });
			await writeFile(join(work, 'nb.md'), cell('sql id=total', 'SELECT count(*) AS n FROM shop'));
			expect(await notebookRunCommand.run(envCtx)).toBe(0);
			// The data folder's two tables, the labels table (empty: no label given yet), plus the run tables (empty: this root has no runs).
			expect(JSON.parse(envCtx.out.join('')).tables.map((t: { name: string }) => t.name).sort()).toEqual(['generations', 'labels', 'ragged', 'runs', 'shop', 'verdicts']);
		} finally {
			await rm(root, { recursive: true, force: true });
		}
	});
});

describe('covw notebook run on hostile nesting', SLOW, () => {
	it('reports a plot cell of 100000 nested [ as an error on its line and runs the rest (no RangeError)', async () => {
		await writeFile(join(work, 'deep.md'), cell('sql id=one', 'SELECT 1 AS n') + '\n' + cell('plot id=deep from=one', '['.repeat(100_000)));
		const { status, stdout } = await runIn(['deep.md', '--json', '--data', 'data']);
		expect(status).toBe(1);
		const report: ReportJson = JSON.parse(stdout);
		expect(report.cells.map((c) => [c.id, c.status, c.error?.line ?? null])).toEqual([
			['one', 'ok', null],
			['deep', 'error', 6]
		]);
		expect(report.cells[1].error?.message).toMatch(/^invalid JSON at line 1, column 101: nested deeper than 100 levels/);
	});
});

describe('covw notebook run: usage errors are CliErrors (exit 2)', () => {
	const cases: [string, string[], RegExp][] = [
		['a missing notebook file', ['nowhere.md'], /cannot read .*nowhere\.md/],
		['no notebook file', ['--json'], /expected one notebook file, got 0/],
		['two notebook files', ['main.md', 'rows.md'], /expected one notebook file, got 2/],
		['an unknown option', ['main.md', '--jsn'], /unknown option --jsn/],
		['a --max-rows that is not a whole number', ['main.md', '--max-rows', '-1'], /--max-rows needs a value|--max-rows must be a whole number/],
		['a --max-rows that is text', ['main.md', '--max-rows=ten'], /--max-rows must be a whole number ≥ 0, got "ten"/],
		['a --data folder that does not exist', ['main.md', '--data', 'missing-folder'], /--data .*missing-folder is not a folder/],
		['--data without a value', ['main.md', '--data'], /--data needs a value/]
	];
	for (const [what, args, message] of cases) {
		it(`rejects ${what}`, async () => {
			const error = await runIn(args).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(CliError);
			expect((error as Error).message).toMatch(message);
		});
	}

	it('refuses a notebook file over the size limit unread, naming the limit (as the server does)', async () => {
		// Sparse: 6 MiB on disk by size, nothing written; the limit is 5 MiB (notebook/format.ts).
		const { truncate } = await import('node:fs/promises');
		await writeFile(join(work, 'huge.md'), '# huge\n');
		await truncate(join(work, 'huge.md'), 6 * 1024 * 1024);
		const error = await runIn(['huge.md', '--json']).catch((e: unknown) => e);
		expect(error).toBeInstanceOf(CliError);
		expect((error as Error).message).toMatch(/cannot read .*huge\.md \(.*is larger than 5 MiB: not read/);
	});

	it('rejects a binary or non-UTF-8 notebook with the line and byte, instead of "0 cells" and exit 0', async () => {
		await writeFile(join(work, 'image.md'), new Uint8Array([0x23, 0x20, 0x78, 0x0a, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a]));
		await writeFile(join(work, 'nul.md'), 'text\n\0\0\0');
		for (const [file, message] of [
			['image.md', /cannot read .*image\.md \(line 2: not UTF-8 \(byte 0x89\) at byte 4; a notebook is a UTF-8 text \(Markdown\) file\)/],
			['nul.md', /cannot read .*nul\.md \(line 2: a NUL byte/]
		] as const) {
			const error = await runIn([file, '--json']).catch((e: unknown) => e);
			expect(error).toBeInstanceOf(CliError);
			expect((error as Error).message).toMatch(message);
		}
	});
});
