// End to end: the real `covw` launcher (node bin/covw.js → Deno running src/cli/main.ts with its
// narrow permissions) runs a built-in notebook; its stdout must be one JSON document.
import { describe, expect, it } from 'vitest';
import { runCovw } from '../../support/covw-process.ts';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

// The project's own data folder (COVW_DATA unset), as a user running it from the checkout.
const covw = (args: string[]) => runCovw(args, { cwd: root });

describe('covw notebook run through the real CLI on Deno', { timeout: 120_000 }, () => {
	it('prints paper-average as one JSON document, with an exit status that matches its ok', async () => {
		const result = await covw(['notebook', 'run', 'notebooks/paper-average.md', '--json']);
		const report = JSON.parse(result.stdout);
		expect(report.notebook).toBe('notebooks/paper-average.md');
		expect(report.tables.find((t: { name: string }) => t.name === 'paper_table1')).toEqual({
			name: 'paper_table1',
			file: 'paper/table1_main_results.csv',
			rows: 20
		});
		const recomputed = report.cells.find((c: { id: string }) => c.id === 'recomputed');
		expect(recomputed).toMatchObject({ kind: 'sql', status: 'ok', rowCount: 20, truncated: false });
		expect(recomputed.rows).toHaveLength(20);
		expect(result.status).toBe(report.ok ? 0 : 1);
	});

	it('exits 2 with a message on stderr for a missing notebook', async () => {
		const result = await covw(['notebook', 'run', 'notebooks/no-such-notebook.md', '--json']);
		expect(result.status).toBe(2);
		expect(result.stdout).toBe('');
		expect(result.stderr).toMatch(/^covw: notebook run: cannot read .*no-such-notebook\.md \(ENOENT\)/);
	});
});
