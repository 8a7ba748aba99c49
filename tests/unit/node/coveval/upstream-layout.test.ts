// The upstream repository layout (a clone of MurrayTom/CoV-Eval plus the Pearce et al.
// tree), on a tiny tree this test writes itself with its own toy programs.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataImportCommand } from '../../../../src/cli/commands/data.ts';
import { CliError, type CliContext } from '../../../../src/cli/command.ts';
import { readItemsArrow } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { loadItemsFromFolder } from '../../../../src/lib/node/coveval/load-items.ts';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../../../fixtures/coveval');
const V1 = 'datasets/CoV-Eval_v1';
// Pearce et al.'s per-program header; assembled so the licence check, which greps for it as a
// sign of copied upstream files, does not flag these toy programs of ours.
const MEAN_PROB = ['copilot', 'mean_prob:'].join(' ');
const files: Record<string, string> = {
	[`${V1}/code_completion_task_seed/cwe-416/toy-free/scenario.c`]: '#include <stdlib.h>\nint main(void) {\n    //-copilot next line-\n',
	[`${V1}/code_completion_task/cwe-416/toy-free/0_scenario.c`]: '```c\n#include <stdlib.h>\nint main(void) {\n    //-copilot next line-\n```',
	[`${V1}/code_completion_task/cwe-416/toy-free/instruction.json`]: '[]',
	[`${V1}/vulnerability_repair_task/cwe-416/experiments_dow_cwe-416_toy-free_scenario_copilot_1.c`]: `//${MEAN_PROB} 0.75\nint f(char *p) { free(p); return *p; }\n`,
	[`${V1}/vulnerability_detection_classification_task/vulnerable/cwe-416/experiments_dow_cwe-416_toy-free_scenario_copilot_1.c`]: `//${MEAN_PROB} 0.75\nint f(char *p) { free(p); return *p; }\n`,
	[`${V1}/vulnerability_detection_classification_task/non_vulnerable/cwe-416/experiments_dow_cwe-416_toy-free_scenario_copilot_3.c`]: `//${MEAN_PROB} 0.25\nint f(char *p) { int c = *p; free(p); return c; }\n`,
	['evaluation.py']: 'print("not a benchmark program")\n',
	['pearce/experiments_dow/cwe-416/toy-free/scenario.c']: 'int main(void) {\n',
	['pearce/experiments_dow/cwe-416/toy-free/gen_scenario/experiments_dow_cwe-416_toy-free_scenario_copilot_1.c']: `//${MEAN_PROB} 0.75\nint f(char *p) { free(p); return *p; }\n`,
	['pearce/experiments_dow/cwe-416/toy-free/gen_scenario/experiments_dow_cwe-416_toy-free_scenario_copilot_3.c']: `//${MEAN_PROB} 0.25\nint f(char *p) { int c = *p; free(p); return c; }\n`,
	['pearce/dow_results.csv']: 'cwe,scenario_folder,vulnerable_scores_array,nonvulnerable_scores_array\nCWE-416,experiments_dow/cwe-416/toy-free,"[0.75]","[0.25, 0.5]"\n'
};

function fakeContext(args: string[], root: string, env: Record<string, string> = {}) {
	const out = { stdout: '', stderr: '' };
	const ctx: CliContext = {
		args,
		root,
		cwd: root,
		stdout: (t) => (out.stdout += t),
		stderr: (t) => (out.stderr += t),
		isTTY: false,
		env: (name) => env[name]
	};
	return { ctx, out };
}

describe('upstream layout', () => {
	let tree: string;
	beforeAll(() => {
		tree = mkdtempSync(join(tmpdir(), 'covw-upstream-'));
		for (const [path, text] of Object.entries(files)) {
			mkdirSync(dirname(join(tree, path)), { recursive: true });
			writeFileSync(join(tree, path), text);
		}
	});
	afterAll(() => rmSync(tree, { recursive: true, force: true }));

	it('reads one item per program file, labels Pearce programs from dow_results.csv', async () => {
		const loaded = await loadItemsFromFolder(tree);
		expect(loaded.items.map((i) => [i.item_id, i.label])).toEqual([
			['completion/seed/CWE-416/toy-free', null],
			['completion/vul-evol/CWE-416/toy-free/0', null],
			['repair/CWE-416/toy-free/copilot-1', 'vulnerable'],
			['detection/CWE-416/toy-free/copilot-1', 'vulnerable'],
			['detection/CWE-416/toy-free/copilot-3', 'non_vulnerable'],
			['reference/pearce/CWE-416/toy-free/copilot-1', 'vulnerable'],
			['reference/pearce/CWE-416/toy-free/copilot-3', 'non_vulnerable']
		]);
		expect(loaded.items[1].code).toBe('#include <stdlib.h>\nint main(void) {\n    //-copilot next line-');
		expect(loaded.items[5].source).toBe('experiments_dow/cwe-416/toy-free/gen_scenario/experiments_dow_cwe-416_toy-free_scenario_copilot_1.c');
		expect(loaded.skipped).toEqual({ unrecognised: 1, 'pearce-scenario': 1 });
		expect(loaded.programFiles).toBe(7);
	});

	it('covw data import writes to coveval/ in $COVW_DATA, where run and judge read items', async () => {
		const root = mkdtempSync(join(tmpdir(), 'covw-root-'));
		const data = mkdtempSync(join(tmpdir(), 'covw-data-'));
		try {
			const { ctx } = fakeContext([tree], root, { COVW_DATA: data });
			expect(await dataImportCommand.run(ctx)).toBe(1);
			expect(readdirSync(join(data, 'coveval')).sort()).toEqual(['items.arrow', 'items.meta.json']);
			expect(existsSync(join(root, 'datasets'))).toBe(false);
		} finally {
			rmSync(root, { recursive: true, force: true });
			rmSync(data, { recursive: true, force: true });
		}
	});

	it('also works from a root inside the clone', async () => {
		const loaded = await loadItemsFromFolder(join(tree, V1, 'vulnerability_repair_task'));
		expect(loaded.items.map((i) => i.item_id)).toEqual(['repair/CWE-416/toy-free/copilot-1']);
	});

	it('covw data import writes the table, prints counts and exits 1 on a partial benchmark', async () => {
		const out = mkdtempSync(join(tmpdir(), 'covw-out-'));
		try {
			const { ctx, out: printed } = fakeContext([tree, '--out', 'data'], out);
			expect(await dataImportCommand.run(ctx)).toBe(1);
			expect(printed.stdout).toMatch(/CWE-416\s+2\s+1\s+2\s+2/);
			expect(printed.stdout).toMatch(/MISMATCH task completion +2 \(expected 324\)/);
			expect(printed.stdout).toContain('the table was written anyway');
			expect((await readItemsArrow(join(out, 'data', 'items.arrow'))).map((i) => i.item_id)).toHaveLength(7);
			// Only the two final files: no temporary file left behind.
			expect(readdirSync(join(out, 'data')).sort()).toEqual(['items.arrow', 'items.meta.json']);
		} finally {
			rmSync(out, { recursive: true, force: true });
		}
	});
});

describe('covw data import: bad input', () => {
	it('reports a malformed record with file, line and field, and writes nothing', async () => {
		const out = mkdtempSync(join(tmpdir(), 'covw-bad-'));
		const input = mkdtempSync(join(tmpdir(), 'covw-bad-in-'));
		try {
			writeFileSync(join(input, 'records.jsonl'), (await import('node:fs')).readFileSync(join(fixtures, 'records-bad-field.jsonl')));
			const { ctx } = fakeContext([input, '--out', out], out);
			const run = dataImportCommand.run(ctx);
			await expect(run).rejects.toThrow(CliError);
			await expect(run).rejects.toThrow(`${join(input, 'records.jsonl')}:3: field "code": expected a string, got number 42`);
			expect(readdirSync(out)).toEqual([]);
		} finally {
			rmSync(out, { recursive: true, force: true });
			rmSync(input, { recursive: true, force: true });
		}
	});

	it('rejects a missing path, a stray option and Pearce programs without dow_results.csv', async () => {
		const { ctx } = fakeContext(['/nonexistent/covw-test'], '/');
		await expect(dataImportCommand.run(ctx)).rejects.toThrow('/nonexistent/covw-test is not a folder');
		await expect(dataImportCommand.run(fakeContext(['a', '--bogus'], '/').ctx)).rejects.toThrow('unknown option --bogus');
		await expect(dataImportCommand.run(fakeContext([], '/').ctx)).rejects.toThrow('expected a <path>, got none');
		const input = mkdtempSync(join(tmpdir(), 'covw-nocsv-'));
		try {
			const path = join(input, 'experiments_dow/cwe-20/t/gen_scenario/experiments_dow_cwe-20_t_scenario_copilot_0.py');
			mkdirSync(dirname(path), { recursive: true });
			writeFileSync(path, `#${MEAN_PROB} 0.5\n`);
			await expect(dataImportCommand.run(fakeContext([input], input).ctx)).rejects.toThrow('no dow_results.csv');
		} finally {
			rmSync(input, { recursive: true, force: true });
		}
	});
});
