// Judge runs with the static analyzers (src/lib/runs/analyzer-units.ts through runJudge) over
// our own tiny programs (analyzer-fixtures.ts). Each installed tool really runs; a tool that is
// not installed skips its block with a visible message. The missing-tool, other-language and
// broken-tool paths need no tool at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runJudge, judgeRunIdentity } from '../../../src/lib/runs/judge-run.ts';
import { itemsHash } from '../../../src/lib/runs/dataset-hash.ts';
import { AnalyzerMissingError, NoAnalyzerTargetsError, analyzerUnitId, ANALYZER_VERDICTS_VERSION } from '../../../src/lib/runs/analyzer-units.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { summarizeRun } from '../../../src/lib/runs/run-summary.ts';
import { ANALYZER_TOOLS, listAnalyzers } from '../../../src/lib/judges/analyzers/registry.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { ANALYZER_EXPECTED, ANALYZER_ITEMS, C_PROGRAMS, PYTHON_PROGRAMS, SHELL_ARGV, SHELL_CONCAT } from './analyzer-fixtures.ts';

const availability = new Map((await listAnalyzers()).map((a) => [a.tool, a]));
const quiet = () => {};

let work: { path: string; remove: () => void };
let runsDir: string;
beforeAll(() => {
	work = tempDir('covw-analyzer-runs-');
	runsDir = join(work.path, 'runs');
});
afterAll(() => work.remove());

const judgeItems = (judge: string, extra: Partial<Parameters<typeof runJudge>[0]> = {}) =>
	runJudge({ runsDir, judge, itemSet: 'pearce', items: ANALYZER_ITEMS, onWarning: quiet, ...extra });

// The tools with expected verdicts on the fixtures (a newly registered tool adds its own).
for (const tool of Object.keys(ANALYZER_EXPECTED) as (keyof typeof ANALYZER_EXPECTED)[]) {
	const found = availability.get(tool)!;
	if (!found.available) console.warn(`skipping the ${tool} judge-run tests: ${found.message}`);

	describe.skipIf(!found.available)(`a judge run with ${tool} over fixture programs`, () => {
		const expected = ANALYZER_EXPECTED[tool];
		const mine = found.language === 'python' ? PYTHON_PROGRAMS : C_PROGRAMS;

		it('writes one verdict row per program of its language: judge name, findings in raw, vulnerable flags', async () => {
			const out = await judgeItems(tool);
			expect(out.targets).toBe(ANALYZER_ITEMS.length);
			expect(out.analyzer).toMatchObject({ tool, version: found.version, path: found.path, otherLanguage: ANALYZER_ITEMS.length - mine.length, analysed: mine.length });
			// The items' hash is part of the source: judging another import of the set is another run.
			expect(out.manifest.params).toEqual({
				kind: 'judge',
				judge: tool,
				tool_version: found.version,
				verdicts: ANALYZER_VERDICTS_VERSION,
				...(ANALYZER_TOOLS[tool].cwes ? { cwes: ANALYZER_TOOLS[tool].cwes } : {}),
				source: { items: 'pearce', items_hash: itemsHash(ANALYZER_ITEMS.filter((i) => i.set === 'pearce')) }
			});

			const run = readRun(runsDir, out.runId, quiet)!;
			expect(run.rows.map((r) => r.meta.item_id).sort()).toEqual(mine.map((i) => i.item_id).sort());
			for (const row of run.rows) {
				const want = expected[String(row.meta.item_id)];
				expect(row.meta).toMatchObject({ judge: tool, template: null, language: found.language });
				if (want.status === 'error') {
					expect(row.status).toBe('error');
					expect(row.error).toMatch(want.error);
					expect(row.meta.vulnerable).toBeNull();
					continue;
				}
				expect(row.status, `${row.meta.item_id}: ${row.error}`).toBe('ok');
				expect(row.meta.vulnerable, String(row.meta.item_id)).toBe(want.vulnerable);
				expect(row.meta.rule).toBe(want.rule);
				expect(row.meta.line).toBe(want.line);
				const raw = JSON.parse(row.response!);
				expect(raw.tool).toBe(tool);
				expect(raw.version).toBe(found.version);
				expect(raw.findings.map((f: { rule: string }) => f.rule).sort()).toEqual(want.rules);
				if (want.vulnerable) {
					const decisive = raw.findings.find((f: { rule: string }) => f.rule === want.rule);
					expect(decisive.cwes).toContain(row.meta.cwe);
				}
			}
		});

		it('scores only the rows with a verdict: errors are counted apart', async () => {
			const out = await judgeItems(tool);
			const [summary] = summarizeRun(readRun(runsDir, out.runId, quiet)!).judges;
			const errors = Object.values(expected).filter((e) => e.status === 'error').length;
			expect(summary).toMatchObject({ judge: tool, rows: mine.length, ok: mine.length - errors, error: errors, unparsed: 0 });
			expect(summary.agreement).toMatchObject({ n: mine.length - errors, n_error: errors });
			// By hand from ANALYZER_EXPECTED and the fixtures' labels:
			// bandit agrees on all four it judged; cppcheck misses the strcpy, flawfinder the loop
			// (2 of 3 agree; judge says 2 of 3 safe, the labels 1 of 3: Diff +33.33 points).
			if (tool === 'bandit') expect(summary.agreement!.consistency).toBe(100);
			else if (tool === 'gcc') expect(summary.agreement!.consistency).toBeCloseTo(100 / 3, 6); // silent on all three
			else {
				expect(summary.agreement!.consistency).toBeCloseTo(200 / 3, 6);
				expect(summary.agreement!.diff).toBeCloseTo(100 / 3, 6);
			}
		});

		it('resumes: the same call re-analyses only the rows that failed', async () => {
			const first = await judgeItems(tool);
			const again = await judgeItems(tool);
			expect(again.runId).toBe(first.runId);
			const errors = Object.values(expected).filter((e) => e.status === 'error').length;
			expect(again.analyzer!.analysed).toBe(errors);
			expect(readRun(runsDir, again.runId, quiet)!.manifest.counts.total).toBe(mine.length);
		});
	});
}

describe('analyzer judges without the tool', () => {
	it('a missing tool is an error before anything is read or written', async () => {
		const empty = join(work.path, 'empty-path');
		mkdirSync(empty, { recursive: true });
		const missingRuns = join(work.path, 'runs-missing');
		const attempt = runJudge({ runsDir: missingRuns, judge: 'flawfinder', itemSet: 'pearce', items: ANALYZER_ITEMS, analyzer: { path: empty }, onWarning: quiet });
		await expect(attempt).rejects.toThrow(AnalyzerMissingError);
		await expect(
			runJudge({ runsDir: missingRuns, judge: 'bandit', itemSet: 'pearce', items: ANALYZER_ITEMS, analyzer: { path: empty }, onWarning: quiet })
		).rejects.toThrow('bandit is not installed: apt-get install bandit');
		expect(existsSync(missingRuns)).toBe(false);
	});

	it('an analyzer run id needs the tool version, so judgeRunIdentity refuses it clearly', () => {
		expect(() => judgeRunIdentity({ judge: 'cppcheck', itemSet: 'pearce' })).toThrow(/static analyzer/);
	});
});

/** A stand-in executable: answers --version like a tool, then fails every analysis (exit 3). */
function brokenTool(dir: string, name: string): string {
	mkdirSync(dir, { recursive: true });
	const path = join(dir, name);
	writeFileSync(path, `#!/bin/sh\nif [ "$1" = "--version" ]; then echo "${name} 0.0-broken"; exit 0; fi\necho "simulated crash" >&2\nexit 3\n`);
	chmodSync(path, 0o755);
	return path;
}

describe('analyzer judges with a tool that fails (a stand-in script, not the real tool)', () => {
	it('other-language programs get no row; a crash is an error row per program, never a verdict', async () => {
		const bin = join(work.path, 'broken-bin');
		const command = brokenTool(bin, 'cppcheck');
		const blank = { ...C_PROGRAMS[0], item_id: 'reference/pearce/CWE-787/analyzer-demo/blank', code: '  \n' };
		const out = await runJudge({
			runsDir, judge: 'cppcheck', itemSet: 'pearce', items: [...ANALYZER_ITEMS, blank], runId: 'broken-cppcheck',
			analyzer: { command, path: bin }, onWarning: quiet
		});
		expect(out.analyzer).toMatchObject({ version: 'cppcheck 0.0-broken', otherLanguage: PYTHON_PROGRAMS.length, analysed: C_PROGRAMS.length });
		const run = readRun(runsDir, out.runId, quiet)!;
		expect(run.rows).toHaveLength(C_PROGRAMS.length + 1);
		expect(run.rows.every((r) => r.status === 'error' && r.meta.vulnerable === null && r.meta.language === 'c')).toBe(true);
		const byItem = new Map(run.rows.map((r) => [r.meta.item_id, r]));
		expect(byItem.get(blank.item_id)!.error).toBe('cppcheck: no code to analyse');
		expect(byItem.get(C_PROGRAMS[0].item_id)!.error).toMatch(/cppcheck exited with code 3: simulated crash/);
		const [summary] = summarizeRun(run).judges;
		expect(summary).toMatchObject({ rows: C_PROGRAMS.length + 1, ok: 0, error: C_PROGRAMS.length + 1 });
		expect(summary.agreement).toMatchObject({ n: 0, n_error: C_PROGRAMS.length + 1 });
	});

	it('a set with no program in the tool\'s language is an error, and nothing is written', async () => {
		const bin = join(work.path, 'broken-bin-2');
		const command = brokenTool(bin, 'flawfinder');
		const before = existsSync(runsDir) ? readdirSync(runsDir).length : 0;
		await expect(
			runJudge({ runsDir, judge: 'flawfinder', itemSet: 'pearce', items: [SHELL_CONCAT, SHELL_ARGV], analyzer: { command, path: bin }, onWarning: quiet })
		).rejects.toThrow(NoAnalyzerTargetsError);
		expect(existsSync(runsDir) ? readdirSync(runsDir).length : 0).toBe(before);
	});

	it('unit ids depend on the tool and the program, so each analyzer keeps its own rows', () => {
		const t = { target_id: 'x', item_id: 'x', model: null, sample: 0, task: 'reference', cwe: 'CWE-787' as const, language: 'c' as const, scenario: '', code: 'int a;', response: '', label: null, label_class: null };
		expect(analyzerUnitId('cppcheck', t)).not.toBe(analyzerUnitId('flawfinder', t));
		expect(analyzerUnitId('cppcheck', t)).not.toBe(analyzerUnitId('cppcheck', { ...t, code: 'int b;' }));
		expect(analyzerUnitId('cppcheck', t)).toBe(analyzerUnitId('cppcheck', { ...t }));
	});
});

describe('judge runs over items are tied to those items', () => {
	it('the same set from a different import names a different run', () => {
		const first = judgeRunIdentity({ judge: 'rules', itemSet: 'pearce', items: ANALYZER_ITEMS });
		const same = judgeRunIdentity({ judge: 'rules', itemSet: 'pearce', items: ANALYZER_ITEMS.map((i) => ({ ...i })) });
		const edited = judgeRunIdentity({ judge: 'rules', itemSet: 'pearce', items: ANALYZER_ITEMS.map((i, k) => (k === 0 ? { ...i, code: i.code + '\n' } : i)) });
		expect(same.runId).toBe(first.runId);
		expect(edited.runId).not.toBe(first.runId);
	});
});
