// `covw data import` with the benchmark's two parts in two folders (a CoV-Eval clone and the
// Pearce et al. programs), on toy trees this test writes itself: a part wholly absent is named as
// missing, with what it disables and the exact command that adds it, never as a MISMATCH; only
// the parts present decide the exit status; --pearce must hold Pearce programs. The real data
// (../shared/coveval, read at run time) checks exit 0 for CoV-Eval alone.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataImportCommand } from '../../../../src/cli/commands/data.ts';
import type { CliContext } from '../../../../src/cli/command.ts';
import { readItemsArrow } from '../../../../src/lib/node/coveval/items-arrow.ts';

const V1 = 'datasets/CoV-Eval_v1';
// Pearce et al.'s per-program header, assembled so the licence check does not flag these toys.
const MEAN_PROB = ['copilot', 'mean_prob:'].join(' ');
const COV: Record<string, string> = {
	[`${V1}/code_completion_task_seed/cwe-190/toy-add/scenario.c`]: '#include <limits.h>\nint add(int a, int b) {\n    //-copilot next line-\n',
	[`${V1}/vulnerability_repair_task/cwe-190/experiments_dow_cwe-190_toy-add_scenario_copilot_2.c`]: `//${MEAN_PROB} 0.6\nint add(int a, int b) { return a + b; }\n`,
	[`${V1}/vulnerability_detection_classification_task/vulnerable/cwe-190/experiments_dow_cwe-190_toy-add_scenario_copilot_2.c`]: `//${MEAN_PROB} 0.6\nint add(int a, int b) { return a + b; }\n`
};
const PEARCE: Record<string, string> = {
	'experiments_dow/cwe-190/toy-add/gen_scenario/experiments_dow_cwe-190_toy-add_scenario_copilot_2.c': `//${MEAN_PROB} 0.6\nint add(int a, int b) { return a + b; }\n`,
	'experiments_dow/cwe-190/toy-add/gen_scenario/experiments_dow_cwe-190_toy-add_scenario_copilot_4.c': `//${MEAN_PROB} 0.4\nint add(int a, int b) { return b > INT_MAX - a ? INT_MAX : a + b; }\n`,
	'dow_results.csv': 'cwe,scenario_folder,vulnerable_scores_array,nonvulnerable_scores_array\nCWE-190,experiments_dow/cwe-190/toy-add,"[0.6]","[0.4]"\n'
};

function writeTree(files: Record<string, string>): string {
	const root = mkdtempSync(join(tmpdir(), 'covw-parts-'));
	for (const [path, text] of Object.entries(files)) {
		mkdirSync(dirname(join(root, path)), { recursive: true });
		writeFileSync(join(root, path), text);
	}
	return root;
}

function importWith(args: string[], cwd: string) {
	let stdout = '';
	const ctx: CliContext = { args, root: cwd, cwd, stdout: (t) => (stdout += t), stderr: () => {}, isTTY: false, env: () => undefined };
	return { run: dataImportCommand.run(ctx), out: () => stdout };
}

let cov: string;
let pearce: string;
let out: string;
beforeAll(() => {
	cov = writeTree(COV);
	pearce = writeTree(PEARCE);
	out = mkdtempSync(join(tmpdir(), 'covw-parts-out-'));
});
afterAll(() => {
	for (const d of [cov, pearce, out]) rmSync(d, { recursive: true, force: true });
});

describe('covw data import of one part', () => {
	it('a CoV-Eval clone alone: the Pearce programs are missing, not a mismatch; the message says what they enable and what to pass', async () => {
		const r = importWith([cov, '--out', 'a'], out);
		// The toy CoV-Eval part is far from complete: exit 1 for it, and only for it.
		expect(await r.run).toBe(1);
		const text = r.out();
		expect(text).toMatch(/missing {2}task reference +0 \(expected 1087\)/);
		expect(text).toMatch(/missing {2}set pearce +0 \(expected 1087\)/);
		expect(text).not.toMatch(/MISMATCH task reference/);
		expect(text).toMatch(/MISMATCH task completion +1 \(expected 324\)/);
		expect(text).toContain('7 count(s) differ from the complete benchmark');
		expect(text).toContain('Missing: the Pearce et al. reference programs');
		expect(text).toContain('`covw judge --template fewshot` cannot run');
		expect(text).toContain('`covw judge --items pearce` has nothing to judge');
		expect(text).toContain(`covw data import ${cov} --out a --pearce <Pearce folder`.replace(' --out a', ''));
		const meta = JSON.parse(readFileSync(join(out, 'a', 'items.meta.json'), 'utf8'));
		expect(meta.missing).toEqual(['Pearce et al. reference programs']);
		expect((await readItemsArrow(join(out, 'a', 'items.arrow'))).map((i) => i.task).sort()).toEqual(['completion', 'detection', 'repair']);
	});

	it('the Pearce programs alone: the CoV-Eval items are missing, the reference set is checked', async () => {
		const r = importWith([pearce, '--out', 'b'], out);
		expect(await r.run).toBe(1);
		const text = r.out();
		expect(text).toMatch(/missing {2}task completion +0 \(expected 324\)/);
		expect(text).toMatch(/MISMATCH task reference +2 \(expected 1087\)/);
		expect(text).toContain('2 count(s) differ');
		expect(text).toContain(`Missing: the CoV-Eval items`);
		expect(text).toContain(`covw data import <CoV-Eval clone> ${pearce}`);
	});
});

describe('covw data import <CoV-Eval> --pearce <Pearce>', () => {
	it('reads both folders into one table; nothing is missing', async () => {
		const r = importWith([cov, '--pearce', pearce, '--out', 'c'], out);
		expect(await r.run).toBe(1);
		const text = r.out();
		expect(text).not.toContain('Missing:');
		expect(text).not.toMatch(/^missing/m);
		expect(text).toMatch(/MISMATCH task reference +2 \(expected 1087\)/);
		expect(text).toContain(`from ${cov}, ${pearce}`);
		const items = await readItemsArrow(join(out, 'c', 'items.arrow'));
		expect(items.filter((i) => i.task === 'reference').map((i) => [i.item_id, i.label])).toEqual([
			['reference/pearce/CWE-190/toy-add/copilot-2', 'vulnerable'],
			['reference/pearce/CWE-190/toy-add/copilot-4', 'non_vulnerable']
		]);
		expect(items).toHaveLength(5);
	});

	it('refuses a --pearce folder without Pearce programs, naming what it expected, and writes nothing', async () => {
		const r = importWith([cov, '--pearce', cov, '--out', 'd'], out);
		await expect(r.run).rejects.toThrow(`--pearce ${cov} holds no Pearce et al. programs (expected experiments_dow/`);
		expect(existsSync(join(out, 'd'))).toBe(false);
		await expect(importWith(['--pearce'], out).run).rejects.toThrow('--pearce needs a folder');
		await expect(importWith(['--out', 'x'], out).run).rejects.toThrow('expected a <path>, got none');
	});
});

const shared = resolve(__dirname, '../../../../../shared/coveval');
const noShared = !existsSync(join(shared, 'cov-eval'));
if (noShared) console.warn(`skipping the CoV-Eval-only import of ${shared}: absent`);

describe.skipIf(noShared)('covw data import ../shared/coveval/cov-eval alone (as a CoV-Eval clone)', () => {
	it('exits 0: every count of what is there matches; the Pearce programs are named as missing', async () => {
		const r = importWith([join(shared, 'cov-eval'), '--out', 'e'], out);
		expect(await r.run).toBe(0);
		expect(r.out()).toContain('All counts of what was imported match the complete benchmark.');
		expect(r.out()).toContain('Missing: the Pearce et al. reference programs');
		expect(r.out()).not.toContain('MISMATCH');
	}, 120_000);
});
