// Issue 9 item 18: `covw notebook run --json` prints exactly one JSON document on stdout, even
// when something below it (duckdb-wasm, a library) prints to the console mid-run: that goes to
// stderr. The engine is replaced here by one that prints a stack trace while it runs.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fakeContext } from './fake-context.ts';

vi.mock('../../../src/lib/node/headless/run-notebook.ts', async (original) => {
	const real = await original<typeof import('../../../src/lib/node/headless/run-notebook.ts')>();
	return {
		...real,
		runNotebookHeadless: async (options: { notebook: string }) => {
			console.log('Error: Catalog Error\n    at duckdb_web_query (wasm://wasm/duckdb-eh)\n    at Object.query');
			console.info('an info line');
			console.warn('a warning');
			return { notebook: options.notebook, tables: [], cells: [], ok: true };
		}
	};
});

const { notebookRunCommand } = await import('../../../src/cli/commands/notebook.ts');

let work: string;
beforeAll(async () => {
	work = await mkdtemp(join(tmpdir(), 'covw-json-'));
	await writeFile(join(work, 'n.md'), '# n\n');
});
afterAll(async () => {
	await rm(work, { recursive: true, force: true });
});

describe('notebook run --json: stdout is one JSON document', () => {
	it('console output during the run goes to stderr, not stdout', async () => {
		const written: string[] = [];
		const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
			written.push(String(chunk));
			return true;
		});
		const ctx = fakeContext(['n.md', '--json', '--data', work], { root: work, cwd: work });
		let status: number;
		try {
			status = await notebookRunCommand.run(ctx);
		} finally {
			spy.mockRestore();
		}
		expect(status).toBe(0);
		expect(written.join('')).toBe('');
		const stdout = ctx.out.join('');
		expect(JSON.parse(stdout)).toMatchObject({ notebook: 'n.md', ok: true });
		const stderr = ctx.err.join('');
		expect(stderr).toContain('at duckdb_web_query');
		expect(stderr).toContain('an info line');
		expect(stderr).toContain('a warning');
	});

	it('console is restored afterwards', async () => {
		const log = console.log;
		const ctx = fakeContext(['n.md', '--json', '--data', work], { root: work, cwd: work });
		await notebookRunCommand.run(ctx);
		expect(console.log).toBe(log);
	});
});
