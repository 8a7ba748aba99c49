// Every offline judge (old rule judge, tree-sitter rule judge, each installed analyzer) on real
// labelled code: SVEN dev and held-out splits (../shared/sven/train.jsonl, split by project,
// see src/lib/judges/rules/sven-split.ts) and the Pearce et al. programs
// (../shared/coveval/pearce/dow_programs.jsonl). Prints consistency, TPR, TNR, kappa, Diff and
// pair accuracy with 95% bootstrap CIs, overall / per language / per CWE, the time per 1,000
// programs, and whether the issue-12 targets are met.
// Run: npx deno run --allow-read --allow-write --allow-env --allow-run bench/judges-real.ts [--judges rules,gcc] [--sets sven-dev,sven-held-out,pearce] [--brief]

import { parsePearcePrograms } from '../src/lib/core/judges/rules/pearce-measure.ts';
import { parseSven } from '../src/lib/judges/rules/sven-split.ts';
import { formatSetScores, scoreSet, type LabelledJudgement, type SetScore } from '../src/lib/judges/rules/measure-sets.ts';
import { BENCH_JUDGES, type BenchProgram } from './lib/real-judges.ts';

const arg = (name: string) => {
	const i = Deno.args.indexOf(`--${name}`);
	return i >= 0 ? Deno.args[i + 1] : undefined;
};
const brief = Deno.args.includes('--brief');
const wantedJudges = arg('judges')?.split(',');
const wantedSets = arg('sets')?.split(',') ?? ['sven-dev', 'sven-held-out', 'pearce'];
const here = new URL('.', import.meta.url).pathname;
const svenPath = `${here}../../shared/sven/train.jsonl`;
const pearcePath = `${here}../../shared/coveval/pearce/dow_programs.jsonl`;

const read = (path: string) => {
	try {
		return Deno.readTextFileSync(path);
	} catch {
		return null;
	}
};
const sets: { name: string; programs: BenchProgram[] }[] = [];
const svenText = read(svenPath);
if (svenText === null) console.log(`judges-real: skipped SVEN: cannot read ${svenPath}`);
else {
	const sven = parseSven(svenText, svenPath).filter((p) => p.language !== 'cpp'); // C++ is not judged
	const toBench = (split: string) =>
		sven.filter((p) => p.split === split).map((p) => ({ id: p.id, pairId: p.pairId, cwe: p.cwe, language: p.language as 'c' | 'python', vulnerable: p.vulnerable, code: p.code }));
	sets.push({ name: 'sven-dev', programs: toBench('dev') }, { name: 'sven-held-out', programs: toBench('held-out') });
}
const pearceText = read(pearcePath);
if (pearceText === null) console.log(`judges-real: skipped Pearce: cannot read ${pearcePath}`);
else sets.push({ name: 'pearce', programs: parsePearcePrograms(pearceText, pearcePath).map((p) => ({ id: p.id, pairId: null, cwe: p.cwe, language: p.language, vulnerable: p.vulnerable, code: p.code })) });

const results: { judge: string; set: string; scores: SetScore[]; msPer1000: number }[] = [];
for (const judge of BENCH_JUDGES.filter((j) => !wantedJudges || wantedJudges.includes(j.name))) {
	const missing = await judge.unavailable();
	if (missing) {
		console.log(`\n--- ${judge.name}: not measured: ${missing}`);
		continue;
	}
	for (const set of sets.filter((s) => wantedSets.includes(s.name))) {
		const programs = set.programs.filter((p) => judge.languages.includes(p.language));
		if (programs.length === 0) continue;
		const start = performance.now();
		const verdicts = await judge.judge(programs);
		const ms = performance.now() - start;
		const rows: LabelledJudgement[] = programs.map((p, k) => ({ id: p.id, pairId: p.pairId, cwe: p.cwe, language: p.language, vulnerable: p.vulnerable, judged: verdicts[k].judged, status: verdicts[k].status }));
		const scores = scoreSet(rows);
		const msPer1000 = (1000 * ms) / programs.length;
		results.push({ judge: judge.name, set: set.name, scores, msPer1000 });
		const shown = brief ? scores.filter((s) => s.group === 'overall' || s.group.startsWith('lang:')) : scores;
		console.log(`\n${formatSetScores(`--- ${judge.name} on ${set.name}: ${programs.length} programs, ${(ms / 1000).toFixed(1)} s (${(msPer1000 / 1000).toFixed(1)} s per 1,000)`, shown)}`);
	}
}

// Targets of issue 12 (on SVEN: dev and held-out each).
const get = (judge: string, set: string, group: string) => results.find((r) => r.judge === judge && r.set === set)?.scores.find((s) => s.group === group);
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'met' : 'NOT met');
console.log('\n=== targets (issue 12)');
for (const set of ['sven-dev', 'sven-held-out']) {
	const all = get('rules', set, 'overall');
	const c = get('rules', set, 'lang:c');
	console.log(`${set}: rules >= 75% overall: ${verdict(all && all.score.consistency >= 75)} (${all?.score.consistency.toFixed(1)}); >= 68% on C: ${verdict(c && c.score.consistency >= 68)} (${c?.score.consistency.toFixed(1)}); |Diff| <= 15: ${verdict(all && Math.abs(all.score.diff) <= 15)} (${all?.score.diff.toFixed(1)}); pair accuracy >= 40%: ${verdict(all && all.pair_accuracy >= 40)} (${all?.pair_accuracy.toFixed(1)})`);
	const cJudges = results.filter((r) => r.set === set && r.judge !== 'rules' && r.judge !== 'rules-v1').map((r) => ({ judge: r.judge, s: r.scores.find((s) => s.group === 'lang:c') })).filter((x) => x.s);
	const best = cJudges.sort((a, b) => b.s!.score.consistency - a.s!.score.consistency)[0];
	console.log(`${set}: best C analyzer >= 65% on C: ${verdict(best && best.s!.score.consistency >= 65)} (${best ? `${best.judge} ${best.s!.score.consistency.toFixed(1)}` : 'none measured'})`);
}
const pearce = get('rules', 'pearce', 'overall');
console.log(`pearce: rules >= 88%: ${verdict(pearce && pearce.score.consistency >= 88)} (${pearce?.score.consistency.toFixed(1)})`);
const perJudge = new Map<string, number>();
for (const r of results.filter((r) => r.set.startsWith('sven'))) perJudge.set(r.judge, Math.max(perJudge.get(r.judge) ?? 0, r.msPer1000));
const total = [...perJudge.values()].reduce((a, b) => a + b, 0) / 1000;
console.log(`all judges measured, per 1,000 programs: ${total.toFixed(1)} s (${[...perJudge].map(([j, ms]) => `${j} ${(ms / 1000).toFixed(1)} s`).join(', ')}); <= 60 s: ${verdict(total <= 60)}`);
