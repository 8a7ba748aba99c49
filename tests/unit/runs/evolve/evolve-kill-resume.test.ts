// A Vul-Evol run killed with SIGKILL half-way through its evolution step, then resumed
// in-process: one row per unit, no logged answer sent again, and the same filter table as an
// uninterrupted run. The first half runs under Deno (tests/support/evolve-child.ts).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EVOLVE_STRATEGIES } from '../../../../src/lib/core/evolve/strategies.ts';
import { readRunLog } from '../../../../src/lib/engine/run-log.ts';
import { runEvolve } from '../../../../src/lib/runs/evolve/evolve-run.ts';
import { loadEvolveTemplates } from '../../../../src/lib/runs/evolve/evolve-templates.ts';
import { loadTemplates } from '../../../../src/lib/node/coveval/templates.ts';
import { EVOLVE_SEEDS } from '../../../fixtures/evolve/seeds.ts';
import { tempDir, testConfig } from '../../../support/engine-fixtures.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const deno = join(root, 'node_modules/deno/deno');
const hasDeno = existsSync(deno);
if (!hasDeno) console.warn(`evolve kill-resume test skipped: no Deno binary at ${deno}`);

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
	server = await startTestServer({ latencyMs: 150, vulEvol: true });
	dir = tempDir('covw-evolve-kill-');
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

describe.skipIf(!hasDeno)('evolve: kill -9 and resume', () => {
	it('ends with one row per unit, never re-sends a logged answer, and filters as if never killed', async () => {
		const runId = 'evolve-killed';
		const child = spawn(
			deno,
			['run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', '--allow-read', `--allow-write=${dir.path}`, '--allow-env',
				join(root, 'tests/support/evolve-child.ts'), server.url, dir.path, runId],
			{ cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }
		);
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		const exit = new Promise<{ signal: string | null }>((res) => child.on('exit', (_code, signal) => res({ signal })));
		await new Promise<void>((res, rej) => {
			let out = '';
			child.stdout.on('data', (d) => {
				out += d;
				const m = [...out.matchAll(/evolve row (\d+)\//g)].pop();
				if (m && Number(m[1]) >= 5) {
					child.kill('SIGKILL');
					res();
				}
			});
			child.on('exit', () => rej(new Error(`child ended before the kill: ${stderr}`)));
		});
		expect((await exit).signal).toBe('SIGKILL');

		const logPath = join(dir.path, runId, 'log.jsonl');
		const logged = readRunLog(logPath).rows.filter((r) => r.status === 'ok').map((r) => r.unit_id);
		expect(logged.length).toBeGreaterThanOrEqual(5);
		expect(logged.length).toBeLessThan(12);
		const sentBefore = new Map(logged.map((id) => [id, server.requestsFor(id)]));

		server.setLatency(0);
		const templateDir = join(root, 'datasets/templates');
		const out = await runEvolve({
			runsDir: dir.path,
			runId,
			config: testConfig(server.url, { concurrency: 2 }),
			seeds: EVOLVE_SEEDS,
			strategies: EVOLVE_STRATEGIES,
			samples: 1,
			model: 'local/test-model',
			secure: 'both',
			templates: (await loadEvolveTemplates(templateDir)).templates,
			taskTemplates: (await loadTemplates(templateDir)).templates,
			onWarning: () => {}
		});
		expect(out.state).toBe('completed');
		const ids = readRunLog(logPath).rows.map((r) => r.unit_id);
		expect(ids.length).toBe(12);
		expect(new Set(ids).size).toBe(12);
		for (const [id, n] of sentBefore) expect(server.requestsFor(id)).toBe(n);
		expect(out.steps.evolve.manifest.sessions.length).toBe(2);
		expect(out.rows.length).toBe(12);
		expect(out.rows.filter((r) => r.accepted).map((r) => `${r.seed_scenario}/${r.strategy}`)).toEqual(['td-users-1/constraints', 'td-users-3/complexity']);
	}, 60_000);
});
