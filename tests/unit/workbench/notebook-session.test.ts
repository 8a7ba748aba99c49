// review10 #1: a second run, asked for while a long cell runs, waits behind the first; a Cancel
// of the long cell then writes "cancelled". The second run used to copy the results when it was
// asked for and write that copy back on its first result — the old result under the new SQL —
// and to drop the first run's results when nobody cancelled. The session runs here on the
// executor's fake engine; a cell whose SQL says HANG runs until cancelled.
import { describe, expect, it, vi } from 'vitest';
import { FakeEngine } from '../notebook/fake-engine.ts';
import { QueryCancelledError } from '../../../src/lib/workbench/query-runner.ts';
import type { SqlEngine } from '../../../src/lib/notebook/executor.ts';

const hanging = vi.hoisted(() => ({ stop: [] as ((e: Error) => void)[], gates: [] as (() => void)[] }));

vi.mock('../../../src/lib/workbench/browser-engine.ts', () => {
	const fake = new FakeEngine();
	const hold = async (sql: string) => {
		if (sql.includes('HANG')) await new Promise<never>((_, reject) => hanging.stop.push(reject));
		if (sql.includes('SLOW')) await new Promise<void>((resolve) => hanging.gates.push(resolve));
	};
	const browserEngine: SqlEngine = {
		query: async (sql) => (await hold(sql), fake.query(sql)),
		exec: async (sql) => (await hold(sql), fake.exec(sql.replace(/ -- SLOW/, ''))),
		registerRows: (name, columns) => fake.registerRows(name, columns),
		tableNames: () => fake.tableNames()
	};
	const cellQueries = {
		async cancelDetailed() {
			const stops = hanging.stop.splice(0);
			const errors = stops.map(() => new QueryCancelledError(1.5));
			stops.forEach((stop, i) => stop(errors[i]));
			return { stopped: stops.length > 0, errors };
		},
		async cancel() {
			return (await this.cancelDetailed()).stopped;
		}
	};
	return { browserEngine, cellQueries, setLazyTables: () => undefined };
});

const { NotebookSession } = await import('../../../src/lib/workbench/notebook-session.svelte.ts');

const notebook = (hog: string) =>
	'```sql id=hog\n' + hog + '\n```\n\n```sql id=after_hog\nSELECT * FROM hog\n```\n\n```sql id=cheap\nROWS {"v": [42]}\n```\n';

const until = async (check: () => boolean) => {
	for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 5));
	expect(check()).toBe(true);
};

describe('NotebookSession results across runs', () => {
	it('Cancel of a long cell while a second run waits: the cell says cancelled, the cell reading it waits on it', async () => {
		const session = new NotebookSession('race');
		session.text = notebook('ROWS {"n": [10]}');
		await session.run();
		expect(session.results.hog?.status).toBe('ok');
		expect(session.results.after_hog?.status).toBe('ok');

		session.text = notebook('ROWS {"n": [10]} -- HANG');
		const first = session.run(0);
		await until(() => session.runningCell?.index === 0);
		const second = session.run(2); // cheap, queued behind the first
		await session.cancelRunning();
		await Promise.all([first, second]);

		expect(session.results.hog?.status).toBe('error');
		expect(session.results.hog?.error?.message).toMatch(/^cancelled after/);
		expect(session.results.after_hog?.status).toBe('blocked');
		expect(session.results.after_hog?.error?.message).toMatch(/Not run: upstream cell "hog"/);
		expect(session.results.cheap?.status).toBe('ok');

		// A later run of the cell reading it: it waits on the cancelled cell (its view is gone).
		await session.run(1);
		expect(session.results.after_hog?.status).toBe('blocked');
	});

	it('a second run waiting behind a first keeps the first run’s results', async () => {
		const session = new NotebookSession('keep');
		session.text = notebook('ROWS {"n": [10]}');
		await session.run();
		session.text = notebook('ROWS {"n": [11]} -- SLOW');
		const first = session.run(0);
		await until(() => hanging.gates.length === 1);
		const second = session.run(2);
		hanging.gates.shift()!();
		await Promise.all([first, second]);
		// The first run was superseded after hog, so hog's new result is what it ran; cheap ran in the second.
		const n = session.results.hog?.table?.getChild('n')?.get(0);
		expect(session.results.hog?.status).toBe('ok');
		expect(n).toBe(11);
		expect(session.results.cheap?.status).toBe('ok');
	});
});

describe('NotebookSession at the cell cap (review10 #2)', () => {
	const cells = (n: number) => Array.from({ length: n }, (_, k) => '```sql id=c' + k + '\nROWS {"v": [' + k + ']}\n```\n').join('');

	it('refuses "+ cell" with a message and changes nothing, at the end and at the top', async () => {
		const session = new NotebookSession('cap');
		session.text = cells(2000);
		expect(session.atCellCap).toBe(true);
		await session.addCell(2000, 'sql');
		await session.addCell(0, 'markdown');
		expect(session.text).toBe(cells(2000));
		expect(session.saveState).toBe('saved');
		expect(session.addRefused).toMatch(/^Not added: this notebook has 2,000 cells, the most a notebook can have/);
	});

	it('adds below the cap', async () => {
		const session = new NotebookSession('below');
		session.text = cells(1999);
		expect(session.atCellCap).toBe(false);
		await session.addCell(1999, 'markdown');
		expect(session.doc.cells).toHaveLength(2000);
		expect(session.addRefused).toBe('');
	});
});

describe('NotebookSession save over the size limit (review10 #7)', () => {
	it('is not sent: the page says "Not saved" with exact bytes, and keeps the edit', async () => {
		const session = new NotebookSession('huge');
		const text = '```sql id=a\nSELECT 1\n```\n' + 'x'.repeat(5 * 1024 * 1024);
		session.text = text;
		await session.save();
		expect(session.saveState).toBe('error');
		expect(session.saveError).toMatch(/^Not saved: notebook "huge" would be 5,242,905 bytes, over the limit of 5,242,880 bytes/);
		expect(session.text).toBe(text);
	});
});
