// How many lone C functions of SVEN the C path analyzers can read at all: the share that
// compiles (`-fsyntax-only`, nothing is compiled to code or run) with
//   before  the earlier regex stubs (tools/c-stubs.ts),
//   first   the tree-sitter declarations (tools/c-declarations.ts) alone,
//   after   those declarations corrected from gcc's errors, up to REPAIR_ROUNDS times (as
//           judge.ts does with the analyzer's own errors),
// checked by gcc and by clang (`-fsyntax-only`).
// Run: npx deno run -A bench/c-compile-share.ts [--split dev|held-out] [--limit N]

import { parseSven } from '../src/lib/judges/rules/sven-split.ts';
import { cStubs } from '../src/lib/judges/analyzers/tools/c-stubs.ts';
import { C_SYNTAX_FLAGS, planCFiles, REPAIR_ROUNDS } from '../src/lib/judges/analyzers/tools/c-prepare.ts';
import { textCompilerErrors } from '../src/lib/judges/analyzers/tools/c-repair.ts';

const arg = (name: string) => {
	const i = Deno.args.indexOf(`--${name}`);
	return i >= 0 ? Deno.args[i + 1] : undefined;
};
const split = arg('split') ?? 'dev';
const limit = Number(arg('limit') ?? Infinity);
const svenPath = `${new URL('.', import.meta.url).pathname}../../shared/sven/train.jsonl`;
let text: string;
try {
	text = Deno.readTextFileSync(svenPath);
} catch {
	console.log(`c-compile-share: skipped: cannot read ${svenPath}`);
	Deno.exit(0);
}
const programs = parseSven(text, svenPath).filter((p) => p.language === 'c' && p.split === split).slice(0, limit);
const files = programs.map((_, k) => `item-${k}.c`);

/** The files of `only` (default all) that `compiler` rejects, with its stderr. */
function check(compiler: string, dir: string, only: number[] = files.map((_, k) => k)): { bad: Set<number>; stderr: string } {
	const bad = new Set<number>();
	let stderr = '';
	const BATCH = 50;
	for (let i = 0; i < only.length; i += BATCH) {
		const chunk = only.slice(i, i + BATCH);
		const out = new Deno.Command(compiler, { args: ['-fsyntax-only', '-w', ...C_SYNTAX_FLAGS, ...chunk.map((k) => files[k])], cwd: dir, stderr: 'piped', stdout: 'null', env: { LC_ALL: 'C' } }).outputSync();
		const text = new TextDecoder().decode(out.stderr);
		stderr += text;
		const named = new Set([...text.matchAll(/^(?:covw-decls-)?(item-\d+\.c)(?:\.h)?:\d+:(?:\d+:)? (?:fatal )?error:/gm)].map((m) => m[1]));
		for (const k of chunk) if (named.has(files[k])) bad.add(k);
	}
	return { bad, stderr };
}
const compiles = (compiler: string, dir: string) => programs.length - check(compiler, dir).bad.size;
const pct = (n: number) => `${n}/${programs.length} (${((100 * n) / programs.length).toFixed(1)}%)`;

const before = Deno.makeTempDirSync();
programs.forEach((p, k) => Deno.writeTextFileSync(`${before}/${files[k]}`, cStubs(p.code)));
const after = Deno.makeTempDirSync();
const plans = await planCFiles(programs.map((p) => p.code), files, Deno.env.get('PATH') ?? '');
files.forEach((f, k) => Deno.writeTextFileSync(`${after}/${f}`, plans.text(k)));
const firstPass = compiles('gcc', after);
let pending = [...check('gcc', after).bad];
for (let round = 1; round <= REPAIR_ROUNDS && pending.length > 0; round++) {
	const { bad, stderr } = check('gcc', after, pending);
	const next = [...bad].filter((k) => plans.repair(k, textCompilerErrors(stderr, files[k])));
	for (const k of next) Deno.writeTextFileSync(`${after}/${files[k]}`, plans.text(k));
	pending = next;
}
console.log(`SVEN ${split}, ${programs.length} C functions (${plans.declared} lone functions given declarations)`);
console.log(`gcc   compiles with the declarations before repairs: ${pct(firstPass)}`);
for (const compiler of ['gcc', 'clang']) {
	console.log(`${compiler.padEnd(5)} compiles: before ${pct(compiles(compiler, before))}; after ${pct(compiles(compiler, after))}`);
}
Deno.removeSync(before, { recursive: true });
Deno.removeSync(after, { recursive: true });
