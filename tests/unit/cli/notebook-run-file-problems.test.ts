// `covw notebook run` on a notebook a colleague sent with problems in the file itself: front
// matter that is never closed is a warning naming the file and line (stderr; `warnings` in the
// JSON), and two cells with one id follow the page's rule — the first keeps the id and runs, the
// later one is the error naming both lines, a plot reading the id draws the first, and a cell
// reading a failed cell says it was not run and why.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import { fakeContext } from './fake-context.ts';

const FENCE = '```';
const cell = (info: string, body: string) => `${FENCE}${info}\n${body}\n${FENCE}\n`;
const NOTEBOOK = [
	'---',
	'title: sent by a colleague',
	'',
	cell('sql id=scores', 'SELECT * FROM (VALUES (1, 2), (2, 3)) AS t(a, b)'),
	cell('sql id=scores', 'SELECT 42 AS a'),
	cell('plot id=fig from=scores', '{"marks": [{"type": "dot", "x": "a", "y": "b"}]}'),
	cell('sql id=broken', 'SELECT no_such_column FROM scores'),
	cell('plot id=fig2 from=broken', '{"marks": [{"type": "dot", "x": "a", "y": "a"}]}')
].join('\n');
const lineOf = (text: string) => NOTEBOOK.split('\n').indexOf(text) + 1;

let work: string;
beforeAll(async () => {
	work = await mkdtemp(join(tmpdir(), 'covw-nb-fp-'));
	await writeFile(join(work, 'sent.md'), NOTEBOOK);
});
afterAll(async () => {
	await rm(work, { recursive: true, force: true });
});

describe('covw notebook run: problems of the file itself', () => {
	it('warns about unclosed front matter and applies the duplicate-id rule', async () => {
		const ctx = fakeContext(['sent.md', '--json', '--data', work], { root: work, cwd: work });
		const status = await notebookRunCommand.run(ctx);
		const report = JSON.parse(ctx.out.join(''));
		expect(ctx.err.join('')).toContain('covw: sent.md:1: the front matter opened on line 1 is never closed');
		expect(report.warnings).toEqual([{ line: 1, message: expect.stringMatching(/never closed/) }]);
		expect(status).toBe(1);
		const cells = report.cells.map((c: { id: string; line: number; status: string; rowCount: number | null }) => [c.id, c.line, c.status]);
		const [first, second] = [lineOf('```sql id=scores'), NOTEBOOK.split('\n').lastIndexOf('```sql id=scores') + 1];
		expect(cells).toEqual([
			['scores', first, 'ok'],
			['scores', second, 'error'],
			['fig', lineOf('```plot id=fig from=scores'), 'ok'],
			['broken', lineOf('```sql id=broken'), 'error'],
			['fig2', lineOf('```plot id=fig2 from=broken'), 'blocked']
		]);
		const at = (line: number) => report.cells.find((c: { line: number }) => c.line === line);
		expect(at(first).rowCount).toBe(2);
		expect(at(second).error.message).toBe(`duplicate id "scores" on line ${second}: already used by the cell on line ${first}`);
		expect(report.cells.find((c: { id: string }) => c.id === 'fig').rowCount).toBe(2);
		expect(report.cells.find((c: { id: string }) => c.id === 'fig2').error.message).toBe(`Not run: upstream cell "broken" (line ${lineOf('```sql id=broken')}) failed`);
	}, 120_000);

	it('a notebook over the 2,000-cell cap: the warning comes first, on stderr and in `warnings`, not after the last cell (review10 #2)', async () => {
		await writeFile(join(work, 'many.md'), Array.from({ length: 2001 }, (_, k) => cell(`sql id=c${k}`, `SELECT ${k} AS v`)).join('\n'));
		const ctx = fakeContext(['many.md', '--json', '--cell', 'c0', '--data', work], { root: work, cwd: work });
		const status = await notebookRunCommand.run(ctx);
		const report = JSON.parse(ctx.out.join(''));
		expect(ctx.err.join('')).toMatch(/^covw: many\.md:\d+: the notebook has more than 2,000 cells/);
		expect(report.warnings).toEqual([{ line: expect.any(Number), message: expect.stringMatching(/more than 2,000 cells/) }]);
		expect(report.cells.map((c: { id: string }) => c.id)).toEqual(['c0']);
		expect(status).toBe(0);
	}, 120_000);
});
