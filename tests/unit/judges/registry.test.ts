// The judge registry: every judge is found by the name `--judge` uses, a judge registered from a
// test shows in `covw judge --list` (the in-process command and the list function it prints)
// and runs through runJudge like the built-in ones; descriptors import no Node code.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { judgeCommand, judgeListLines } from '../../../src/cli/commands/judge.ts';
import type { JudgeDescriptor } from '../../../src/lib/judges/judge.ts';
import { describeJudge, findJudge, judgeNames, listJudges, registerJudge, usesEngine } from '../../../src/lib/judges/registry.ts';
import { targetMeta } from '../../../src/lib/judges/target.ts';
import { judgeRunIdentity, runJudge } from '../../../src/lib/runs/judge-run.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { derivedRunId } from '../../../src/lib/runs/run-ids.ts';

/** The run id of a rules run over generation run "gen-x", as the code before the registry (f94900b) named it. */
const RULES_GEN_X = 'judge-rules-gen-x-16b4ffe6a4';
import { tempDir } from '../../support/engine-fixtures.ts';
import { fakeContext } from '../cli/fake-context.ts';
import { ANALYZER_ITEMS, C_PROGRAMS, PYTHON_PROGRAMS } from '../runs/analyzer-fixtures.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../../..');
const quiet = () => {};

/** A tiny judge of our own: Python only, "vulnerable" when the code mentions eval. */
const evalSpotter: JudgeDescriptor = {
	name: 'eval-spotter',
	usage: 'eval-spotter',
	family: 'offline',
	summary: 'test judge: flags Python code that mentions eval',
	accepts: { languages: ['python'], cwes: ['CWE-78', 'CWE-502', 'CWE-89'], tasks: ['reference', 'completion'] },
	identity: ['judge', 'source'],
	templates: [],
	execution: {
		via: 'direct',
		units: (targets, ctx) =>
			targets.map((t) => ({
				id: ctx.unitId({ judge: 'eval-spotter', target_id: t.target_id }),
				sample: t.sample,
				meta: targetMeta(t, 'eval-spotter', ctx.sourceRunId),
				compute: () => ({ status: 'ok', response: null, error: null, fields: { vulnerable: /\beval\b|pickle/.test(t.code), rule: null, line: null } })
			}))
	}
};

let work: { path: string; remove: () => void };
beforeAll(() => {
	work = tempDir('covw-registry-');
});
afterAll(() => work.remove());
let unregister: (() => void) | null = null;
afterEach(() => {
	unregister?.();
	unregister = null;
});

describe('looking judges up', () => {
	it('finds every built-in judge by the name --judge uses; any other word is a model', () => {
		for (const name of ['rules', 'parser', 'bandit', 'cppcheck', 'flawfinder', 'analyzers']) expect(findJudge(name)?.name).toBe(name);
		expect(findJudge('local/qwen2.5-7b')?.name).toBe('llm');
		expect(findJudge('ensemble:any:rules+cppcheck')?.name).toBe('ensemble');
		expect(findJudge('')).toBeNull();
		expect(judgeNames()).toEqual(expect.arrayContaining(['rules', 'parser', 'bandit', 'analyzers', 'endpoint/model']));
		expect(listJudges().at(-1)?.name).toBe('llm');
	});

	it('says what is wrong with a spec it cannot accept', () => {
		expect(describeJudge('ensemble:any:rules').error).toMatch(/two or more member judges/);
		expect(describeJudge('ensemble:most:rules+bandit').error).toMatch(/"most" is not one of any, all, majority/);
		expect(describeJudge('ensemble:any:rules+parser').error).toMatch(/gives 2 verdicts per target/);
		expect(describeJudge('ensemble:any:rules+analyzers').error).toMatch(/names several judges/);
		expect(describeJudge('ensemble:any:rules+rules').error).toMatch(/named twice/);
		expect(describeJudge('ensemble:majority:rules+bandit+local/m').error).toBeNull();
	});

	it('knows which judges need an engine config', () => {
		expect(usesEngine('rules')).toBe(false);
		expect(usesEngine('bandit')).toBe(false);
		expect(usesEngine('local/m')).toBe(true);
		expect(usesEngine('ensemble:any:rules+local/m')).toBe(true);
		expect(usesEngine('ensemble:any:rules+cppcheck')).toBe(false);
	});

	it('keeps the run ids of existing judge runs (so they resume), except where the judge itself changed', () => {
		// The formula of judge-run.ts before the registry: derivedRunId('judge', [judge, source name], params).
		const parser = { kind: 'judge', judge: 'parser', source: { run: 'gen-x' } };
		expect(judgeRunIdentity({ judge: 'parser', sourceRunId: 'gen-x' })).toEqual({ runId: derivedRunId('judge', ['parser', 'gen-x'], parser), params: parser });
		// The token rules now refuse code in another language: their engine enters the id too.
		const v1 = { kind: 'judge', judge: 'rules-v1', engine: 'tokens-2', source: { run: 'gen-x' } };
		expect(judgeRunIdentity({ judge: 'rules-v1', sourceRunId: 'gen-x' })).toEqual({ runId: derivedRunId('judge', ['rules-v1', 'gen-x'], v1), params: v1 });
		expect(judgeRunIdentity({ judge: 'rules-v1', sourceRunId: 'gen-x' }).runId).not.toBe(derivedRunId('judge', ['rules-v1', 'gen-x'], { kind: 'judge', judge: 'rules-v1', source: { run: 'gen-x' } }));
		// 'rules' is now the tree-sitter judge: its engine enters the id, so a run of the token rules
		// (this pinned id, over generation run "gen-x") is never resumed with different rules.
		const params = { kind: 'judge', judge: 'rules', engine: 'tree-sitter-3', source: { run: 'gen-x' } };
		expect(judgeRunIdentity({ judge: 'rules', sourceRunId: 'gen-x' })).toEqual({ runId: derivedRunId('judge', ['rules', 'gen-x'], params), params });
		expect(judgeRunIdentity({ judge: 'rules', sourceRunId: 'gen-x' }).runId).not.toBe(RULES_GEN_X);
	});

	it('descriptors import no Node module (the browser imports them)', () => {
		const seen = new Set<string>();
		const visit = (file: string) => {
			if (seen.has(file)) return;
			seen.add(file);
			const text = readFileSync(file, 'utf8');
			for (const m of text.matchAll(/^(?:import|export)\s+(?!type\b)[^'";]*?from\s+'([^']+)'/gm)) {
				expect(m[1], `${file} imports ${m[1]}`).not.toMatch(/^node:|^(fs|path|child_process|os)$/);
				if (m[1].startsWith('.')) visit(resolve(dirname(file), m[1]));
			}
		};
		visit(join(root, 'src/lib/judges/registry.ts'));
		expect(seen.size).toBeGreaterThan(8);
	});
});

describe('a judge registered from a test', () => {
	it('appears in the list `covw judge --list` prints, in its section', async () => {
		unregister = registerJudge(evalSpotter);
		const lines = await judgeListLines(null, 'no config here');
		const offline = lines.indexOf('Offline judges:');
		const mine = lines.findIndex((l) => l.startsWith('  eval-spotter '));
		expect(mine).toBeGreaterThan(offline);
		expect(lines[mine]).toContain('test judge: flags Python code that mentions eval');
		expect(mine).toBeLessThan(lines.findIndex((l) => l.startsWith('Static analyzers')));
	});

	it('appears in the output of the judge command itself', async () => {
		unregister = registerJudge(evalSpotter);
		const ctx = fakeContext(['--list'], { root, cwd: work.path, env: { OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } });
		expect(await judgeCommand.run(ctx)).toBe(0);
		expect(ctx.out.join('')).toMatch(/^ {2}eval-spotter +test judge/m);
	});

	it('runs through runJudge: rows for the targets it accepts, the others counted, resumable', async () => {
		unregister = registerJudge(evalSpotter);
		const runsDir = join(work.path, 'runs');
		const out = await runJudge({ runsDir, judge: 'eval-spotter', itemSet: 'pearce', items: ANALYZER_ITEMS, onWarning: quiet });
		expect(out.runId).toMatch(/^judge-eval-spotter-items-pearce-[0-9a-f]{10}$/);
		expect(out.outside).toBe(C_PROGRAMS.length);
		const run = readRun(runsDir, out.runId, quiet)!;
		expect(run.rows).toHaveLength(PYTHON_PROGRAMS.length);
		const flagged = run.rows.filter((r) => r.meta.vulnerable === true).map((r) => r.meta.item_id).sort();
		expect(flagged).toEqual(PYTHON_PROGRAMS.filter((p) => /pickle/.test(p.code)).map((p) => p.item_id).sort());
		const again = await runJudge({ runsDir, judge: 'eval-spotter', itemSet: 'pearce', items: ANALYZER_ITEMS, onWarning: quiet });
		expect(again.runId).toBe(out.runId);
		expect(readRun(runsDir, out.runId, quiet)!.rows).toHaveLength(PYTHON_PROGRAMS.length);
	});

	it('cannot take a name that is already registered, and is gone once removed', () => {
		expect(() => registerJudge({ ...evalSpotter, name: 'rules' })).toThrow(/already registered/);
		const remove = registerJudge(evalSpotter);
		expect(findJudge('eval-spotter')?.name).toBe('eval-spotter');
		remove();
		expect(findJudge('eval-spotter')?.name).toBe('llm');
	});
});

describe('a mistyped judge name', () => {
	it('is an error with the judge it is close to, never a model', () => {
		for (const [typo, meant] of [['rulez', 'rules'], ['Rules', 'rules'], ['cppchek', 'cppcheck'], ['flawfindr', 'flawfinder'], ['bandti', 'bandit'], ['gc', 'gcc'], ['clnag', 'clang'], ['cpp', 'cppcheck'], ['gcc-12', 'gcc'], ['analyzer', 'analyzers'], ['parsr', 'parser']]) {
			expect(findJudge(typo), typo).toBeNull();
			expect(describeJudge(typo).error, typo).toBe(`unknown judge "${typo}" — did you mean ${meant}? (covw judge --list; a model is named endpoint/model)`);
		}
		expect(describeJudge('ensembel:any:rules+cppcheck').error).toMatch(/did you mean ensemble:any:rules\+cppcheck\?/);
		expect(describeJudge('ensemble').error).toMatch(/did you mean ensemble:any\|all\|majority:<judge>\+<judge>…\?/);
		expect(usesEngine('rulez')).toBe(false);
	});

	it('in an ensemble is rejected with the suggestion, before any member runs', () => {
		expect(describeJudge('ensemble:any:rules+cppchek').error).toBe('ensemble member "cppchek": unknown judge "cppchek" — did you mean cppcheck? (covw judge --list; a model is named endpoint/model)');
	});

	it('leaves models alone: endpoint/model always, and bare model names not close to a judge', () => {
		for (const model of ['default/rulez', 'local/gcc', 'test-model', 'gpt-4o-mini', 'qwen2.5-7b', 'llama3', 'claude', 'gemma', 'local/qwen2.5:7b']) expect(findJudge(model)?.name, model).toBe('llm');
		expect(describeJudge('ensemble:any:rules+local/cppchek').error).toBeNull();
	});
});
