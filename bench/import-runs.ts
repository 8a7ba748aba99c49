// `covw import` of a large plain CSV: one model, one judge, N answers over a few hundred items
// (the red-team trial: 10k rows took 3.5 s, 40k 52 s, 492k never finished — every row copied its
// (model, task) group's whole array). Writes the CSVs to a temporary folder, imports each into a
// fresh runs folder with importRuns (the code `covw import` runs) and prints the wall time per
// size and the growth ratio per 4× more rows (about 4 when linear, 16 when quadratic).
// Run: node_modules/deno/deno run -A bench/import-runs.ts [--sizes 10000,40000,160000]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Item } from '../src/lib/core/items/item.ts';
import { importRuns } from '../src/lib/runs/import/import-runs.ts';

const arg = (name: string, fallback: string) => {
	const i = Deno.args.indexOf(`--${name}`);
	return i >= 0 ? Deno.args[i + 1] : fallback;
};
const sizes = arg('sizes', '10000,40000,160000').split(',').map(Number);
const ITEMS = 300;
const items: Item[] = Array.from({ length: ITEMS }, (_, k) => ({
	item_id: `completion/seed/CWE-89/bench-${k}/0`,
	task: 'completion',
	set: 'seed',
	cwe: 'CWE-89',
	language: 'python',
	scenario: `bench-${k}`,
	code: `def f${k}(db, who):\n`,
	label: null,
	label_class: null,
	source: 'bench/import-runs.ts'
}));

const folder = mkdtempSync(join(tmpdir(), 'covw-import-bench-'));
try {
	const times: number[] = [];
	for (const n of sizes) {
		const path = join(folder, `answers-${n}.csv`);
		const rows = ['item_id,model,response,sample,vulnerable,judge'];
		for (let i = 0; i < n; i++) rows.push(`${items[i % ITEMS].item_id},bench-model,"x = ${i}",${Math.floor(i / ITEMS)},${i % 2},bench-judge`);
		writeFileSync(path, rows.join('\n') + '\n');
		const runsDir = join(folder, `runs-${n}`);
		const started = performance.now();
		const result = await importRuns({ runsDir, path, items, onWarning: () => {} });
		const seconds = (performance.now() - started) / 1000;
		times.push(seconds);
		if (result.imported !== n) throw new Error(`${n} rows: ${result.imported} imported, problems: ${result.problems.slice(0, 3).map((p) => p.message).join('; ')}`);
		const ratio = times.length > 1 ? ` (×${(seconds / times[times.length - 2]).toFixed(1)} for ×${(n / sizes[times.length - 2]).toFixed(1)} rows)` : '';
		console.log(`import-runs: ${n} rows: ${seconds.toFixed(2)} s${ratio}, ${result.runs.length} runs`);
	}
} finally {
	rmSync(folder, { recursive: true, force: true });
}
