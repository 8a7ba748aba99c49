// Ensemble judge runs through runJudge: the members run (or resume) as their own judge runs, the
// ensemble's rows combine their verdicts per target, a target where a member has no verdict has
// none (an error row naming the member, whatever the others say), and a missing tool stops
// everything before any run is written. The analyzer member is a stand-in script, not bandit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runJudge } from '../../../src/lib/runs/judge-run.ts';
import { AnalyzerMissingError } from '../../../src/lib/runs/analyzer-units.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { ANALYZER_ITEMS, C_PROGRAMS, PY_SYNTAX_ERROR, SHELL_CONCAT, UNPICKLE } from './analyzer-fixtures.ts';
import { registerRouteTable } from '../../../src/lib/judges/ensemble/route-tables.ts';

const quiet = () => {};
let work: { path: string; remove: () => void };
let bin: string;
beforeAll(() => {
	work = tempDir('covw-ensemble-');
	bin = join(work.path, 'bin');
	mkdirSync(bin, { recursive: true });
	// A bandit stand-in: B301 (unpickling, CWE-502) where the code says pickle; a file with a
	// syntax error is one bandit "could not analyse"; nothing else. First on PATH (the script needs grep).
	writeFileSync(
		join(bin, 'bandit'),
		`#!/bin/sh
if [ "$1" = "--version" ]; then echo "bandit 9.0.0"; exit 0; fi
shift 4
printf '{"results": ['
sep=''
for f in "$@"; do
  if grep -q 'pickle.loads' "$f"; then printf '%s{"filename": "%s", "test_id": "B301", "line_number": 5, "issue_text": "pickle"}' "$sep" "$f"; sep=','; fi
done
printf '], "errors": ['
sep=''
for f in "$@"; do
  if grep -q 'broken(:' "$f"; then printf '%s{"filename": "%s", "reason": "syntax error while parsing AST from file"}' "$sep" "$f"; sep=','; fi
done
printf ']}'
exit 1
`
	);
	chmodSync(join(bin, 'bandit'), 0o755);
});
afterAll(() => work.remove());

const judge = (spec: string, runsDir: string, extra: Partial<Parameters<typeof runJudge>[0]> = {}) =>
	runJudge({ runsDir, judge: spec, itemSet: 'pearce', items: ANALYZER_ITEMS, analyzer: { path: `${bin}:${process.env.PATH}` }, onWarning: quiet, ...extra });

const byItem = (rows: ResultRow[]) => new Map(rows.map((r) => [String(r.meta.item_id), r]));

describe('ensemble:any:rules+bandit over our fixture programs', () => {
	it('runs both members, then gives each target the any-of of their verdicts', async () => {
		const runsDir = join(work.path, 'runs-any');
		const out = await judge('ensemble:any:rules+bandit', runsDir);
		expect(out.members!.map((m) => m.judge)).toEqual(['rules', 'bandit']);
		expect(out.manifest.params).toMatchObject({ judge: 'ensemble:any:rules+bandit', rule: 'any', members: out.members!.map((m) => ({ judge: m.judge, run: m.runId })) });
		const rules = byItem(readRun(runsDir, out.members![0].runId, quiet)!.rows);
		const bandit = byItem(readRun(runsDir, out.members![1].runId, quiet)!.rows);
		const ensemble = byItem(readRun(runsDir, out.runId, quiet)!.rows);

		// Every target has a row: rules judges them all (C ones by rules alone).
		expect(ensemble.size).toBe(ANALYZER_ITEMS.length);
		expect(bandit.get(UNPICKLE.item_id)!.meta.vulnerable).toBe(true);
		expect(bandit.get(PY_SYNTAX_ERROR.item_id)!.status).toBe('error');
		for (const item of ANALYZER_ITEMS) {
			const row = ensemble.get(item.item_id)!;
			const r = rules.get(item.item_id)!.meta.vulnerable;
			const b = bandit.get(item.item_id);
			const votes = [r, ...(b ? [b.status === 'ok' ? b.meta.vulnerable : null] : [])];
			if (votes.includes(null)) {
				expect(row.status, item.item_id).toBe('error');
				expect(row.meta.vulnerable).toBeNull();
				expect(row.error).toMatch(/^no verdict: none from bandit \(error: bandit could not analyse the code/);
			} else if (votes.includes(true)) expect(row.meta.vulnerable, item.item_id).toBe(true);
			else expect(row.meta.vulnerable, item.item_id).toBe(false);
		}
		for (const c of C_PROGRAMS) expect(JSON.parse(ensemble.get(c.item_id)!.response!).votes.map((v: { judge: string }) => v.judge)).toEqual(['rules']);
		// The unpickling program: bandit's B301 makes it vulnerable whatever the rules said.
		expect(ensemble.get(UNPICKLE.item_id)!.meta.rule).toContain('bandit');
	});

	it('judging again resumes the same runs: nothing is judged twice', async () => {
		const runsDir = join(work.path, 'runs-any');
		const first = await judge('ensemble:any:rules+bandit', runsDir);
		const again = await judge('ensemble:any:rules+bandit', runsDir);
		expect(again.runId).toBe(first.runId);
		expect(again.members).toEqual(first.members);
		expect(readRun(runsDir, again.runId, quiet)!.manifest.counts.total).toBe(ANALYZER_ITEMS.length);
	});

	it('reads complete member runs without re-opening them: their sessions and finish times stay their own', async () => {
		const runsDir = join(work.path, 'runs-read');
		const rulesAlone = await judge('rules', runsDir);
		const before = readRun(runsDir, rulesAlone.runId, quiet)!.manifest;
		const out = await judge('ensemble:any:rules+bandit', runsDir);
		expect(out.members![0].runId).toBe(rulesAlone.runId);
		const bandit = readRun(runsDir, out.members![1].runId, quiet)!.manifest;
		const again = await judge('ensemble:any:rules+bandit', runsDir);
		expect(again.members).toEqual(out.members);
		for (const [runId, was] of [[rulesAlone.runId, before], [out.members![1].runId, bandit]] as const) {
			const now = readRun(runsDir, runId, quiet)!.manifest;
			expect(now.sessions, runId).toEqual(was.sessions);
			expect(now.finished_at, runId).toBe(was.finished_at);
		}
	});

	it('resumes an incomplete member run (here: one cut short), and only that one', async () => {
		const runsDir = join(work.path, 'runs-resume');
		const first = await judge('ensemble:any:rules+bandit', runsDir);
		const [rulesRun, banditRun] = first.members!.map((m) => m.runId);
		const manifestPath = join(runsDir, rulesRun, 'manifest.json');
		const m = JSON.parse(readFileSync(manifestPath, 'utf8'));
		writeFileSync(manifestPath, JSON.stringify({ ...m, state: 'cancelled' }));
		const banditBefore = readRun(runsDir, banditRun, quiet)!.manifest.sessions;
		await judge('ensemble:any:rules+bandit', runsDir);
		const rules = readRun(runsDir, rulesRun, quiet)!.manifest;
		expect(rules.state).toBe('completed');
		expect(rules.sessions).toHaveLength(2);
		expect(readRun(runsDir, banditRun, quiet)!.manifest.sessions).toEqual(banditBefore);
	});

	it('majority of two: agreement gives a verdict, disagreement is a tie without one', async () => {
		const runsDir = join(work.path, 'runs-majority');
		const out = await judge('ensemble:majority:rules+bandit', runsDir);
		const rules = byItem(readRun(runsDir, out.members![0].runId, quiet)!.rows);
		const bandit = byItem(readRun(runsDir, out.members![1].runId, quiet)!.rows);
		for (const row of readRun(runsDir, out.runId, quiet)!.rows) {
			const id = String(row.meta.item_id);
			const b = bandit.get(id);
			if (!b) continue; // C: rules alone, a majority of one
			const r = rules.get(id)!.meta.vulnerable;
			if (b.status !== 'ok') expect(row.status).toBe('error');
			else if (b.meta.vulnerable === r) expect(row.meta.vulnerable).toBe(r);
			else expect(row.error).toMatch(/a tie: 1 of 2/);
		}
	});
});

describe('ensembles that cannot run', () => {
	it('a missing member tool stops before any member runs', async () => {
		const runsDir = join(work.path, 'runs-missing');
		const empty = join(work.path, 'empty');
		mkdirSync(empty, { recursive: true });
		await expect(judge('ensemble:any:rules+bandit', runsDir, { analyzer: { path: empty } })).rejects.toThrow(AnalyzerMissingError);
		expect(existsSync(runsDir)).toBe(false);
	});

	it('a member that cannot run (a model without an engine config) stops before any member runs', async () => {
		const runsDir = join(work.path, 'runs-model');
		await expect(judge('ensemble:any:rules+local/m', runsDir)).rejects.toThrow(/local\/m.*engine config/);
		expect(existsSync(runsDir)).toBe(false);
	});

	it('a mistyped member name stops before any member runs', async () => {
		const runsDir = join(work.path, 'runs-typo');
		await expect(judge('ensemble:any:rules+banditt', runsDir)).rejects.toThrow(/did you mean bandit\?/);
		expect(existsSync(runsDir)).toBe(false);
	});

	it('a malformed spec is a clear error', async () => {
		await expect(judge('ensemble:any:rules', join(work.path, 'runs-bad'))).rejects.toThrow(/two or more member judges/);
	});
});

describe('ensemble:route:<table> over our fixture programs', () => {
	it('gives each target the verdict of the members its language and CWE are routed to', async () => {
		const unregister = registerRouteTable({
			name: 'fixture-routes',
			version: 1,
			learntOn: 'written by hand for this test',
			command: 'none',
			choice: 'none',
			fallback: { c: { rule: 'any', members: ['rules'], consistency: 0, programs: 0 }, python: { rule: 'any', members: ['rules', 'bandit'], consistency: 0, programs: 0 } },
			routes: { 'python/CWE-502': { rule: 'any', members: ['bandit'], programs: 0, verdicts: 0, consistency: 0, fallbackConsistency: 0 } }
		});
		try {
			const runsDir = join(work.path, 'runs-route');
			const out = await judge('ensemble:route:fixture-routes', runsDir);
			expect(out.members!.map((m) => m.judge).sort()).toEqual(['bandit', 'rules']);
			expect(out.manifest.params).toMatchObject({ judge: 'ensemble:route:fixture-routes', rule: 'route', routes: 1 });
			const rules = byItem(readRun(runsDir, out.members!.find((m) => m.judge === 'rules')!.runId, quiet)!.rows);
			const ensemble = byItem(readRun(runsDir, out.runId, quiet)!.rows);
			// C: the fallback, rules alone
			for (const c of C_PROGRAMS) expect(ensemble.get(c.item_id)!.meta.vulnerable, c.item_id).toBe(rules.get(c.item_id)!.meta.vulnerable);
			// CWE-502: bandit alone (its B301), whatever rules says
			expect(ensemble.get(UNPICKLE.item_id)!.meta).toMatchObject({ vulnerable: true, rule: 'bandit' });
			// CWE-78: any of rules+bandit; bandit's syntax error leaves no verdict
			expect(ensemble.get(SHELL_CONCAT.item_id)!.meta.vulnerable).toBe(true);
			expect(ensemble.get(PY_SYNTAX_ERROR.item_id)!.status).toBe('error');
		} finally {
			unregister();
		}
	});
});
