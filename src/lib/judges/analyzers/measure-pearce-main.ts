// Prints the analyzers' Table-5 figures on the Pearce programs.
// Usage: npx deno run --allow-read --allow-write --allow-run --allow-env \
//          src/lib/judges/analyzers/measure-pearce-main.ts [path/to/dow_programs.jsonl]
// (default path: ../shared/coveval/pearce/dow_programs.jsonl from the current folder).

import { toolAvailability } from './locate-tool.ts';
import { formatMeasurement, measureAnalyzer, readPearcePrograms } from './pearce-measure.ts';
import { ANALYZER_TOOLS } from './registry.ts';
import { ANALYZER_NAMES } from './types.ts';

const path = process.argv[2] ?? '../shared/coveval/pearce/dow_programs.jsonl';
const programs = await readPearcePrograms(path);
console.log(`${programs.length} programs from ${path}\n`);
for (const name of ANALYZER_NAMES) {
	const availability = await toolAvailability(ANALYZER_TOOLS[name]);
	if (!availability.available) {
		console.log(`${name}: skipped (${availability.message})\n`);
		continue;
	}
	console.log(`(${name}: ${availability.version})`);
	console.log(formatMeasurement(await measureAnalyzer(name, programs)) + '\n');
}
