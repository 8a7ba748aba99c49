// The run pages at the scale of a full replication (180 runs on disk, bench/replication-data.ts):
//   - a run page's detail (GET /api/runs/<id>): it finds the judge runs over its run from the
//     manifests the server's run tables hold; it used to read every run's log (2.0–2.5 s here);
//   - a tab back after a server restart: every run's rows again, asked the way the page asked
//     before (one GET /api/tables/<table>?run=… per run, one after the other) and the way it
//     asks now (POST /api/run-tables/rows, every run in one request), against the same server.
// Run: node bench/run-page.js [--models 20] [--reps 9]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { freePort } from './lib/free-port.js';
import { formatTable, verdict, writeResults } from './lib/report.js';
import { median } from './lib/stats.js';
import { existsSync } from 'node:fs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const deno = join(root, 'node_modules/deno/deno');
const { values: flags } = parseArgs({ options: { models: { type: 'string', default: '20' }, reps: { type: 'string', default: '9' } } });
const MODELS = Number(flags.models);
const REPS = Number(flags.reps);
const log = (...a) => console.error('[run-page bench]', ...a);

if (!existsSync(join(root, 'build/index.js'))) {
	console.log('run-page bench: skipped — no build (run `npm run build` first)');
	process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'covw-bench-run-page-'));
const runsDir = join(work, 'runs');
try {
	log(`writing the ${MODELS}-model replication`);
	const generated = spawnSync(deno, ['run', '--quiet', '--allow-read', `--allow-write=${work}`, '--allow-env', join(here, 'replication-data.ts'), runsDir, '--models', String(MODELS)], { cwd: root, encoding: 'utf8' });
	if (generated.status !== 0) throw new Error(`replication-data.ts failed: ${generated.stderr}`);
	const scale = JSON.parse(generated.stdout.trim().split('\n').at(-1));

	const port = await freePort();
	const app = spawn(process.execPath, [join(root, 'bin/start.js')], {
		cwd: root,
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), COVW_ROOT: root, COVW_RUNS: runsDir, COVW_CACHE: join(work, 'cache') },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const origin = `http://127.0.0.1:${port}`;
	try {
		for (let i = 0; ; i++) {
			try {
				await fetch(`${origin}/favicon.svg`);
				break;
			} catch {
				if (i > 200) throw new Error('the app did not start');
				await new Promise((r) => setTimeout(r, 100));
			}
		}
		const time = async (work) => {
			const t = performance.now();
			await work();
			return performance.now() - t;
		};
		// The run tables built once (what the runs list, which every page asks, does first).
		const status = await (await fetch(`${origin}/api/run-tables`)).json();

		const detail = async (id) => {
			const r = await fetch(`${origin}/api/runs/${id}`);
			const body = await r.json();
			if (!r.ok || body.judgedBy.length !== 2) throw new Error(`GET /api/runs/${id}: ${r.status} judgedBy ${JSON.stringify(body.judgedBy)}`);
		};
		const detailMs = [];
		for (let i = 0; i < REPS; i++) detailMs.push(await time(() => detail(`gen-completion-m${1 + (i % MODELS)}`)));

		// A restarted server: every run's epoch is new to the tab, so every run is asked for.
		const oldEpoch = 'before-restart.1';
		const table = 'generations';
		const runs = status.tables[table].runs;
		const perRun = async () => {
			for (const run of runs) {
				const r = await fetch(`${origin}/api/tables/${table}?${new URLSearchParams({ run: run.run_id, epoch: oldEpoch, after: String(run.seq) })}`);
				if (!r.ok) throw new Error(`per-run rows: ${r.status}`);
				await r.arrayBuffer();
			}
		};
		const batched = async () => {
			const r = await fetch(`${origin}/api/run-tables/rows`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', origin },
				body: JSON.stringify({ table, runs: runs.map((run) => ({ run: run.run_id, epoch: oldEpoch, after: run.seq })) })
			});
			if (!r.ok) throw new Error(`batched rows: ${r.status} ${await r.text()}`);
			await r.arrayBuffer();
		};
		const perRunMs = [];
		const batchedMs = [];
		for (let i = 0; i < Math.max(3, Math.ceil(REPS / 3)); i++) {
			perRunMs.push(await time(perRun));
			batchedMs.push(await time(batched));
		}
		const rows = [
			{ metric: `run page detail, GET /api/runs/<id> (${scale.runs} runs on disk)`, median: median(detailMs), unit: 'ms', runs: detailMs.length, target: 100, samples: detailMs },
			{ metric: `tab after a restart: ${runs.length} runs' ${table} rows, one GET per run`, median: median(perRunMs), unit: 'ms', runs: perRunMs.length, target: null, samples: perRunMs },
			{ metric: `tab after a restart: the same rows, one POST /api/run-tables/rows`, median: median(batchedMs), unit: 'ms', runs: batchedMs.length, target: null, samples: batchedMs },
			// server time only, no target: the tab's gain is the round trips it saves (bench/restart-tab.js)
			{ metric: 'server time, one request for all / one per run', median: median(batchedMs) / median(perRunMs), unit: 'x', runs: batchedMs.length, target: null, samples: [] }
		];
		console.log(`run pages with ${scale.runs} runs on disk (load average ${loadavg()[0].toFixed(1)})`);
		console.log(formatTable(rows));
		const file = writeResults(join(here, 'results'), { bench: 'run-page', at: new Date().toISOString(), scale, requestsPerRestart: { perRun: runs.length, batched: 1 }, rows: rows.map((r) => ({ ...r, result: verdict(r) })) }, 'run-page');
		log(`results in ${file}`);
	} finally {
		app.kill();
	}
} finally {
	rmSync(work, { recursive: true, force: true });
}
