// Times the offline rule judge over all Pearce et al. programs and prints the agreement
// table (dev / held-out split, overall and per CWE).
// Run: npx deno run --allow-read bench/rule-judge.ts [path/to/dow_programs.jsonl] [--runs N]

import { formatMeasurementTable, judgePearce, measurementTable, parsePearcePrograms } from '../src/lib/core/judges/rules/index.ts';

const args = Deno.args.filter((a) => !a.startsWith('--'));
const runsFlag = Deno.args.indexOf('--runs');
const runs = runsFlag >= 0 ? Number(Deno.args[runsFlag + 1]) || 5 : 5;
const path = args[0] ?? new URL('../../shared/coveval/pearce/dow_programs.jsonl', import.meta.url).pathname;

let text: string;
try {
	text = Deno.readTextFileSync(path);
} catch {
	console.error(`rule-judge bench: cannot read ${path} (the Pearce programs); pass its path as the first argument`);
	Deno.exit(2);
}
const programs = parsePearcePrograms(text, path);

const times: number[] = [];
let judged = judgePearce(programs);
for (let i = 0; i < runs; i++) {
	const start = performance.now();
	judged = judgePearce(programs);
	times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)];
console.log(`rule judge over ${programs.length} programs: median ${median.toFixed(0)} ms of ${runs} runs (min ${times[0].toFixed(0)}, max ${times[times.length - 1].toFixed(0)}); target <= 2000 ms`);
console.log(formatMeasurementTable(measurementTable(judged)));
