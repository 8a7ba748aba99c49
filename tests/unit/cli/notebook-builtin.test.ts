// The four built-in notebooks run headless against the project's own data folder (the paper's
// published tables): every cell must be ok. Figure 4's numbers are checked against scipy.
import { describe, expect, it } from 'vitest';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { notebookRunCommand } from '../../../src/cli/commands/notebook.ts';
import { fakeContext } from './fake-context.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const BUILT_IN = ['figure4-correlations', 'table2-cwe', 'evaluators', 'paper-average'];

interface CellJson {
	id: string;
	status: string;
	rowCount: number | null;
	rows: Record<string, unknown>[];
	error?: { message: string; line?: number };
}

async function runBuiltIn(name: string): Promise<{ status: number; cells: CellJson[]; stderr: string }> {
	const ctx = fakeContext([`notebooks/${name}.md`, '--json'], { root, cwd: root });
	const status = await notebookRunCommand.run(ctx);
	return { status, cells: JSON.parse(ctx.out.join('')).cells, stderr: ctx.err.join('') };
}

describe('built-in notebooks run headless against datasets/', { timeout: 120_000 }, () => {
	for (const name of BUILT_IN) {
		it(`${name}: every cell is ok, exit status 0`, async () => {
			const { status, cells, stderr } = await runBuiltIn(name);
			expect(stderr).toBe(''); // every paper table loads
			expect(cells.length).toBeGreaterThan(0);
			// The failing cells with their errors, so a failure says which and why.
			expect(cells.filter((c) => c.status !== 'ok').map((c) => ({ id: c.id, status: c.status, error: c.error }))).toEqual([]);
			expect(status).toBe(0);
		});
	}

	it('figure4-correlations: 20 models, and Spearman rho(cc_total_sr1, repair_sr1) matches scipy', async () => {
		const { cells } = await runBuiltIn('figure4-correlations');
		const scores = cells.find((c) => c.id === 'scores');
		expect(scores?.status).toBe('ok');
		expect(scores?.rowCount).toBe(20);
		const spearman = cells.find((c) => c.id === 'spearman');
		expect(spearman?.status).toBe('ok');
		const pair = spearman?.rows.find((r) => r.x === 'cc_total_sr1' && r.y === 'repair_sr1');
		// scipy.stats.spearmanr on datasets/paper/table1_main_results.csv (20 rows, ties averaged):
		// 0.333333427695732 — tests/reference/cli_notebook_spearman.py.
		expect(pair?.estimate as number).toBeCloseTo(0.333333427695732, 12);
		expect(pair?.n).toBe(20);
	});

	it('figure4-correlations: the bump chart reads each model\'s ranks left to right (Plot joins a line in row order)', async () => {
		const { cells } = await runBuiltIn('figure4-correlations');
		const ranks = cells.find((c) => c.id === 'ranks');
		expect(ranks?.rowCount).toBe(100);
		const order = ['cc_total_sr1', 'repair_sr1', 'detection_f1', 'classification_f1', 'humaneval_pass1'];
		const byModel = new Map<string, string[]>();
		for (const r of ranks!.rows) byModel.set(String(r.model), [...(byModel.get(String(r.model)) ?? []), String(r.task)]);
		expect(byModel.size).toBe(20);
		for (const tasks of byModel.values()) expect(tasks).toEqual(order);
		// and each model's rows are together: a line never goes back to an earlier column
		const models = ranks!.rows.map((r) => r.model);
		expect(models.filter((m, i) => i === 0 || m !== models[i - 1])).toHaveLength(20);
	});
});
