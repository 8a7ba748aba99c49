// Writes a full replication's run folder the way the engine leaves it (manifest.json, log.jsonl
// and the compacted generations.arrow / verdicts.arrow of each finished run), directly: no
// model, no HTTP. 20 models × (324 completion + 477 repair + 531 detection items) = 26,640
// generations with ~1 KB answers, each judged by the rule judge and an LLM judge = 53,280
// verdicts, in 20 × 3 × (1 + 2) = 180 runs. Deterministic (a seeded generator).
// Run by bench/replication.js: deno run --allow-read --allow-write bench/replication-data.ts <runs-dir>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compactBytes } from '../src/lib/engine/compact-run.ts';
import { rowToLine } from '../src/lib/engine/run-log.ts';
import type { ResultRow } from '../src/lib/engine/types.ts';

const runsDir = Deno.args[0];
if (!runsDir) {
	console.error('usage: replication-data.ts <runs-dir> [--models N]');
	Deno.exit(2);
}
const modelsFlag = Deno.args.indexOf('--models');
const MODELS = modelsFlag >= 0 ? Number(Deno.args[modelsFlag + 1]) : 20;
const TASKS: [string, number][] = [['completion', 324], ['repair', 477], ['detection', 531]];
const CWES = ['CWE-78', 'CWE-79', 'CWE-89', 'CWE-20', 'CWE-22', 'CWE-125', 'CWE-190', 'CWE-416', 'CWE-476', 'CWE-787'];

let seed = 20260101;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const WORDS = 'int char buffer size return if else for while malloc free strcpy strncpy printf input user query path file open read write len index value result error check'.split(' ');
const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(random() * WORDS.length)]).join(' ');
const at = (i: number) => new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString();

function writeRun(runId: string, kind: string, params: Record<string, unknown>, rows: ResultRow[], startedAt: string, table: 'generations' | 'verdicts') {
	const dir = join(runsDir, runId);
	mkdirSync(dir, { recursive: true });
	const log = rows.map(rowToLine).join('');
	writeFileSync(join(dir, 'log.jsonl'), log);
	const tokensIn = rows.reduce((n, r) => n + (r.tokens_in ?? 0), 0);
	const tokensOut = rows.reduce((n, r) => n + (r.tokens_out ?? 0), 0);
	const manifest = {
		run_id: runId, kind, params, dataset_hash: 'bench', endpoints: [], state: 'completed', started_at: startedAt, sessions: [startedAt],
		finished_at: startedAt, counts: { total: rows.length, ok: rows.length, error: 0, unparsed: 0, pending: 0, cached: 0 },
		tokens: { in: tokensIn, out: tokensOut, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
	};
	writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
	writeFileSync(join(dir, `${table}.arrow`), compactBytes(table, runId, rows, new TextEncoder().encode(log).length));
}

let runs = 0;
let generations = 0;
let verdicts = 0;
let clock = 0;
for (let m = 0; m < MODELS; m++) {
	const model = `local/model-${String(m + 1).padStart(2, '0')}`;
	for (const [task, items] of TASKS) {
		const genId = `gen-${task}-m${m + 1}`;
		const rows: ResultRow[] = [];
		for (let i = 0; i < items; i++) {
			const code = `/* ${words(8)} */\n` + Array.from({ length: 20 }, () => `  ${words(6)};`).join('\n');
			const response = `Here is the code.\n\`\`\`c\n${code}\n\`\`\`\n${words(20)}`; // ~1 KB
			const cwe = CWES[i % CWES.length];
			rows.push({
				unit_id: `${genId}-u${i}`, sample: 0, status: 'ok', response, error: null, latency_ms: 200 + random() * 800,
				tokens_in: 150 + Math.floor(random() * 100), tokens_out: Math.ceil(response.length / 4), cached: false, attempts: 1, finished_at: at(clock++),
				meta: { item_id: `${task}-${i}`, model, prompt_hash: `h${i}`, code, task, set: task === 'detection' ? 'pearce' : 'coveval', cwe, language: i % 3 ? 'c' : 'python', scenario: `s${i % 7}`, label: task === 'detection' ? (i % 2 ? 'vulnerable' : 'safe') : null, label_class: task === 'detection' ? cwe : null }
			});
		}
		writeRun(genId, 'generation', { task, model, samples: 1, temperature: 0 }, rows, at(clock), 'generations');
		runs++;
		generations += rows.length;
		for (const judge of ['rules', 'llm:local/judge']) {
			const judgeId = `judge-${judge.replace(/[^a-z]/g, '')}-${genId}`;
			const judged: ResultRow[] = rows.map((g, i) => {
				const vulnerable = random() < 0.4;
				return {
					unit_id: `${judgeId}-u${i}`, sample: 0, status: 'ok', response: judge === 'rules' ? null : `Verdict: ${vulnerable ? 'vulnerable' : 'safe'}. ${words(25)}`, error: null,
					latency_ms: judge === 'rules' ? 0.2 : 300, tokens_in: judge === 'rules' ? null : 400, tokens_out: judge === 'rules' ? null : 40, cached: false, attempts: 1, finished_at: at(clock++),
					meta: { target_id: g.unit_id, item_id: g.meta.item_id, model, judge, template: judge === 'rules' ? null : 'default', mode: null, task, cwe: g.meta.cwe, language: g.meta.language, vulnerable, predicted_cwe: vulnerable ? g.meta.cwe : null, source_run_id: genId }
				};
			});
			writeRun(judgeId, 'judge', { kind: 'judge', judge, source: { run: genId } }, judged, at(clock), 'verdicts');
			runs++;
			verdicts += judged.length;
		}
	}
}
console.log(JSON.stringify({ runs, generations, verdicts }));
