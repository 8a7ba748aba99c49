// The analyzers' memory watchdog (src/lib/judges/analyzers/group-memory.ts), measured.
// 1. A macro bomb (our own few lines) through each installed C tool under the default limit:
//    killed for memory (an error row), and how long that took.
// 2. What the watchdog costs on a normal cppcheck batch: Pearce et al.'s C programs
//    (../shared/coveval/pearce, read at run time) judged with the watchdog (default limit) and
//    without it (memoryLimitMb Infinity), alternately; this process's CPU and its children's
//    (the tools, and ps when the watchdog reads through it) from /proc/<pid>/stat through `cat`,
//    and the sampler's own account (samples; CPU per sample — for ps the wall time of each ps).
// Run: npx deno run --allow-read --allow-write --allow-env --allow-run bench/analyzer-memory.ts [--reps 3] [--programs 2000] [--no-bomb]
// Deno reads /proc only with --allow-all: under the flags above the watchdog reads through ps (as
// the CLI does); with -A instead it reads /proc itself (as the Node server does).

import { parsePearcePrograms } from '../src/lib/core/judges/rules/pearce-measure.ts';
import { judgeBatchWithAnalyzer } from '../src/lib/judges/analyzers/judge.ts';
import { memoryWatchMethod, samplerCost, SAMPLE_MS } from '../src/lib/judges/analyzers/group-memory.ts';
import { which } from '../src/lib/judges/analyzers/locate-tool.ts';
import { DEFAULT_MEMORY_LIMIT_MB } from '../src/lib/judges/analyzers/run-process.ts';

const arg = (name: string) => {
	const i = Deno.args.indexOf(`--${name}`);
	return i >= 0 ? Deno.args[i + 1] : undefined;
};
const reps = Number(arg('reps') ?? 3);
const count = Number(arg('programs') ?? 2000);
const here = new URL('.', import.meta.url).pathname;

const cat = (path: string) => new TextDecoder().decode(new Deno.Command('cat', { args: [path], stdout: 'piped' }).outputSync().stdout);
/** [own, children] CPU seconds so far (utime + stime, cutime + cstime; 1/100 s). */
const cpu = (): [number, number] => {
	const stat = cat(`/proc/${Deno.pid}/stat`);
	const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
	return [(f[11] + f[12]) / 100, (f[13] + f[14]) / 100];
};
console.log(`analyzer-memory: load average ${cat('/proc/loadavg').split(' ').slice(0, 3).join(' ')} (2 cores); watchdog reads through ${memoryWatchMethod()}, every ${SAMPLE_MS} ms; default limit ${DEFAULT_MEMORY_LIMIT_MB} MB`);

if (!Deno.args.includes('--no-bomb')) {
	const bomb = '#define A(x) x x x x x x x x x x\n#define B(x) A(A(x))\n#define C(x) B(B(x))\n#define D(x) C(C(x))\nvoid f(void) { D(int y;) }\n';
	for (const tool of ['cppcheck', 'gcc', 'clang'] as const) {
		if (!which(tool)) {
			console.log(`bomb: ${tool} is not installed`);
			continue;
		}
		const started = Date.now();
		const [v] = await judgeBatchWithAnalyzer(tool, [{ code: bomb, language: 'c', cwe: 'CWE-476' }]);
		console.log(`bomb: ${tool}: ${((Date.now() - started) / 1000).toFixed(1)} s: ${v.status === 'error' ? v.error : `a verdict (${v.vulnerable})`}`);
	}
}

const pearce = (() => {
	try {
		return Deno.readTextFileSync(`${here}../../shared/coveval/pearce/dow_programs.jsonl`);
	} catch {
		return null;
	}
})();
if (pearce === null) console.log('cost: skipped: cannot read ../shared/coveval/pearce/dow_programs.jsonl');
else if (!which('cppcheck')) console.log('cost: skipped: cppcheck is not installed');
else {
	// the C programs, taken again from the first when --programs asks for more than there are
	const c = parsePearcePrograms(pearce, 'dow_programs.jsonl').filter((p) => p.language === 'c');
	const programs = Array.from({ length: count }, (_, i) => c[i % c.length]).map((p) => ({ code: p.code, language: p.language, cwe: p.cwe }));
	const rows: Record<'on' | 'off', { wall: number; own: number; children: number }[]> = { on: [], off: [] };
	for (let r = 0; r < reps; r++) {
		for (const mode of r % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
			const before = cpu();
			const samples = samplerCost.samples;
			const sampled = samplerCost.cpuMicros;
			const started = performance.now();
			const verdicts = await judgeBatchWithAnalyzer('cppcheck', programs, mode === 'on' ? {} : { memoryLimitMb: Infinity });
			const wall = (performance.now() - started) / 1000;
			const after = cpu();
			const errors = verdicts.filter((v) => v.status === 'error').length;
			rows[mode].push({ wall, own: after[0] - before[0], children: after[1] - before[1] });
			const n = samplerCost.samples - samples;
			const extra = mode === 'on' ? `; ${n} samples, ${n ? ((samplerCost.cpuMicros - sampled) / n / 1000).toFixed(2) : '-'} ms each` : '';
			console.log(`cost: ${mode === 'on' ? 'watchdog on ' : 'watchdog off'}: ${programs.length} programs (${errors} error rows) in ${wall.toFixed(1)} s; CPU own ${after[0] - before[0]} s, children ${(after[1] - before[1]).toFixed(2)} s${extra}`);
		}
	}
	const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	for (const key of ['wall', 'own', 'children'] as const) {
		console.log(`median ${key}: on ${median(rows.on.map((x) => x[key])).toFixed(2)} s, off ${median(rows.off.map((x) => x[key])).toFixed(2)} s`);
	}
	console.log(`sampler, all runs: ${samplerCost.samples} samples, ${(samplerCost.cpuMicros / 1e6).toFixed(3)} s (${memoryWatchMethod() === 'ps' ? 'wall time of ps, an upper bound of its CPU' : 'CPU of this process'})`);
}
