// Every offline judge (old rule judge, tree-sitter rule judge, each installed analyzer) on real
// labelled code: SVEN dev and held-out splits (../shared/sven/train.jsonl, split by project,
// see src/lib/judges/rules/sven-split.ts) and the Pearce et al. programs
// (../shared/coveval/pearce/dow_programs.jsonl). Prints consistency, TPR, TNR, kappa, Diff and
// pair accuracy with 95% bootstrap CIs, overall / per language / per CWE, the time per 1,000
// programs, and whether the issue-12 targets are met.
// Ensembles (judges/ensemble/combine.ts) of the judges measured on C are searched on the SVEN
// dev split only; the held-out figures of the chosen ones are reported, never used to choose.
// `--save FILE` writes every verdict (judge → set → program id → status, verdict, why) as JSON;
// `--compare FILE` then reads such a file and prints, per judge and set, how many programs now
// get another verdict or status than in it, and why (the first few of each).
// Opt-in judges (clang-taint) are measured only when named in --judges.
// `--from-saved FILE` reads the verdicts a --save run wrote instead of running the judges.
// Ensembles (any/all/majority) are searched per language on sven-dev. `--learn-routes FILE
// [--route-name N] [--route-version V]` learns a routing table (judges/ensemble/learn-routes.ts)
// on sven-dev (with --half A: half A) and writes it as a data module; every table in
// judges/ensemble/route-tables.ts is reported on each SVEN set as ensemble:route:<name>.
// `--half A|B` keeps only that by-project half of SVEN dev (sven-split.ts svenDevHalfOf: A is
// studied while writing rules, B checks them); the held-out split is untouched by it.
// Run: npx deno run --allow-read --allow-write --allow-env --allow-run bench/judges-real.ts [--judges rules,gcc] [--sets sven-dev,sven-held-out,pearce] [--half A|B] [--brief] [--save FILE] [--compare FILE] [--from-saved FILE] [--learn-routes FILE]

import { parsePearcePrograms } from '../src/lib/core/judges/rules/pearce-measure.ts';
import { parseSven, svenDevHalfOf } from '../src/lib/judges/rules/sven-split.ts';
import { tryNormalizeCweId } from '../src/lib/core/cwe.ts';
import { formatSetScores, scoreSet, type LabelledJudgement, type SetScore } from '../src/lib/judges/rules/measure-sets.ts';
import { BENCH_JUDGES, type BenchProgram, type BenchVerdict } from './lib/real-judges.ts';
import { ENSEMBLE_RULES } from '../src/lib/judges/ensemble/combine.ts';
import { ensembleVerdicts, routedVerdicts, routeTableModule, ruleSignals, subsets, verdictReader } from './lib/ensemble-search.ts';
import { learnRoutes } from '../src/lib/judges/ensemble/learn-routes.ts';
import { ROUTE_TABLES } from '../src/lib/judges/ensemble/route-tables.ts';
import { tableMembers, type RouteTable } from '../src/lib/judges/ensemble/route.ts';

const arg = (name: string) => {
	const i = Deno.args.indexOf(`--${name}`);
	return i >= 0 ? Deno.args[i + 1] : undefined;
};
const brief = Deno.args.includes('--brief');
const wantedJudges = arg('judges')?.split(',');
const wantedSets = arg('sets')?.split(',') ?? ['sven-dev', 'sven-held-out', 'pearce'];
const half = arg('half');
if (half !== undefined && half !== 'A' && half !== 'B') throw new Error(`--half must be A or B, got ${JSON.stringify(half)}`);
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
		sven.filter((p) => p.split === split && (split !== 'dev' || !half || svenDevHalfOf(p.project) === half)).map((p) => ({ id: p.id, pairId: p.pairId, cwe: p.cwe, language: p.language as 'c' | 'python', vulnerable: p.vulnerable, code: p.code }));
	if (half) console.log(`judges-real: sven-dev is its half ${half} only (--half)`);
	sets.push({ name: 'sven-dev', programs: toBench('dev') }, { name: 'sven-held-out', programs: toBench('held-out') });
}
const pearceText = read(pearcePath);
if (pearceText === null) console.log(`judges-real: skipped Pearce: cannot read ${pearcePath}`);
else sets.push({ name: 'pearce', programs: parsePearcePrograms(pearceText, pearcePath).map((p) => ({ id: p.id, pairId: null, cwe: p.cwe, language: p.language, vulnerable: p.vulnerable, code: p.code })) });

/** The 1, 5 and 15 minute load averages (from `cat /proc/loadavg`: reading /proc needs --allow-sys in Deno), or 'unknown'. */
const loadAverage = () => {
	try {
		return new TextDecoder().decode(new Deno.Command('cat', { args: ['/proc/loadavg'], stdout: 'piped' }).outputSync().stdout).split(' ').slice(0, 3).join(' ');
	} catch {
		return 'unknown';
	}
};
/**
 * CPU seconds used so far by this process and the tool processes it has waited for
 * (/proc/<pid>/stat: utime + stime + cutime + cstime, in 1/100 s), read through `cat`. Wall time
 * on a shared machine says more about the others' load than about a judge; CPU time does not.
 */
const cpuSeconds = (): number => {
	try {
		const stat = new TextDecoder().decode(new Deno.Command('cat', { args: [`/proc/${Deno.pid}/stat`], stdout: 'piped' }).outputSync().stdout);
		const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
		return (f[11] + f[12] + f[13] + f[14]) / 100;
	} catch {
		return NaN;
	}
};
const results: { judge: string; set: string; scores: SetScore[]; msPer1000: number; cpuPer1000: number }[] = [];
/** judge → set → program id → verdict (for the ensembles). */
const verdictsOf = new Map<string, Map<string, Map<string, BenchVerdict>>>();
/** set → seconds (wall, CPU) all judges measured took on it, as it is (not scaled per 1,000). */
const setWall = new Map<string, number>();
const setCpu = new Map<string, number>();
console.log(`judges-real: load average ${loadAverage()} at the start (2 cores)`);
// an opt-in judge (clang-taint) only when named: it is not among the judges a run uses by default
// --from-saved FILE: the verdicts of an earlier run (--save) instead of running the judges (they
// are real runs' verdicts; a judge or set missing from the file is not measured; times are not)
const fromSavedPath = arg('from-saved');
const saved = fromSavedPath ? (JSON.parse(Deno.readTextFileSync(fromSavedPath)) as Record<string, Record<string, Record<string, BenchVerdict>>>) : null;
if (saved) console.log(`judges-real: verdicts read from ${fromSavedPath} (saved by --save; no judge runs now, so no times)`);
const judgesNow = saved ? Object.keys(saved).filter((name) => (wantedJudges ? wantedJudges.includes(name) : true)).map((name) => BENCH_JUDGES.find((j) => j.name === name)!).filter(Boolean) : BENCH_JUDGES.filter((j) => (wantedJudges ? wantedJudges.includes(j.name) : !j.optIn));
for (const judge of judgesNow) {
	if (saved) {
		for (const set of sets.filter((s) => wantedSets.includes(s.name))) {
			const byId = saved[judge.name]?.[set.name];
			if (!byId) continue;
			const programs = set.programs.filter((p) => byId[p.id] !== undefined);
			if (programs.length === 0) continue;
			if (!verdictsOf.has(judge.name)) verdictsOf.set(judge.name, new Map());
			verdictsOf.get(judge.name)!.set(set.name, new Map(programs.map((p) => [p.id, byId[p.id]])));
			const scores = scoreSet(programs.map((p) => ({ id: p.id, pairId: p.pairId, cwe: p.cwe, language: p.language, vulnerable: p.vulnerable, judged: byId[p.id].judged, status: byId[p.id].status })));
			results.push({ judge: judge.name, set: set.name, scores, msPer1000: NaN, cpuPer1000: NaN });
			const shown = brief ? scores.filter((s) => s.group === 'overall' || s.group.startsWith('lang:')) : scores;
			console.log(`\n${formatSetScores(`--- ${judge.name} on ${set.name}: ${programs.length} programs (saved verdicts)`, shown)}`);
		}
		continue;
	}
	const missing = await judge.unavailable();
	if (missing) {
		console.log(`\n--- ${judge.name}: not measured: ${missing}`);
		continue;
	}
	for (const set of sets.filter((s) => wantedSets.includes(s.name))) {
		const ofLanguage = set.programs.filter((p) => judge.languages.includes(p.language));
		// targets of a CWE the judge cannot report are not applicable (no row, as in a judge run);
		// the time per 1,000 stays per 1,000 programs of its language, so skipping them counts
		const programs = ofLanguage.filter((p) => !judge.cwes || judge.cwes.includes(tryNormalizeCweId(p.cwe) ?? p.cwe));
		if (programs.length === 0) continue;
		const start = performance.now();
		const cpuStart = cpuSeconds();
		const verdicts = await judge.judge(programs);
		const ms = performance.now() - start;
		const cpuPer1000 = (1000 * (cpuSeconds() - cpuStart)) / ofLanguage.length;
		if (!verdictsOf.has(judge.name)) verdictsOf.set(judge.name, new Map());
		verdictsOf.get(judge.name)!.set(set.name, new Map(programs.map((p, k) => [p.id, verdicts[k]])));
		const rows: LabelledJudgement[] = programs.map((p, k) => ({ id: p.id, pairId: p.pairId, cwe: p.cwe, language: p.language, vulnerable: p.vulnerable, judged: verdicts[k].judged, status: verdicts[k].status }));
		const scores = scoreSet(rows);
		const msPer1000 = (1000 * ms) / ofLanguage.length;
		setWall.set(set.name, (setWall.get(set.name) ?? 0) + ms / 1000);
		setCpu.set(set.name, (setCpu.get(set.name) ?? 0) + (cpuPer1000 * ofLanguage.length) / 1000);
		results.push({ judge: judge.name, set: set.name, scores, msPer1000, cpuPer1000 });
		const shown = brief ? scores.filter((s) => s.group === 'overall' || s.group.startsWith('lang:')) : scores;
		const outside = ofLanguage.length - programs.length;
		console.log(`\n${formatSetScores(`--- ${judge.name} on ${set.name}: ${programs.length} programs${outside ? ` (${outside} more not applicable: a target CWE it cannot report)` : ''}, ${(ms / 1000).toFixed(1)} s (${(msPer1000 / 1000).toFixed(1)} s per 1,000 ${judge.languages.join('/')} programs; CPU ${cpuPer1000.toFixed(1)} s per 1,000)`, shown)}`);
	}
}

// Verdicts saved / compared program by program with an earlier run's (--save / --compare).
const savePath = arg('save');
const comparePath = arg('compare');
const asJson = () => Object.fromEntries([...verdictsOf].map(([judge, bySet]) => [judge, Object.fromEntries([...bySet].map(([set, byId]) => [set, Object.fromEntries(byId)]))]));
if (savePath) {
	Deno.writeTextFileSync(savePath, JSON.stringify(asJson()));
	console.log(`\njudges-real: verdicts saved to ${savePath}`);
}
if (comparePath) {
	const before = JSON.parse(Deno.readTextFileSync(comparePath)) as Record<string, Record<string, Record<string, BenchVerdict>>>;
	const shown = (v: BenchVerdict | undefined) => (!v ? 'no row' : v.status === 'error' ? `error (${(v.detail ?? '').slice(0, 160)})` : `${v.judged ? 'vulnerable' : 'safe'}${v.detail ? ` [${v.detail}]` : ''}`);
	console.log(`\n=== verdicts compared with ${comparePath}`);
	for (const [judge, bySet] of verdictsOf) {
		for (const [set, byId] of bySet) {
			const old = before[judge]?.[set];
			if (!old) {
				console.log(`${judge} on ${set}: not in ${comparePath}`);
				continue;
			}
			const differ = [...byId].filter(([id, v]) => old[id]?.status !== v.status || old[id]?.judged !== v.judged);
			const onlyWhy = [...byId].filter(([id, v]) => old[id]?.status === v.status && old[id]?.judged === v.judged && (old[id]?.detail ?? '') !== (v.detail ?? ''));
			// programs it judged before and no longer judges (not applicable now): what they got then
			const dropped = Object.entries(old).filter(([id]) => !byId.has(id));
			const then = (pred: (v: BenchVerdict) => boolean) => dropped.filter(([, v]) => pred(v)).length;
			const droppedText = dropped.length ? `; ${dropped.length} not judged now (before: ${then((v) => v.status === 'ok' && v.judged === false)} safe, ${then((v) => v.status === 'ok' && v.judged === true)} vulnerable, ${then((v) => v.status !== 'ok')} error)` : '';
			console.log(`${judge} on ${set}: ${differ.length} of ${byId.size} programs get another verdict or status${onlyWhy.length ? `; ${onlyWhy.length} the same verdict for another reason` : ''}${droppedText}`);
			for (const [id, v] of [...differ, ...onlyWhy].slice(0, 8)) console.log(`  ${id}: before ${shown(old[id])}; now ${shown(v)}`);
		}
	}
}

// Ensembles per language: chosen on sven-dev, then reported on sven-held-out as they are.
const MIN_COVERAGE = 70;
const ensembleResults: { judge: string; set: string; scores: SetScore[] }[] = [];
const dev = sets.find((s) => s.name === 'sven-dev');
/** The judges measured on sven-dev for this language (rules-v1 is inside rules). */
const membersOf = (language: string) => [...verdictsOf.keys()].filter((j) => j !== 'rules-v1' && dev?.programs.some((p) => p.language === language && verdictsOf.get(j)?.get('sven-dev')?.has(p.id)));
for (const language of ['c', 'python'] as const) {
	const members = membersOf(language);
	if (!dev || members.length < 2) continue;
	const ofDev = dev.programs.filter((p) => p.language === language);
	const candidates: { spec: string; consistency: number; coverage: number; score: SetScore }[] = [];
	for (const group of subsets(members, 2, 4)) {
		for (const rule of ENSEMBLE_RULES) {
			const spec = `ensemble:${rule}:${group.join('+')}`;
			const score = scoreSet(ensembleVerdicts(rule, group, ofDev, verdictsOf, 'sven-dev'))[0];
			const coverage = (100 * (score.score.n - score.score.n_error)) / Math.max(1, score.score.n);
			candidates.push({ spec, consistency: score.score.consistency, coverage, score });
		}
	}
	const eligible = candidates.filter((c) => c.coverage >= MIN_COVERAGE && Number.isFinite(c.consistency)).sort((a, b) => b.consistency - a.consistency);
	console.log(`\n=== ensembles on ${language}, chosen on sven-dev (${candidates.length} tried: any/all/majority of 2-4 of ${members.join(', ')}; a verdict on >= ${MIN_COVERAGE}% of the ${language} programs required)`);
	for (const c of eligible.slice(0, 8)) console.log(`${c.spec.padEnd(44)} dev ${language} consistency ${c.consistency.toFixed(1)} [${c.score.score.consistency_ci.low.toFixed(1)},${c.score.score.consistency_ci.high.toFixed(1)}], verdicts on ${c.coverage.toFixed(0)}%, TPR ${c.score.tpr.toFixed(1)}, TNR ${c.score.tnr.toFixed(1)}, pairs ${c.score.pair_accuracy.toFixed(1)}`);
	for (const chosen of eligible.slice(0, language === 'c' ? 3 : 1)) {
		const [, rule, list] = chosen.spec.split(':');
		for (const set of sets.filter((s) => s.name.startsWith('sven') && wantedSets.includes(s.name))) {
			const programs = set.programs.filter((p) => p.language === language);
			const scores = scoreSet(ensembleVerdicts(rule as (typeof ENSEMBLE_RULES)[number], list.split('+'), programs, verdictsOf, set.name));
			ensembleResults.push({ judge: chosen.spec, set: set.name, scores });
			console.log(`\n${formatSetScores(`--- ${chosen.spec} on ${set.name} (${language} only)`, brief ? scores.slice(0, 1) : scores)}`);
		}
	}
}

// Routed ensembles ("route by CWE", judges/ensemble/route.ts). --learn-routes FILE learns a table
// on sven-dev as measured now (with --half A: half A only) by the rule in learn-routes.ts and
// writes it as a data module; every shipped table (route-tables.ts) is then reported on each set.
const learnPath = arg('learn-routes');
const learnt: RouteTable[] = [];
if (learnPath) {
	if (!dev) throw new Error('--learn-routes needs the sven-dev set');
	const name = arg('route-name') ?? `sven-dev-${half ?? 'all'}`;
	const command = `npx deno run --allow-read --allow-write --allow-env --allow-run bench/judges-real.ts ${Deno.args.join(' ')}`;
	const table = learnRoutes(dev.programs, verdictReader(verdictsOf, 'sven-dev'), { members: { c: membersOf('c'), python: membersOf('python') } }, {
		name,
		version: Number(arg('route-version') ?? 1),
		learntOn: `../shared/sven/train.jsonl, dev split${half ? ` half ${half} (sven-split.ts svenDevHalfOf)` : ''}: ${dev.programs.length} programs; member verdicts ${fromSavedPath ? `saved by judges-real.ts --save (${fromSavedPath})` : 'from this run'}; ${new Date().toISOString().slice(0, 10)}`,
		command
	});
	const exportName = `ROUTES_${name.replace(/[^A-Za-z0-9]/g, '_').toUpperCase()}`;
	Deno.writeTextFileSync(learnPath, routeTableModule(table, exportName));
	console.log(`\n=== routing table ${name} learnt on sven-dev${half ? ` half ${half}` : ''}, written to ${learnPath} (export ${exportName}; list it in src/lib/judges/ensemble/route-tables.ts)`);
	for (const [language, r] of Object.entries(table.fallback)) console.log(`fallback ${language}: ${r.rule}:${r.members.join('+')} (${r.consistency} on ${r.programs})`);
	for (const [key, r] of Object.entries(table.routes)) console.log(`${key.padEnd(16)} ${`${r.rule}:${r.members.join('+')}`.padEnd(40)} ${r.consistency} (fallback ${r.fallbackConsistency}) on ${r.verdicts}/${r.programs}`);
	learnt.push(table);
}
for (const table of [...ROUTE_TABLES.filter((t) => !learnt.some((l) => l.name === t.name)), ...learnt]) {
	const spec = `ensemble:route:${table.name}`;
	const unmeasured = tableMembers(table).filter((m) => !verdictsOf.has(m));
	if (unmeasured.length > 0) {
		console.log(`\n--- ${spec}: not scored: its members ${unmeasured.join(', ')} were not measured in this run`);
		continue;
	}
	for (const set of sets.filter((s) => s.name.startsWith('sven') && wantedSets.includes(s.name))) {
		const scores = scoreSet(routedVerdicts(table, set.programs, verdictsOf, set.name));
		ensembleResults.push({ judge: spec, set: set.name, scores });
		console.log(`\n${formatSetScores(`--- ${spec}${learnt.includes(table) ? ' (just learnt)' : ''} on ${set.name}`, brief ? scores.filter((s) => s.group === 'overall' || s.group.startsWith('lang:')) : scores)}`);
	}
}

// --rule-study: per analyzer finding rule and target CWE on sven-dev (with --half, that half),
// how often it is reported on the vulnerable and on the fixed versions, and whether cwe-map.ts
// counts it toward that CWE now (it decided a verdict there) (needs verdicts saved with their rules: BenchVerdict.rules).
if (Deno.args.includes('--rule-study') && dev) {
	const all = ruleSignals(dev.programs, verdictsOf, 'sven-dev');
	const most = Math.max(0, ...all.map((s) => s.pairsOnlyVulnerable - s.pairsOnlyFixed));
	console.log(`\n=== finding rules: ${all.length} (judge, rule, CWE) combinations; the most pairs where only the vulnerable version has a rule, less those where only the fixed one has it: ${most} (${all.filter((s) => s.pairsOnlyVulnerable - s.pairsOnlyFixed === most).map((s) => `${s.judge} ${s.rule} ${s.cwe}`).slice(0, 6).join('; ')})`);
	const signals = all.filter((s) => s.vulnerableWith + s.fixedWith >= 3);
	signals.sort((a, b) => b.pairsOnlyVulnerable - b.pairsOnlyFixed - (a.pairsOnlyVulnerable - a.pairsOnlyFixed) || b.vulnerableWith - b.fixedWith - (a.vulnerableWith - a.fixedWith));
	console.log(`\n=== finding rules on sven-dev${half ? ` half ${half}` : ''} (reported on >= 3 programs of a CWE): vulnerable / fixed versions with it, pairs where only the vulnerable / only the fixed one has it; mapped: cwe-map.ts counts it toward that CWE now`);
	for (const s of signals.slice(0, 40)) console.log(`${s.judge.padEnd(12)} ${s.rule.padEnd(52)} ${s.cwe.padEnd(8)} V ${String(s.vulnerableWith).padStart(3)}/${s.vulnerable}  F ${String(s.fixedWith).padStart(3)}/${s.fixed}  pairs only-V ${s.pairsOnlyVulnerable} only-F ${s.pairsOnlyFixed}  ${s.counted ? 'mapped' : ''}`);
}

// Targets of issue 12 (on SVEN: dev and held-out each).
const get = (judge: string, set: string, group: string) => results.find((r) => r.judge === judge && r.set === set)?.scores.find((s) => s.group === group);
const verdict = (ok: boolean | undefined) => (ok === undefined ? 'n/a' : ok ? 'met' : 'NOT met');
console.log('\n=== targets (issue 12)');
for (const set of ['sven-dev', 'sven-held-out']) {
	const all = get('rules', set, 'overall');
	const c = get('rules', set, 'lang:c');
	console.log(`${set}: rules >= 75% overall: ${verdict(all && all.score.consistency >= 75)} (${all?.score.consistency.toFixed(1)}); >= 68% on C: ${verdict(c && c.score.consistency >= 68)} (${c?.score.consistency.toFixed(1)}); |Diff| <= 15: ${verdict(all && Math.abs(all.score.diff) <= 15)} (${all?.score.diff.toFixed(1)}); pair accuracy >= 40%: ${verdict(all && all.pair_accuracy >= 40)} (${all?.pair_accuracy.toFixed(1)})`);
	// the best C analyzer or ensemble is chosen on sven-dev; held-out reports that same judge
	const cOn = (judge: string, on: string) => [...results, ...ensembleResults].find((r) => r.set === on && r.judge === judge)?.scores.find((s) => s.group === 'lang:c');
	const devBest = [...results, ...ensembleResults]
		.filter((r) => r.set === 'sven-dev' && r.judge !== 'rules' && r.judge !== 'rules-v1' && cOn(r.judge, 'sven-dev'))
		.sort((a, b) => cOn(b.judge, 'sven-dev')!.score.consistency - cOn(a.judge, 'sven-dev')!.score.consistency)[0]?.judge;
	const best = devBest ? cOn(devBest, set) : undefined;
	console.log(`${set}: best C analyzer or ensemble (chosen on sven-dev) >= 65% on C: ${verdict(best && best.score.consistency >= 65)} (${best ? `${devBest} ${best.score.consistency.toFixed(1)}` : 'none measured'})`);
}
const pearce = get('rules', 'pearce', 'overall');
console.log(`pearce: rules >= 88%: ${verdict(pearce && pearce.score.consistency >= 88)} (${pearce?.score.consistency.toFixed(1)})`);
const perJudge = new Map<string, { wall: number; cpu: number }>();
for (const r of results.filter((r) => r.set.startsWith('sven'))) {
	const before = perJudge.get(r.judge);
	if (!before || r.msPer1000 / 1000 > before.wall) perJudge.set(r.judge, { wall: r.msPer1000 / 1000, cpu: r.cpuPer1000 });
}
const total = [...perJudge.values()].reduce((a, b) => a + b.wall, 0);
const cpu = [...perJudge.values()].reduce((a, b) => a + b.cpu, 0);
if (saved) console.log('times: not measured (--from-saved: no judge ran)');
else {
console.log(`load average at the end: ${loadAverage()}`);
console.log(`all judges measured, per 1,000 SVEN programs: wall ${total.toFixed(1)} s, CPU ${cpu.toFixed(1)} s (${[...perJudge].map(([j, t]) => `${j} ${t.wall.toFixed(1)} s wall / ${t.cpu.toFixed(1)} s CPU`).join(', ')})`);
for (const [set, wall] of setWall) console.log(`all judges measured on ${set} as it is (${sets.find((s) => s.name === set)?.programs.length} programs, C and Python): wall ${wall.toFixed(1)} s, CPU ${(setCpu.get(set) ?? 0).toFixed(1)} s`);
console.log(`<= 60 s: ${verdict(total <= 60)} as measured (wall, on this machine at this load); with both cores free (CPU / 2, the analyzers run 2 processes at once): ${verdict(cpu / 2 <= 60)} (${(cpu / 2).toFixed(1)} s)`);
}
