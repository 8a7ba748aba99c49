// Hostile programs against the tree-sitter rule judge (src/lib/judges/rules/): per shape (deep
// nesting, long functions, thousands of distinct names and fields, assignment chains, huge
// strings and concatenations, calls with thousands of arguments, nested comprehensions, macro
// soup), generated here (our own code, never run) at four sizes, and every pass the judge makes
// timed on its own: parse, the plain-object tree (toSyn), the token rules (per CWE), the data
// flow facts, and each tree family. Prints the median CPU time (not wall: the machine is shared)
// per pass and size and the growth ratio from one size to the next (2× the size: ~2 is linear,
// ~4 quadratic). A pass that took over
// --skip-after seconds at one size is not run at the larger ones (marked "skip").
// A shape's size is its count of lines, names, arguments or pieces; the nesting shapes' size is
// their depth in levels, and the chains' (a && b && …, a = b = …) their length, both ÷ the shape's
// scale: the judge refuses past MAX_SYNTAX_DEPTH syntax levels (syntax.ts), which a chain of 1,000 passes.
// Run: npx deno run --allow-read --allow-env bench/rules-hostile.ts [--sizes 1000,2000,4000,8000]
//      [--shapes c.long-fn,py.and-chain] [--runs 3] [--skip-after 20] [--judge] [--worst 12]
// --judge also times the whole judge (judgeWithTree, every CWE of the language) per program.
// --limit MS instead judges every shape at the largest size for every CWE of its language with
// that time limit (deadline.ts) and prints how long each call held the thread (wall and CPU)
// and how it ended: a verdict, a refusal, or the time limit — the longest is what one program
// can block the server's event loop for.
// --loop judges every shape at the largest size, once per CWE of its language, as one judge run
// (runJudge into a temporary runs folder, as a page-started run does inside the web server) and
// prints the longest the event loop waited for a turn (a timer chain's largest gap) and the rows'
// statuses. --limit MS with --loop sets the run's time limit.

import process from 'node:process';
import { judgeWithRules } from '../src/lib/core/judges/rules/judge.ts';
import { analyseFunction, functionsOf } from '../src/lib/judges/rules/dataflow.ts';
import { completeCFunction, judgeWithTree, TREE_FAMILIES } from '../src/lib/judges/rules/judge.ts';
import { loadParsers } from '../src/lib/judges/rules/parse.ts';
import { toSyn, unparsedShare } from '../src/lib/judges/rules/syntax.ts';
import { C_HEAD, C_MIX, C_PARAMS } from '../tests/support/hostile-programs.ts';

const arg = (name: string) => {
	const i = Deno.args.indexOf(`--${name}`);
	return i >= 0 ? Deno.args[i + 1] : undefined;
};
if (Deno.args.includes('--help')) {
	console.log('npx deno run --allow-read --allow-env bench/rules-hostile.ts [--sizes 1000,2000,4000,8000] [--shapes a,b] [--runs 3] [--skip-after 20] [--judge] [--worst 12]');
	Deno.exit(0);
}
const SIZES = (arg('sizes') ?? '1000,2000,4000,8000').split(',').map(Number);
const RUNS = Number(arg('runs') ?? 3);
const SKIP_AFTER_MS = Number(arg('skip-after') ?? 20) * 1000;
const WHOLE = Deno.args.includes('--judge');
const WORST = Number(arg('worst') ?? 12);
const LIMIT = arg('limit') === undefined ? null : Number(arg('limit'));

type Lang = 'c' | 'python';
interface Shape {
	id: string;
	lang: Lang;
	/** Nesting shapes: the size is divided by this (levels instead of lines). */
	scale?: number;
	make(n: number): string;
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const cFn = (params: string, body: string[]) => [`int hostile(${params})`, '{', ...body, '  return 0;', '}', ''].join('\n');
const pyFn = (body: string[]) => ['from flask import request', 'import os, subprocess, sqlite3', '', 'def hostile(db, path, name):', ...body.map((l) => `    ${l}`), '    return None', ''].join('\n');

// Statements of the kinds the C families look at (indexes, frees, allocations, tests, reads): C_MIX,
// shared with the tests' hostile program.
const PY_MIX = [
	(i: number) => `v${i} = request.args.get("k${i}")`,
	(i: number) => `q${i} = "SELECT * FROM t WHERE a = '%s'" % v${i - 1}`,
	(i: number) => `db.execute(q${i - 1})`,
	(i: number) => `os.system("ls " + v${i - 3})`,
	(i: number) => `f${i} = open(os.path.join(path, v${i - 4}))`,
	(i: number) => `n${i} = int(request.form["n${i}"])`,
	(i: number) => `subprocess.call(v${i - 6}, shell=True)`,
	(i: number) => `h${i} = "<p>" + name + v${i - 7} + "</p>"`
];

const SHAPES: Shape[] = [
	// ---- C
	{ id: 'c.long-fn', lang: 'c', make: (n) => C_HEAD + cFn(C_PARAMS, ['  char buf2[64]; char line[64];', ...range(n).map((i) => C_MIX[i % C_MIX.length](i + 8))]) },
	{ id: 'c.many-fns', lang: 'c', make: (n) => C_HEAD + range(n / 8).map((j) => cFn(C_PARAMS, ['  char buf2[64]; char line[64];', ...range(8).map((i) => C_MIX[i](i + 8 + j))]).replace('hostile', `hostile${j}`)).join('\n') },
	{ id: 'c.many-vars', lang: 'c', make: (n) => C_HEAD + cFn(C_PARAMS, ['  char buf2[64];', ...range(n / 2).map((i) => `  int x${i} = buf[${i}];\n  if (x${i} < len) buf2[x${i}] = a[x${i}];`)]) },
	{ id: 'c.many-fields', lang: 'c', make: (n) => C_HEAD + cFn(C_PARAMS, ['  char buf2[64];', ...range(n / 2).map((i) => `  if (h->g${i} > n) return -1;\n  buf2[h->g${i}] = a[h->q${i}] + h->data[h->g${i}];`)]) },
	{ id: 'c.assign-chain', lang: 'c', make: (n) => C_HEAD + cFn(C_PARAMS, [...range(n).map((i) => `  int a${i} = ${i ? `a${i - 1}` : 'buf[k]'} + 1;`), `  return a[a${n - 1}];`]) },
	{ id: 'c.assign-nested', lang: 'c', scale: 10, make: (n) => C_HEAD + cFn(C_PARAMS, [`  int ${range(n).map((i) => `b${i}`).join(', ')};`, `  ${range(n).map((i) => `b${i}`).join(' = ')} = buf[k];`, `  a[b${n - 1}] = 0;`]) },
	{ id: 'c.and-chain', lang: 'c', scale: 10, make: (n) => C_HEAD + cFn(C_PARAMS, [`  if (${range(n).map((i) => `a[${i}] < len`).join(' && ')}) a[k] = buf[n];`]) },
	{ id: 'c.sum-chain', lang: 'c', scale: 10, make: (n) => C_HEAD + cFn(C_PARAMS, [`  int s = ${range(n).map((i) => `buf[${i}]`).join(' + ')};`, '  a[s] = 0;']) },
	{ id: 'c.huge-string', lang: 'c', make: (n) => C_HEAD + cFn(C_PARAMS, [`  const char *s = "${'x'.repeat(n * 40)}";`, '  printf(s); strcpy(p, s);']) },
	{ id: 'c.string-concat', lang: 'c', make: (n) => C_HEAD + cFn(C_PARAMS, [`  const char *s = ${range(n).map((i) => `"piece ${i} "`).join('\n    ')};`, '  sprintf(p, s, path);']) },
	{ id: 'c.call-args', lang: 'c', make: (n) => C_HEAD + cFn(C_PARAMS, [`  snprintf(p, len, "%d", ${range(n).map((i) => `buf[${i}]`).join(', ')});`]) },
	{ id: 'c.nest-if', lang: 'c', scale: 20, make: (d) => C_HEAD + cFn(C_PARAMS, [...range(d).map((i) => `${' '.repeat(i % 60)}if (buf[${i}] < len) { int y${i} = a[${i}];`), '  a[k] = 0;', ...range(d).map(() => '}')]) },
	{ id: 'c.nest-for', lang: 'c', scale: 20, make: (d) => C_HEAD + cFn(C_PARAMS, [...range(d).map((i) => `for (int i${i} = 0; i${i} < len; i${i}++) { k += buf[i${i}];`), '  a[k] = 0;', ...range(d).map(() => '}')]) },
	{ id: 'c.nest-paren', lang: 'c', scale: 20, make: (d) => C_HEAD + cFn(C_PARAMS, [`  k = ${'('.repeat(d)}buf[1]${')'.repeat(d)};`, '  a[k] = 0;']) },
	{ id: 'c.macro-soup', lang: 'c', make: (n) => C_HEAD + cFn(C_PARAMS, range(n).map((i) => [`  LIST_FOR_EACH(h, head${i}) { DO_THING(h->f0, ${i}); }`, `  FOO_${i % 50}(p, BAR(k), BAZ);`, `  MAYBE_UNUSED int z${i} = GET_U16(buf + ${i});`, `  if (UNLIKELY(z${i} > len)) goto out${i};`][i % 4])) },
	{ id: 'c.stray-closers', lang: 'c', make: (n) => C_HEAD + cFn(C_PARAMS, [`  k = ${'('.repeat(n * 5)}${']'.repeat(n * 5)};`, '  a[k] = 0;']) },
	// ---- Python
	{ id: 'py.long-fn', lang: 'python', make: (n) => pyFn(range(n).map((i) => PY_MIX[i % PY_MIX.length](i + 8))) },
	{ id: 'py.many-fns', lang: 'python', make: (n) => ['from flask import request', 'import os', ...range(n / 8).map((j) => [`def hostile${j}(db, path, name):`, ...range(8).map((i) => `    ${PY_MIX[i](i + 8 + j)}`), '    return None', ''].join('\n'))].join('\n') },
	{ id: 'py.many-vars', lang: 'python', make: (n) => pyFn(range(n / 2).map((i) => `x${i} = request.args.get("a${i}")\nif x${i}: db.execute("SELECT %s" % x${i})`)) },
	{ id: 'py.assign-chain', lang: 'python', make: (n) => pyFn([`a0 = request.args.get("x")`, ...range(n).map((i) => `a${i + 1} = a${i}`), `db.execute("SELECT " + a${n})`]) },
	{ id: 'py.assign-multi', lang: 'python', scale: 10, make: (n) => pyFn([`${range(n).map((i) => `b${i}`).join(' = ')} = request.args.get("x")`, `os.system(b${n - 1})`]) },
	{ id: 'py.and-chain', lang: 'python', scale: 10, make: (n) => pyFn([`if ${range(n).map((i) => `name != "${i}"`).join(' and ')}:`, '    os.system(name)']) },
	{ id: 'py.concat', lang: 'python', scale: 10, make: (n) => pyFn([`q = ${range(n).map((i) => (i % 2 ? `name` : `"p${i}"`)).join(' + ')}`, 'db.execute(q)']) },
	{ id: 'py.fstring', lang: 'python', make: (n) => pyFn([`q = f"${range(n).map((i) => `{name}-${i}`).join(' ')}"`, 'db.execute(q)']) },
	{ id: 'py.huge-string', lang: 'python', make: (n) => pyFn([`q = "${'x'.repeat(n * 40)}"`, 'db.execute(q + name)']) },
	{ id: 'py.call-args', lang: 'python', make: (n) => pyFn([`subprocess.call([${range(n).map((i) => (i % 3 ? `"a${i}"` : 'name')).join(', ')}], shell=True)`]) },
	{ id: 'py.comp-clauses', lang: 'python', make: (n) => pyFn([`r = [x0 ${range(n / 4).map((i) => `for x${i} in request.args.get("k${i}") if x${i}`).join(' ')}]`, 'os.system(r[0])']) },
	{ id: 'py.nest-comp', lang: 'python', scale: 20, make: (d) => pyFn([`r = ${range(d).map((i) => `[y${i} for y${i} in `).join('')}request.args${']'.repeat(d)}`, 'os.system(r)']) },
	// many literals or conditions on ONE line (review 9b: the Python tokenizer was quadratic in them)
	{ id: 'py.line-strings', lang: 'python', make: (n) => pyFn([`x = [${'"a", '.repeat(n)}]`, 'os.system(x[0] + name)']) },
	{ id: 'py.line-and', lang: 'python', make: (n) => pyFn(['p = request.args.get("p")', `if ${range(n).map((i) => `".." not in p${i}`).join(' and ')}:`, '    open(p)']) },
	{ id: 'py.line-args', lang: 'python', make: (n) => pyFn([`x = ${range(n).map(() => 'request.args["a"]').join(' + ')}`, 'os.system(x)']) },
	{ id: 'py.nest-if', lang: 'python', scale: 20, make: (d) => pyFn(range(d).map((i) => `${' '.repeat(i)}if name != "${i}":`).concat([`${' '.repeat(d)}os.system(name)`])) }
];

const wanted = arg('shapes')?.split(',');
const shapes = SHAPES.filter((s) => !wanted || wanted.includes(s.id));
if (wanted && shapes.length !== wanted.length) throw new Error(`unknown shape(s): ${wanted.filter((w) => !SHAPES.some((s) => s.id === w)).join(', ')} (known: ${SHAPES.map((s) => s.id).join(', ')})`);

const parsers = await loadParsers();
const families = (lang: Lang) => {
	const seen = new Map<string, (f: ReturnType<typeof analyseFunction>) => unknown>();
	for (const list of Object.values(TREE_FAMILIES[lang])) for (const f of list ?? []) if (!seen.has(f.id)) seen.set(f.id, f.run);
	return [...seen];
};
const cwes = (lang: Lang) => Object.keys(TREE_FAMILIES[lang]);

/** CPU time of this process (user + system, ms): on a loaded machine wall time says more about the neighbours than about the pass. */
const cpuMs = () => {
	const u = process.cpuUsage();
	return (u.user + u.system) / 1000;
};

function median(fn: () => void): number {
	const times: number[] = [];
	for (let r = 0; r < RUNS; r++) {
		const t0 = cpuMs();
		fn();
		times.push(cpuMs() - t0);
		if (times[0] > 2000) break; // one run of a slow pass is enough
	}
	times.sort((a, b) => a - b);
	return times[Math.floor((times.length - 1) / 2)];
}

if (Deno.args.includes('--loop')) {
	const { runJudge } = await import('../src/lib/runs/judge-run.ts');
	const { readRun } = await import('../src/lib/runs/run-list.ts');
	const size = SIZES[SIZES.length - 1];
	const items = shapes.flatMap((shape) => {
		const code = shape.make(Math.max(2, Math.round(size / (shape.scale ?? 1))));
		return cwes(shape.lang).map((cwe) => ({ item_id: `hostile/${shape.id}/${cwe}`, task: 'reference' as const, set: 'pearce' as const, cwe, language: shape.lang, code, scenario: shape.id, label: null, label_class: null, source: 'bench/rules-hostile.ts' }));
	});
	const runsDir = Deno.makeTempDirSync({ prefix: 'rules-hostile-' });
	const w0 = performance.now();
	let gap = 0;
	const gaps: { ms: number; at: number }[] = [];
	let last = performance.now();
	let going = true;
	const spin = () => {
		const now = performance.now();
		gap = Math.max(gap, now - last);
		if (now - last > 100) gaps.push({ ms: now - last, at: last - w0 });
		last = now;
		if (going) setTimeout(spin, 0);
	};
	setTimeout(spin, 0);
	try {
		const judged = await runJudge({ runsDir, judge: 'rules', itemSet: 'pearce', items: items as never, onWarning: () => {}, ...(LIMIT !== null ? { timeLimitMs: LIMIT } : {}) });
		going = false;
		const rows = readRun(runsDir, judged.runId)!.rows;
		const statuses = new Map<string, number>();
		for (const r of rows) {
			const key = r.status === 'ok' ? 'verdict' : (r.error ?? '').replace(/^rule judge: /, '').replace(/cannot judge this code: /, '').slice(0, 40);
			statuses.set(key, (statuses.get(key) ?? 0) + 1);
		}
		const slowest = [...rows].sort((a, b) => (b.latency_ms ?? 0) - (a.latency_ms ?? 0)).slice(0, 5);
		console.log(`rules-hostile --loop: ${items.length} programs (${shapes.length} shapes at size ${size}, each for every CWE of its language) in ${((performance.now() - w0) / 1000).toFixed(1)} s; time limit ${LIMIT ?? 'default'} ms`);
		console.log(`longest wait of the event loop for a turn: ${gap.toFixed(0)} ms; waits over 100 ms: ${gaps.length} (${gaps.sort((a, b) => b.ms - a.ms).slice(0, 8).map((g) => `${g.ms.toFixed(0)} ms at ${(g.at / 1000).toFixed(1)} s`).join(', ')})`);
		console.log(`rows: ${[...statuses].map(([k, n]) => `${n} ${k}`).join('; ')}`);
		console.log(`slowest programs (own compute time): ${slowest.map((r) => `${String(r.meta.item_id).replace('hostile/', '')} ${r.latency_ms} ms`).join(', ')}`);
	} finally {
		Deno.removeSync(runsDir, { recursive: true });
	}
	Deno.exit(0);
}

if (LIMIT !== null) {
	const size = SIZES[SIZES.length - 1];
	let longest = { ms: 0, what: '' };
	console.log(`rules-hostile --limit ${LIMIT}: each shape at size ${size} (÷ its scale), every CWE of its language; wall / CPU ms the call held the thread`);
	for (const shape of shapes) {
		const code = shape.make(Math.max(2, Math.round(size / (shape.scale ?? 1))));
		for (const cwe of cwes(shape.lang)) {
			const w0 = performance.now();
			const c0 = cpuMs();
			let how: string;
			try {
				how = judgeWithTree(parsers, { code, language: shape.lang, cwe }, { timeLimitMs: LIMIT }).vulnerable ? 'vulnerable' : 'secure';
			} catch (e) {
				how = (e as Error).message.slice(0, 60);
			}
			const wall = performance.now() - w0;
			const cpu = cpuMs() - c0;
			if (wall > longest.ms) longest = { ms: wall, what: `${shape.id} ${cwe}` };
			console.log(`${shape.id.padEnd(16)} ${cwe.padEnd(8)} ${wall.toFixed(0).padStart(7)} ${cpu.toFixed(0).padStart(7)}  ${how}`);
		}
	}
	console.log(`longest: ${longest.ms.toFixed(0)} ms wall (${longest.what}), limit ${LIMIT} ms`);
	Deno.exit(0);
}

interface Row { shape: string; pass: string; ms: (number | null)[]; note?: string }
const rows: Row[] = [];
const fmt = (ms: number | null) => (ms === null ? 'skip' : ms < 10 ? ms.toFixed(2) : ms.toFixed(0));
const growth = (ms: (number | null)[]) => ms.slice(1).map((m, i) => (m === null || ms[i] === null || ms[i]! < 0.5 ? '—' : (m / ms[i]!).toFixed(1)));
console.log(`rules-hostile: sizes ${SIZES.join('/')} (nesting and chain shapes: ÷ their scale), median of ${RUNS}, CPU ms per pass; growth = time ratio per doubling`);

for (const shape of shapes) {
	const sizes = SIZES.map((s) => Math.max(2, Math.round(s / (shape.scale ?? 1))));
	const perPass = new Map<string, (number | null)[]>();
	const record = (pass: string, at: number, ms: number | null) => {
		if (!perPass.has(pass)) perPass.set(pass, sizes.map(() => null));
		perPass.get(pass)![at] = ms;
	};
	const slow = new Set<string>();
	const notes: string[] = [];
	for (const [at, size] of sizes.entries()) {
		const raw = shape.make(size);
		const code = shape.lang === 'c' ? completeCFunction(raw) : raw;
		const timed = (pass: string, fn: () => void) => {
			if (slow.has(pass)) return record(pass, at, null);
			const ms = median(fn);
			record(pass, at, ms);
			if (ms > SKIP_AFTER_MS) slow.add(pass);
		};
		for (const cwe of cwes(shape.lang)) {
			timed(`tokens ${cwe}`, () => {
				try {
					judgeWithRules({ code, language: shape.lang, cwe });
				} catch {
					// refused (size, screen): timed all the same
				}
			});
		}
		timed('parse', () => parsers.parse(code, shape.lang).delete());
		const tree = parsers.parse(code, shape.lang);
		let root;
		try {
			root = toSyn(tree);
		} catch (e) {
			notes.push(`size ${size}: ${(e as Error).message}`);
			tree.delete();
			continue;
		}
		timed('toSyn', () => toSyn(tree));
		tree.delete();
		timed('unparsedShare', () => unparsedShare(root));
		const fns = functionsOf(root, shape.lang);
		timed('dataflow', () => fns.forEach((fn) => analyseFunction(code, fn, shape.lang)));
		const facts = fns.map((fn) => analyseFunction(code, fn, shape.lang));
		for (const [id, run] of families(shape.lang)) timed(id, () => facts.forEach((f) => run(f)));
		if (WHOLE) {
			timed('whole judge (all CWEs)', () => {
				for (const cwe of cwes(shape.lang)) {
					try {
						judgeWithTree(parsers, { code: raw, language: shape.lang, cwe });
					} catch {
						// a refusal is an answer too
					}
				}
			});
		}
		notes.push(`size ${size}: ${code.length} chars, ${code.split('\n').length} lines, unparsed ${(100 * unparsedShare(root)).toFixed(1)}%`);
	}
	for (const [pass, ms] of perPass) rows.push({ shape: shape.id, pass, ms, note: notes.join('; ') });
	console.log(`\n${shape.id}: ${notes.join('; ')}`);
	for (const r of rows.filter((r) => r.shape === shape.id)) console.log(`${r.shape.padEnd(16)} ${r.pass.padEnd(28)} ${r.ms.map((m) => fmt(m).padStart(8)).join(' ')}   ${growth(r.ms).join(' ')}`);
}

const worstRatio = (r: Row) => Math.max(0, ...growth(r.ms).map(Number).filter((x) => !Number.isNaN(x)));
const slowest = [...rows].filter((r) => (r.ms[r.ms.length - 1] ?? Infinity) > 50 || r.ms.includes(null)).sort((a, b) => worstRatio(b) - worstRatio(a)).slice(0, WORST);
console.log(`\nworst growth (largest size over 50 ms, or skipped):`);
for (const r of slowest) console.log(`  ${r.shape} ${r.pass}: ${r.ms.map(fmt).join(' / ')} ms, growth ${growth(r.ms).join(' ')}`);
