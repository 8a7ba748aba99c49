// Benchmark core speed (issue 3): importing all of ../shared/coveval, and computing every
// metric over 100,000 verdict rows. Medians of several runs, printed with the targets.
// Run: node_modules/deno/deno run --allow-read --allow-env --allow-sys=cpus bench/core.ts [runs]
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadItemsFromFolder } from '../src/lib/node/coveval/load-items.ts';
import { itemsToArrowStream } from '../src/lib/node/coveval/items-arrow.ts';
import { createRng } from '../src/lib/core/stats/random.ts';
import { securityRate, type VerdictRow } from '../src/lib/core/metrics/security-rate.ts';
import { detectionScores, type DetectionRow } from '../src/lib/core/metrics/detection.ts';
import { evaluatorScore, evaluatorScoresBy, type JudgePair } from '../src/lib/core/metrics/evaluator.ts';
import { CLASS_LABELS, CWE_IDS } from '../src/lib/core/cwe.ts';
import type { Status } from '../src/lib/core/status.ts';

const runs = Number(process.argv[2] ?? 5);
const shared = resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/coveval');

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const mid = sorted.length >> 1;
	return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function timed(fn: () => unknown | Promise<unknown>): Promise<number[]> {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		await fn();
		times.push(performance.now() - start);
	}
	return times;
}

/** 100,000 verdict-shaped rows: 10,000 items × 10 samples, ~2% errors, ~1% unparsed. */
function verdictRows(n: number) {
	const rng = createRng(42);
	const status = (): Status => {
		const r = rng();
		return r < 0.02 ? 'error' : r < 0.03 ? 'unparsed' : 'ok';
	};
	const verdicts: VerdictRow[] = [];
	const pairs: (JudgePair & { cwe: string })[] = [];
	const detections: DetectionRow[] = [];
	for (let i = 0; i < n; i++) {
		const cwe = CWE_IDS[Math.floor(i / 10) % CWE_IDS.length]; // one CWE per item
		const s = status();
		const vulnerable = rng() < 0.4;
		verdicts.push({ item_id: `item-${Math.floor(i / 10)}`, sample: i % 10, status: s, vulnerable: s === 'ok' ? vulnerable : null, cwe });
		pairs.push({ judge: s === 'ok' ? vulnerable : null, judge_status: s, reference: rng() < 0.45, cwe });
		const truth = rng() < 0.9;
		detections.push({
			status: s,
			truth_binary: truth,
			predicted_binary: s === 'ok' ? rng() < 0.85 : null,
			truth_class: truth ? cwe : CLASS_LABELS[CLASS_LABELS.length - 1],
			predicted_class: s === 'ok' ? CLASS_LABELS[Math.floor(rng() * CLASS_LABELS.length)] : null
		});
	}
	return { verdicts, pairs, detections };
}

const lines: string[] = [];
const report = (metric: string, times: number[], targetMs: number) => {
	const m = median(times);
	lines.push(`${metric.padEnd(58)} ${m.toFixed(0).padStart(7)} ms  (runs ${runs}, target ≤ ${targetMs} ms, ${m <= targetMs ? 'met' : 'MISSED'})`);
};

if (existsSync(shared)) {
	let count = 0;
	const times = await timed(async () => {
		const loaded = await loadItemsFromFolder(shared);
		count = loaded.items.length;
		itemsToArrowStream(loaded.items);
	});
	report(`import ../shared/coveval (${count} records) → Arrow`, times, 2000);
} else {
	lines.push(`import: skipped (${shared} not found)`);
}

const rows = verdictRows(100_000);
report(
	'every metric over 100,000 verdict rows',
	await timed(() => {
		securityRate(rows.verdicts, { resamples: 1000 });
		detectionScores(rows.detections);
		evaluatorScore(rows.pairs, { resamples: 1000 });
		evaluatorScoresBy(rows.pairs, (p) => p.cwe, { resamples: 1000 });
	}),
	500
);
report('  security rate (SR@1, 10 samples/item, bootstrap CI over items)', await timed(() => securityRate(rows.verdicts, { resamples: 1000 })), 500);
report('  detection + 19-class classification', await timed(() => detectionScores(rows.detections)), 500);
report('  evaluator vs reference (consistency, Diff, kappa, CIs)', await timed(() => evaluatorScore(rows.pairs, { resamples: 1000 })), 500);

console.log('core benchmark (bench/core.ts)');
for (const line of lines) console.log(line);
