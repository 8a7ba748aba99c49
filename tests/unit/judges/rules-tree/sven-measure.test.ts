// The SVEN measurement computes its figures: the labelled set parses, the split by project is
// deterministic and never puts one project on both sides, and every judge's score table has
// finite consistency / TPR / TNR / kappa / Diff / pair accuracy. Thresholds live in
// bench/judges-real.ts, not here. Skipped with a message when ../shared/sven is absent.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { judgeWithRules } from '../../../../src/lib/core/judges/rules/judge.ts';
import { createTreeRuleJudge } from '../../../../src/lib/judges/rules/judge.ts';
import { scoreSet, type LabelledJudgement } from '../../../../src/lib/judges/rules/measure-sets.ts';
import { parseSven, projectOf, svenDevHalfOf, svenSplitOf } from '../../../../src/lib/judges/rules/sven-split.ts';

const path = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/sven/train.jsonl');
const present = existsSync(path);
if (!present) console.warn(`SVEN measurement test skipped: ${path} is absent`);

describe('SVEN split', () => {
	it('is by project and fixed', () => {
		expect(projectOf('github.com/Some/Thing/commit/abc')).toBe('some/thing');
		expect(svenSplitOf('some/thing')).toBe(svenSplitOf('some/thing'));
	});

	it('splits dev into two halves by project, the same every time', () => {
		const projects = ['torvalds/linux', 'php/php-src', 'openssl/openssl', 'curl/curl', 'git/git', 'vim/vim', 'gpac/gpac', 'ffmpeg/ffmpeg', 'libgit2/libgit2', 'redis/redis', 'nginx/nginx', 'qemu/qemu', 'krb5/krb5', 'file/file', 'madler/zlib', 'glennrp/libpng', 'the-tcpdump-group/tcpdump', 'wireshark/wireshark', 'bminor/binutils-gdb', 'systemd/systemd'];
		const halves = projects.map(svenDevHalfOf);
		expect(projects.map(svenDevHalfOf)).toEqual(halves);
		expect(halves.filter((h) => h === 'A').length).toBeGreaterThan(0);
		expect(halves.filter((h) => h === 'B').length).toBeGreaterThan(0);
	});

	it('names the line and field of a bad record', () => {
		expect(() => parseSven('{"id": "a"}\n', 'x.jsonl')).toThrow(/x\.jsonl:1: field "\w+" must be a string/);
	});
});

describe.skipIf(!present)('SVEN measurement', () => {
	it('computes every figure for the old and the tree rule judge on both splits', async () => {
		const programs = parseSven(readFileSync(path, 'utf8'), path).filter((p) => p.language !== 'cpp');
		expect(programs.length).toBeGreaterThan(1000);
		const sides = new Map<string, Set<string>>();
		for (const p of programs) (sides.get(p.project) ?? sides.set(p.project, new Set()).get(p.project)!).add(p.split);
		expect([...sides.values()].every((s) => s.size === 1)).toBe(true);
		const tree = await createTreeRuleJudge();
		for (const split of ['dev', 'held-out'] as const) {
			const inSplit = programs.filter((p) => p.split === split);
			expect(inSplit.length).toBeGreaterThan(100);
			// 80 whole pairs of each split keep the test quick; the bench measures them all
			const pairIds = new Set([...new Set(inSplit.map((p) => p.pairId))].slice(0, 80));
			const subset = inSplit.filter((p) => pairIds.has(p.pairId));
			type P = (typeof subset)[number];
			const input = (p: P) => ({ code: p.code, cwe: p.cwe, language: p.language as 'c' | 'python' });
			for (const judge of [(p: P) => judgeWithRules(input(p)).vulnerable, (p: P) => tree.judge(input(p)).vulnerable]) {
				const rows: LabelledJudgement[] = subset.map((p) => ({ id: p.id, pairId: p.pairId, cwe: p.cwe, language: p.language, vulnerable: p.vulnerable, judged: judge(p), status: 'ok' }));
				const scores = scoreSet(rows);
				expect(scores.map((s) => s.group).slice(0, 3)).toEqual(['overall', 'lang:c', 'lang:python']);
				const overall = scores[0];
				expect(overall.score.n).toBe(subset.length);
				for (const value of [overall.score.consistency, overall.tpr, overall.tnr, overall.score.kappa, overall.score.diff, overall.pair_accuracy]) expect(Number.isFinite(value)).toBe(true);
				expect(overall.pairs).toBe(subset.length / 2);
				expect(overall.score.consistency_ci.low).toBeLessThanOrEqual(overall.score.consistency);
			}
		}
	});
});
