// A tab open across a server restart, with the 20-model replication on disk (180 runs): the tab
// holds the generations and verdicts tables; the server stops, a run is written while it is
// down, the server starts again. Printed: the rows requests the tab makes and when the last one
// is done (the tab asks for every changed run in one request per table: POST
// /api/run-tables/rows; it used to ask one GET per run, 181 requests here), and when the new
// run shows in a cell run again.
// Run: node bench/restart-tab.js [--models 20]
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launchChromium } from './lib/chromium.js';
import { freePort } from './lib/free-port.js';
import { formatTable, verdict, writeResults } from './lib/report.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const deno = join(root, 'node_modules/deno/deno');
const { values: flags } = parseArgs({ options: { models: { type: 'string', default: '20' } } });
const MODELS = Number(flags.models);
const log = (...a) => console.error('[restart-tab bench]', ...a);

if (!existsSync(join(root, 'build/index.js'))) {
	console.log('restart-tab bench: skipped — no build (run `npm run build` first)');
	process.exit(0);
}

const work = mkdtempSync(join(tmpdir(), 'covw-bench-restart-'));
const runsDir = join(work, 'runs');
const notebooks = join(work, 'notebooks');
mkdirSync(notebooks);
mkdirSync(join(work, 'datasets'));
writeFileSync(join(notebooks, 'restart-count.md'), "```sql id=n\nSELECT (SELECT count(*) FROM generations) || ' generations, ' || (SELECT count(*) FROM verdicts) || ' verdicts' AS seen\n```\n");
let server = null;
const port = await freePort();
const origin = `http://127.0.0.1:${port}`;
async function start() {
	server = spawn(process.execPath, [join(root, 'bin/start.js')], {
		cwd: root,
		env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), COVW_ROOT: root, COVW_NOTEBOOKS: notebooks, COVW_DATA: join(work, 'datasets'), COVW_RUNS: runsDir, COVW_CACHE: join(work, 'cache') },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	for (let i = 0; ; i++) {
		try {
			if ((await fetch(`${origin}/api/tables`)).ok) return;
		} catch {
			/* not yet */
		}
		if (i > 600) throw new Error('the app did not start');
		await new Promise((r) => setTimeout(r, 100));
	}
}
async function stop() {
	const s = server;
	server = null;
	if (!s || s.exitCode !== null) return;
	const exited = new Promise((r) => s.once('exit', r));
	s.kill();
	await exited;
}

let browser = null;
try {
	log(`writing the ${MODELS}-model replication`);
	const generated = spawnSync(deno, ['run', '--quiet', '--allow-read', `--allow-write=${work}`, '--allow-env', join(here, 'replication-data.ts'), runsDir, '--models', String(MODELS)], { cwd: root, encoding: 'utf8' });
	if (generated.status !== 0) throw new Error(`replication-data.ts failed: ${generated.stderr}`);
	const scale = JSON.parse(generated.stdout.trim().split('\n').at(-1));
	await start();
	browser = await launchChromium();
	const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
	const isRows = (r) => {
		const u = new URL(r.url());
		return /^\/api\/tables\/(generations|verdicts)$/.test(u.pathname) && u.search.includes('run=') || u.pathname === '/api/run-tables/rows';
	};
	const asked = [];
	let lastDone = 0;
	page.on('request', (r) => void (isRows(r) && asked.push(r.url())));
	page.on('requestfinished', (r) => void (isRows(r) && (lastDone = performance.now())));
	await page.goto(`${origin}/notebooks/restart-count`);
	const grid = page.locator('[data-cell-id="n"] [data-testid="result-grid"]');
	const want = (g) => `${g} generations, ${scale.verdicts} verdicts`;
	for (let i = 0; !((await grid.textContent().catch(() => '')) ?? '').includes(want(scale.generations)); i++) {
		if (i > 600) throw new Error('the tables never loaded');
		await page.waitForTimeout(200);
	}

	await stop();
	// A run written while the server is down: a copy of one generation run under a new id.
	const copy = join(runsDir, 'gen-zz-while-down');
	cpSync(join(runsDir, 'gen-completion-m1'), copy, { recursive: true });
	const manifest = JSON.parse(readFileSync(join(copy, 'manifest.json'), 'utf8'));
	writeFileSync(join(copy, 'manifest.json'), JSON.stringify({ ...manifest, run_id: 'gen-zz-while-down' }));
	rmSync(join(copy, 'generations.arrow'), { force: true });
	const added = manifest.counts.total;
	asked.length = 0;
	await start();
	const t0 = performance.now();
	let shownMs = null;
	for (;;) {
		await page.locator('[data-cell-id="n"]').getByRole('button', { name: /Run/ }).click();
		await page.waitForTimeout(200);
		if (((await grid.textContent()) ?? '').includes(want(scale.generations + added))) {
			shownMs = performance.now() - t0;
			break;
		}
		if (performance.now() - t0 > 120_000) break;
	}
	// The sync may go on after the new run shows: wait until no rows request for 5 s.
	while (performance.now() - Math.max(lastDone, t0) < 5000) await page.waitForTimeout(500);
	const rows = [
		{ metric: `rows requests of the tab after the restart (${scale.runs + 1} runs)`, median: null, unit: 'x', runs: 1, target: null, note: `${asked.length} (${asked.length <= 2 ? 'pass: ' : 'FAIL: not '}one per table)` },
		{ metric: 'last rows request done, after the server answers again', median: lastDone > t0 ? lastDone - t0 : 0, unit: 'ms', runs: 1, target: null },
		{ metric: 'the run written while down shows in a cell run again', median: shownMs, unit: 'ms', runs: 1, target: null }
	];
	console.log(`a tab across a server restart, ${scale.runs} runs on disk (load average ${loadavg()[0].toFixed(1)})`);
	console.log(formatTable(rows));
	const file = writeResults(join(here, 'results'), { bench: 'restart-tab', at: new Date().toISOString(), scale, requests: asked.length, rows: rows.map((r) => ({ ...r, result: verdict(r) })) }, 'restart-tab');
	log(`results in ${file}`);
} finally {
	await browser?.close();
	await stop();
	rmSync(work, { recursive: true, force: true });
}
