// Error analysis of the tree-sitter rule judge on C, on the SVEN DEV split only (the held-out
// split is never read past its split label): the two by-project halves of dev (A: studied,
// B: checked; src/lib/judges/rules/sven-split.ts svenDevHalfOf), with, per half,
// - consistency, TPR and false-alarm rate, overall / Python / C and per C CWE;
// - pair outcomes on C: vulnerable flagged and fixed passed (ok), both flagged, neither, reversed
//   (on paired data, consistency = 50% + (ok - reversed) / (2 × pairs): only ok pairs move it);
//   and how many both-flagged pairs get the SAME findings (rule + line text) on both versions;
// - the abstention question: consistency if "no sink of the CWE's family in the function" were
//   judged vulnerable instead of secure;
// - per rule: pairs where it fires on the vulnerable version of a pair it gets right, or on both;
// - how many pairs a sink-level rule could separate at all (fixed version with no unguarded sink
//   of the family while the vulnerable one has one): bounds (index / copy length whose names are
//   not in an if / loop condition before) and NULL (`p->x` with no test of p before).
// Aggregates only: no program text is printed.
// `--verdicts FILE` (a `bench/judges-real.ts --save FILE`): the same half lines for every judge
// saved there (the analyzers: only programs with a verdict; a pair counts when both have one),
// with the rules behind the verdicts on the C pairs, per half.
// Run: npx deno run --allow-read --allow-env bench/sven-dev-study.ts [--verdicts FILE]

import { parseSven, svenDevHalfOf, type SvenProgram } from '../src/lib/judges/rules/sven-split.ts';
import { completeCFunction, createTreeRuleJudge } from '../src/lib/judges/rules/judge.ts';
import { analyseFunction, calleeOf, functionsOf, lastSegment } from '../src/lib/judges/rules/dataflow.ts';
import { loadParsers } from '../src/lib/judges/rules/parse.ts';
import { field, named, ofType, textOf, toSyn, walk, type Syn } from '../src/lib/judges/rules/syntax.ts';

const path = `${new URL('.', import.meta.url).pathname}../../shared/sven/train.jsonl`;
let text: string;
try {
	text = Deno.readTextFileSync(path);
} catch {
	console.log(`sven-dev-study: skipped: cannot read ${path}`);
	Deno.exit(0);
}
const dev = parseSven(text, path).filter((p) => p.split === 'dev' && p.language !== 'cpp');
const judge = await createTreeRuleJudge();
const parsers = await loadParsers();
type Row = SvenProgram & { half: 'A' | 'B'; judged: boolean; rules: string[] };
const rows: Row[] = dev.map((p) => {
	const v = judge.judge({ code: p.code, language: p.language as 'c' | 'python', cwe: p.cwe });
	return { ...p, half: svenDevHalfOf(p.project), judged: v.vulnerable, rules: v.findings.map((f) => `${f.rule}|${p.code.split('\n')[f.line - 1]?.trim() ?? ''}`) };
});
const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : '-').padStart(5);
const pairsOf = (sel: Row[]) => {
	const m = new Map<string, Row[]>();
	for (const r of sel) m.set(r.pairId, [...(m.get(r.pairId) ?? []), r]);
	return [...m.values()].filter((ps) => ps.length === 2).map((ps) => ({ v: ps.find((x) => x.vulnerable)!, s: ps.find((x) => !x.vulnerable)! })).filter((p) => p.v && p.s);
};
const outcome = (p: { v: Row; s: Row }) => (p.v.judged ? (p.s.judged ? 'both' : 'ok') : p.s.judged ? 'reversed' : 'neither');

function line(label: string, sel: Row[]) {
	const vul = sel.filter((r) => r.vulnerable);
	const sec = sel.filter((r) => !r.vulnerable);
	const pairs = pairsOf(sel);
	const count = (o: string) => pairs.filter((p) => outcome(p) === o).length;
	console.log(`${label.padEnd(14)} n ${String(sel.length).padStart(4)}  consistency ${pct(sel.filter((r) => r.judged === r.vulnerable).length, sel.length)}  TPR ${pct(vul.filter((r) => r.judged).length, vul.length)}  false alarms ${pct(sec.filter((r) => r.judged).length, sec.length)}  pairs ${String(pairs.length).padStart(3)}: ok ${count('ok')}, both ${count('both')}, neither ${count('neither')}, reversed ${count('reversed')}`);
}

/** Sinks of the CWE's family in one C function (for the abstention question). */
const FREE = /\b(free|kfree|\w+_free|\w+_put|\w+_release|\w+_destroy|\w+_unref|put_\w+|release_\w+|destroy_\w+|fclose|close)\s*\(/;
function treeOf(code0: string): { code: string; root: Syn } {
	const code = completeCFunction(code0);
	const tree = parsers.parse(code, 'c');
	const root = toSyn(tree);
	tree.delete();
	return { code, root };
}
function sinkCount(code0: string, cwe: string): number {
	const { code, root } = treeOf(code0);
	const n = walk(root);
	if (cwe === 'CWE-416') return n.filter((x) => x.type === 'call_expression' && FREE.test(textOf(code, x))).length;
	if (cwe === 'CWE-476') return n.filter((x) => (x.type === 'field_expression' && textOf(code, x).includes('->')) || (x.type === 'pointer_expression' && textOf(code, x).startsWith('*'))).length;
	if (cwe === 'CWE-190') return n.filter((x) => x.type === 'binary_expression' && /^[*+<-]/.test(textOf(code, x.children.find((k) => !k.named) ?? x))).length;
	return n.filter((x) => x.type === 'subscript_expression' || (x.type === 'call_expression' && /mem(cpy|move|set)|str\w*cpy|copy_\w+/.test(textOf(code, x))) || (x.type === 'pointer_expression' && textOf(code, x).startsWith('*'))).length;
}

const COPY = /^(memcpy|memmove|memset|strncpy|strncat|copy_from_user|copy_to_user|read|fread|recv|snprintf|memcmp)$/;
/** Unguarded sinks in one C function: bounds (index / copy length) or NULL (p->x with no test of p before). */
function unguarded(code0: string, kind: 'bounds' | 'null'): number {
	const { code, root } = treeOf(code0);
	let n = 0;
	for (const fn of functionsOf(root, 'c')) {
		const f = analyseFunction(code, fn, 'c');
		if (kind === 'bounds') {
			const open = (e: Syn) =>
				walk(e).some((d) => {
					if ((d.type !== 'identifier' && d.type !== 'field_expression') || d.parent?.type === 'field_expression' || d.parent?.type === 'call_expression') return false;
					const name = textOf(code, d).replace(/\s+/g, '');
					return !/^[A-Z_][A-Z0-9_]*$/.test(name) && !((f.guardedAt.get(name) ?? Infinity) < d.start);
				});
			for (const s of ofType(fn, 'subscript_expression')) {
				const i = field(s, 'index');
				if (i && i.type !== 'number_literal' && open(i)) n++;
			}
			for (const c of ofType(fn, 'call_expression')) {
				if (!COPY.test(lastSegment(calleeOf(code, c)))) continue;
				const a = named(field(c, 'arguments') ?? c);
				const l = a[a.length - 1];
				if (l && l.type !== 'number_literal' && l.type !== 'sizeof_expression' && open(l)) n++;
			}
		} else {
			const seen = new Set<string>();
			for (const d of walk(fn)) {
				if (d.type !== 'field_expression' || !textOf(code, d).includes('->')) continue;
				const arg = field(d, 'argument');
				const name = arg ? textOf(code, arg).replace(/\s+/g, '') : '';
				if (!name || seen.has(name)) continue;
				seen.add(name);
				if (!((f.testedAt.get(name) ?? Infinity) < d.start)) n++;
			}
		}
	}
	return n;
}

for (const half of ['A', 'B'] as const) {
	const h = rows.filter((r) => r.half === half);
	const c = h.filter((r) => r.language === 'c');
	console.log(`\n=== dev half ${half}`);
	line('all', h);
	line('python', h.filter((r) => r.language === 'python'));
	line('C', c);
	for (const cwe of [...new Set(c.map((r) => r.cwe))].sort()) line(`  ${cwe}`, c.filter((r) => r.cwe === cwe));
	const both = pairsOf(c).filter((p) => outcome(p) === 'both');
	const same = both.filter((p) => p.v.rules.length === p.s.rules.length && p.v.rules.every((x) => p.s.rules.includes(x))).length;
	console.log(`C pairs flagged on both versions: ${both.length}, with the same findings (rule + line text) on both: ${same}`);
	const missed = c.filter((r) => r.vulnerable && !r.judged);
	const noSink = missed.filter((r) => sinkCount(r.code, r.cwe) === 0).length;
	const sim = c.filter((r) => (r.judged || sinkCount(r.code, r.cwe) === 0) === r.vulnerable).length;
	console.log(`C misses: ${missed.length}, of which with no sink of the CWE's family: ${noSink}; consistency with "no sink = vulnerable": ${pct(sim, c.length)} (now ${pct(c.filter((r) => r.judged === r.vulnerable).length, c.length)})`);
	for (const [kind, cwes] of [['bounds', /^CWE-(125|787|119)$/], ['null', /^CWE-476$/]] as const) {
		const pairs = pairsOf(c.filter((r) => cwes.test(r.cwe)));
		let separable = 0;
		let fewer = 0;
		for (const p of pairs) {
			const [a, b] = [unguarded(p.v.code, kind), unguarded(p.s.code, kind)];
			if (a > 0 && b === 0) separable++;
			if (a > b) fewer++;
		}
		console.log(`sink-level ${kind} rule: ${pairs.length} pairs, separable (fixed has no unguarded sink) ${separable}, fixed has fewer unguarded sinks ${fewer}`);
	}
}

console.log('\n=== per C rule: pairs it helps (fires on the vulnerable version of a pair judged right) / fires on both versions');
const perRule = new Map<string, Record<string, number>>();
for (const half of ['A', 'B'] as const) {
	for (const p of pairsOf(rows.filter((r) => r.half === half && r.language === 'c'))) {
		const rv = new Set(p.v.rules.map((x) => x.split('|')[0]));
		const rs = new Set(p.s.rules.map((x) => x.split('|')[0]));
		for (const r of new Set([...rv, ...rs])) {
			const t = perRule.get(r) ?? {};
			const k = `${half}:${outcome(p) === 'ok' && rv.has(r) ? 'ok' : rv.has(r) && rs.has(r) ? 'both' : 'other'}`;
			t[k] = (t[k] ?? 0) + 1;
			perRule.set(r, t);
		}
	}
}
for (const [r, t] of [...perRule].sort((a, b) => a[0].localeCompare(b[0]))) console.log(`${r.padEnd(40)} A ok ${t['A:ok'] ?? 0} both ${t['A:both'] ?? 0} | B ok ${t['B:ok'] ?? 0} both ${t['B:both'] ?? 0}`);

// Judges saved by bench/judges-real.ts --save, per dev half (the analyzers' error rows left out).
const verdictsAt = Deno.args.indexOf('--verdicts');
if (verdictsAt >= 0) {
	const file = Deno.args[verdictsAt + 1];
	const saved = JSON.parse(Deno.readTextFileSync(file)) as Record<string, Record<string, Record<string, { judged: boolean | null; status: string; detail?: string }>>>;
	for (const [name, bySet] of Object.entries(saved)) {
		const got = bySet['sven-dev'];
		if (!got) continue;
		const judged: Row[] = rows.flatMap((r) => {
			const v = got[r.id];
			return v && v.status === 'ok' && v.judged !== null ? [{ ...r, judged: v.judged, rules: v.judged ? (v.detail ?? '').split(' ').filter(Boolean).map((x) => x.replace(/@\d+$/, '')) : [] }] : [];
		});
		for (const half of ['A', 'B'] as const) {
			const c = judged.filter((r) => r.half === half && r.language === 'c');
			if (c.length === 0) continue;
			console.log(`\n=== ${name} (from ${file}) on dev half ${half}: ${c.length} C programs with a verdict of ${rows.filter((r) => r.half === half && r.language === 'c' && got[r.id]).length} judged`);
			line('C', c);
			for (const cwe of [...new Set(c.map((r) => r.cwe))].sort()) line(`  ${cwe}`, c.filter((r) => r.cwe === cwe));
			const byRule = new Map<string, Record<string, number>>();
			for (const p of pairsOf(c)) {
				for (const rule of new Set([...p.v.rules, ...p.s.rules])) {
					const t = byRule.get(rule) ?? {};
					const k = p.v.rules.includes(rule) ? (p.s.rules.includes(rule) ? 'both' : 'vulnerable only') : 'fixed only';
					t[k] = (t[k] ?? 0) + 1;
					byRule.set(rule, t);
				}
			}
			for (const [rule, t] of byRule) console.log(`  rule ${rule.padEnd(44)} on pairs: vulnerable only ${t['vulnerable only'] ?? 0}, both ${t.both ?? 0}, fixed only ${t['fixed only'] ?? 0}`);
		}
	}
}
