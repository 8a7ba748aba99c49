// A verdicts-shaped table (run_id, model, task, cwe, judge, vulnerable, score), generated from a
// seed. Text columns are kept as small dictionaries plus per-row codes, so the same columns can
// be written as Arrow (for the browser) and as CSV (for native DuckDB) without drifting apart.
// Names are invented here; none come from the benchmark data.
import { seededRandom } from './seeded-random.js';

const pad = (n, width) => String(n).padStart(width, '0');
const MODELS = Array.from({ length: 20 }, (_, i) => `model-${pad(i + 1, 2)}`);
const TASKS = ['completion', 'repair', 'detection', 'classification'];
const CWES = [20, 22, 78, 79, 89, 125, 190, 200, 287, 306, 377, 416, 434, 476, 502, 522, 732, 798].map((n) => `CWE-${n}`);
const JUDGES = ['judge-a', 'judge-b', 'judge-c', 'judge-d', 'rules'];
const ROWS_PER_RUN = 25_000;
/** Share of verdicts left null: an unparsed judge answer is not a verdict. */
const UNPARSED_RATE = 0.02;

/**
 * @param {number} rowCount
 * @param {number} seed
 */
export function generateVerdictColumns(rowCount, seed) {
	const random = seededRandom(seed);
	const pick = (n) => Math.floor(random() * n);
	const runCount = Math.ceil(rowCount / ROWS_PER_RUN);
	const runs = Array.from({ length: runCount }, (_, i) => `run-${pad(i + 1, 4)}`);

	// Insecure rate per (model, cwe), so the GROUP BY averages differ from cell to cell.
	const insecureRate = Float64Array.from({ length: MODELS.length * CWES.length }, () => 0.1 + 0.7 * random());

	const run = new Uint16Array(rowCount);
	const model = new Uint8Array(rowCount);
	const task = new Uint8Array(rowCount);
	const cwe = new Uint8Array(rowCount);
	const judge = new Uint8Array(rowCount);
	const vulnerable = new Int8Array(rowCount); // 1 = vulnerable, 0 = secure, -1 = null
	const score = new Float64Array(rowCount);
	for (let i = 0; i < rowCount; i++) {
		run[i] = Math.floor(i / ROWS_PER_RUN);
		model[i] = pick(MODELS.length);
		task[i] = pick(TASKS.length);
		cwe[i] = pick(CWES.length);
		judge[i] = pick(JUDGES.length);
		const rate = insecureRate[model[i] * CWES.length + cwe[i]];
		vulnerable[i] = random() < UNPARSED_RATE ? -1 : random() < rate ? 1 : 0;
		score[i] = random();
	}
	return {
		rowCount,
		text: {
			run_id: { values: runs, codes: run },
			model: { values: MODELS, codes: model },
			task: { values: TASKS, codes: task },
			cwe: { values: CWES, codes: cwe },
			judge: { values: JUDGES, codes: judge }
		},
		vulnerable,
		score
	};
}

/** Column order of the table, as both engines see it. */
export const VERDICT_COLUMNS = ['run_id', 'model', 'task', 'cwe', 'judge', 'vulnerable', 'score'];
