// How many lone C functions of SVEN the C path analyzers can read at all: the share that
// compiles (`-fsyntax-only`, nothing is compiled to code or run) with
//   before  the earlier regex stubs (tools/c-stubs.ts),
//   first   the tree-sitter declarations (tools/c-declarations.ts) alone,
//   after   those declarations corrected from gcc's errors (tools/c-prepare.ts),
// checked by gcc and by clang. Also the time the preparation takes per 1,000 programs.
// Run: npx deno run -A bench/c-compile-share.ts [--split dev|held-out] [--limit N]

import { parseSven } from '../src/lib/judges/rules/sven-split.ts';
import { cStubs } from '../src/lib/judges/analyzers/tools/c-stubs.ts';
import { C_SYNTAX_FLAGS, writeCFiles } from '../src/lib/judges/analyzers/tools/c-prepare.ts';

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

function compiles(compiler: string, dir: string): number {
	let ok = 0;
	const BATCH = 50;
	for (let i = 0; i < files.length; i += BATCH) {
		const chunk = files.slice(i, i + BATCH);
		const out = new Deno.Command(compiler, { args: ['-fsyntax-only', '-w', ...C_SYNTAX_FLAGS, ...chunk], cwd: dir, stderr: 'piped', stdout: 'null', env: { LC_ALL: 'C' } }).outputSync();
		const stderr = new TextDecoder().decode(out.stderr);
		const bad = new Set([...stderr.matchAll(/^(?:covw-decls-)?(item-\d+\.c)(?:\.h)?:\d+:(?:\d+:)? (?:fatal )?error:/gm)].map((m) => m[1]));
		ok += chunk.filter((f) => !bad.has(f)).length;
	}
	return ok;
}
const pct = (n: number) => `${n}/${programs.length} (${((100 * n) / programs.length).toFixed(1)}%)`;

const before = Deno.makeTempDirSync();
programs.forEach((p, k) => Deno.writeTextFileSync(`${before}/${files[k]}`, cStubs(p.code)));
const after = Deno.makeTempDirSync();
const start = performance.now();
const report = await writeCFiles(after, programs.map((p) => p.code), files, Deno.env.get('PATH') ?? '', Date.now() + 600_000);
const ms = performance.now() - start;
console.log(`SVEN ${split}, ${programs.length} C functions (${report.declared} lone functions given declarations)`);
for (const compiler of ['gcc', 'clang']) {
	console.log(`${compiler.padEnd(5)} compiles: before ${pct(compiles(compiler, before))}; after ${pct(compiles(compiler, after))}`);
}
console.log(`gcc syntax check inside the preparation: first pass ${report.compiledFirst}, after repairs ${report.compiledLast} of ${report.declared}`);
console.log(`preparation time: ${(ms / 1000).toFixed(1)} s (${((1000 * ms) / programs.length / 1000).toFixed(1)} s per 1,000)`);
Deno.removeSync(before, { recursive: true });
Deno.removeSync(after, { recursive: true });
