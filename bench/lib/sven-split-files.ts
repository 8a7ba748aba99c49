// Writes the two SVEN splits (src/lib/judges/rules/sven-split.ts: dev and held-out, by project)
// as labelled-set JSONL files that `covw import --labelled` reads, into a folder you name
// (never into the repository). C++ programs are left out: no judge reads them.
// Usage: npx deno run --allow-read --allow-write bench/lib/sven-split-files.ts <out-folder> [../shared/sven/train.jsonl]

import { parseSven } from '../../src/lib/judges/rules/sven-split.ts';

const [out, source = `${new URL('.', import.meta.url).pathname}../../../shared/sven/train.jsonl`] = Deno.args;
if (!out) {
	console.error('usage: sven-split-files.ts <out-folder> [train.jsonl]');
	Deno.exit(2);
}
const programs = parseSven(Deno.readTextFileSync(source), source).filter((p) => p.language !== 'cpp');
Deno.mkdirSync(out, { recursive: true });
for (const split of ['dev', 'held-out'] as const) {
	const lines = programs
		.filter((p) => p.split === split)
		.map((p) => JSON.stringify({ id: p.id, pair_id: p.pairId, cwe: p.cwe, language: p.language, label: p.vulnerable ? 'vulnerable' : 'secure', code: p.code }));
	const file = `${out}/sven-${split}.jsonl`;
	Deno.writeTextFileSync(file, lines.join('\n') + '\n');
	console.log(`${file}: ${lines.length} programs`);
}
