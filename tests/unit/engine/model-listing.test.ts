// A run on the endpoint made from OPENAI_BASE_URL alone (no config file, so no model list) is
// refused before it sends anything when the endpoint does not serve its model: the error names
// the model, the endpoint, where the config came from and what the endpoint serves. The README's
// demo (the test double, model "test-model") still runs; an endpoint that answers but cannot list
// its models is no reason to refuse, one that does not answer at all (refused, timeout) is.
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { runBatchUnits } from '../../../src/lib/engine/batch/batch-run.ts';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, configFromEnv, parseEngineConfig } from '../../../src/lib/engine/config.ts';
import { checkModelsServed, EndpointUnreachableError } from '../../../src/lib/engine/model-listing.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import type { WorkUnit } from '../../../src/lib/engine/types.ts';
import { tempDir, testUnits } from '../../support/engine-fixtures.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { downReplica } from '../../support/replica-config.ts';

let server: TestServer;
beforeAll(async () => {
	server = await startTestServer(); // serves "test-model" (GET /v1/models lists it)
});
afterAll(async () => {
	await server?.close();
});


const envConfig = (baseURL = server.url) => configFromEnv({ OPENAI_BASE_URL: baseURL, OPENAI_API_KEY: 'sk-listing-test' });
const unitsFor = (model: string, n = 3): WorkUnit[] =>
	testUnits(n, 1, 'default').map((u) => ({ ...u, request: { ...u.request, model }, meta: { ...u.meta, model } }));

describe('models of an endpoint without a model list', () => {
	it('refuses a run whose model the endpoint does not serve, before any request or run folder', async () => {
		const dir = tempDir();
		try {
			const run = runUnits({ runId: 'typo', runsDir: dir.path, config: envConfig(), units: unitsFor('test-modle') });
			await expect(run).rejects.toBeInstanceOf(ConfigError);
			const message = await run.catch((e: Error) => e.message);
			expect(message).toContain('"test-modle"');
			expect(message).toContain('endpoint "default"');
			expect(message).toContain(`${server.url}, from OPENAI_BASE_URL; no covw.config.json`);
			expect(message).toContain('it serves test-model');
			expect(message).not.toContain('sk-listing-test');
			expect(server.requests.length).toBe(0);
			expect(existsSync(join(dir.path, 'typo'))).toBe(false);
		} finally {
			dir.remove();
		}
	});

	it('runs the demo model of the README (test double, "test-model")', async () => {
		const dir = tempDir();
		try {
			const result = await runUnits({ runId: 'demo', runsDir: dir.path, config: envConfig(), units: unitsFor('test-model') });
			expect(result.state).toBe('completed');
			expect([...result.rows.values()].every((r) => r.status === 'ok')).toBe(true);
		} finally {
			dir.remove();
		}
	});

	it('names every missing model once, and lets a run go on when the endpoint answers but cannot list', async () => {
		await expect(checkModelsServed(envConfig(), [...unitsFor('a-model', 2), ...unitsFor('b-model', 2), ...unitsFor('test-model', 1)].map((u) => ({ endpoint: u.endpoint, model: u.request.model })))).rejects.toThrow(
			/model "a-model", "b-model" is not served by endpoint "default"/
		);
		// No GET /models route here (the test double answers 404): nothing to check against.
		await expect(checkModelsServed(envConfig(`${server.url.replace(/\/v1$/, '')}/elsewhere/v1`), [{ endpoint: 'default', model: 'any-name' }])).resolves.toBeUndefined();
	});

	it('refuses a run on an endpoint that does not answer (connection refused), before its folder is made', async () => {
		const down = await downReplica();
		const dir = tempDir();
		try {
			const run = runUnits({ runId: 'down', runsDir: dir.path, config: envConfig(down), units: unitsFor('any-name') });
			await expect(run).rejects.toBeInstanceOf(EndpointUnreachableError);
			const message = await run.catch((e: Error) => e.message);
			expect(message).toContain('endpoint "default" does not answer (OPENAI_BASE_URL (no covw.config.json))');
			expect(message).toContain(down);
			expect(message).toMatch(/ECONNREFUSED|Connection error/);
			expect(message).not.toContain('sk-listing-test');
			expect(existsSync(join(dir.path, 'down'))).toBe(false);
			// The batch path checks the same way.
			await expect(runBatchUnits({ runId: 'down-batch', runsDir: dir.path, config: envConfig(down), units: unitsFor('any-name') })).rejects.toBeInstanceOf(EndpointUnreachableError);
			expect(existsSync(join(dir.path, 'down-batch'))).toBe(false);
		} finally {
			dir.remove();
		}
	});

	it('lets a run already on disk go on when its endpoint is down: a finished one completes with nothing sent', async () => {
		const dir = tempDir();
		try {
			const units = unitsFor('test-model');
			expect((await runUnits({ runId: 'done', runsDir: dir.path, config: envConfig(), units })).state).toBe('completed');
			const down = await downReplica();
			const warnings: string[] = [];
			const again = await runUnits({ runId: 'done', runsDir: dir.path, config: envConfig(down), units, onWarning: (w) => warnings.push(w) });
			expect(again.state).toBe('completed');
			expect(again.requests).toBe(0);
			expect(warnings.join('\n')).toMatch(/endpoint "default" does not answer .*going on with run done, which exists/);
		} finally {
			dir.remove();
		}
	});

	it('refuses an endpoint that accepts the connection but never answers, after the listing timeout', async () => {
		const silent: Server = createServer(() => {}); // takes the request, never answers
		await new Promise<void>((ok) => silent.listen(0, '127.0.0.1', ok));
		const url = `http://127.0.0.1:${(silent.address() as { port: number }).port}/v1`;
		try {
			await expect(checkModelsServed(envConfig(url), [{ endpoint: 'default', model: 'any-name' }], 300)).rejects.toThrow(/does not answer .*no answer within 300 ms/);
		} finally {
			silent.closeAllConnections();
			await new Promise((ok) => silent.close(ok));
		}
	});

	it('takes "llama3" for a listed "llama3:latest" (Ollama), and an empty list as no answer', async () => {
		let listed: string[] = [];
		const models: Server = createServer((req, res) => {
			res.setHeader('content-type', 'application/json');
			res.end(JSON.stringify({ object: 'list', data: listed.map((id) => ({ id, object: 'model' })) }));
		});
		await new Promise<void>((ok) => models.listen(0, '127.0.0.1', ok));
		const url = `http://127.0.0.1:${(models.address() as { port: number }).port}/v1`;
		try {
			listed = ['llama3:latest', 'qwen2.5:7b'];
			await expect(checkModelsServed(envConfig(url), [{ endpoint: 'default', model: 'llama3' }])).resolves.toBeUndefined();
			await expect(checkModelsServed(envConfig(url), [{ endpoint: 'default', model: 'qwen2.5' }])).rejects.toThrow(/"qwen2\.5" is not served/);
			listed = [];
			await expect(checkModelsServed(envConfig(url), [{ endpoint: 'default', model: 'anything' }])).resolves.toBeUndefined();
		} finally {
			await new Promise((ok) => models.close(ok));
		}
	});

	it('with no endpoint named at all, a live or a batch run is refused before its folder is made', async () => {
		const dir = tempDir();
		try {
			const none = configFromEnv({});
			await expect(runUnits({ runId: 'live', runsDir: dir.path, config: none, units: unitsFor('gpt-4o') })).rejects.toThrow(/no endpoint is configured/);
			await expect(runBatchUnits({ runId: 'batch', runsDir: dir.path, config: none, units: unitsFor('gpt-4o') })).rejects.toThrow(/no endpoint is configured/);
			expect(existsSync(join(dir.path, 'live'))).toBe(false);
			expect(existsSync(join(dir.path, 'batch'))).toBe(false);
		} finally {
			dir.remove();
		}
	});

	it('leaves the models of an endpoint with a model list to the config (its listing is not compared)', async () => {
		// The config file lists "own-model", which the test double does not serve: the config decides.
		const text = JSON.stringify({ endpoints: { local: { baseURL: server.url, models: { 'own-model': {} } } } });
		const config = parseEngineConfig(text, 'listing.covw.config.json', {});
		await expect(checkModelsServed(config, [{ endpoint: 'local', model: 'own-model' }])).resolves.toBeUndefined();
	});
});

describe('endpoints named in covw.config.json are probed before a new run', () => {
	const fileConfig = (endpoint: Record<string, unknown>) =>
		parseEngineConfig(JSON.stringify({ endpoints: { local: { ...endpoint, maxAttempts: 2, models: { 'test-model': {} } } } }), 'probe.covw.config.json', {});
	const localUnits = (n = 3): WorkUnit[] => unitsFor('test-model', n).map((u) => ({ ...u, endpoint: 'local' }));

	it('refuses a run whose config endpoint nothing listens on, before its folder is made; a run on disk goes on with a warning', async () => {
		const down = await downReplica();
		const dir = tempDir();
		try {
			const run = runUnits({ runId: 'cfg-down', runsDir: dir.path, config: fileConfig({ baseURL: down }), units: localUnits(), retry: { baseDelayMs: 1, maxDelayMs: 2 } });
			await expect(run).rejects.toBeInstanceOf(EndpointUnreachableError);
			const message = await run.catch((e: Error) => e.message);
			expect(message).toContain('endpoint "local" does not answer (probe.covw.config.json): GET /models failed');
			expect(message).toContain(down);
			expect(message).toMatch(/ECONNREFUSED|Connection error/);
			expect(message).toContain('no run folder was made');
			expect(existsSync(join(dir.path, 'cfg-down'))).toBe(false);
			await expect(runBatchUnits({ runId: 'cfg-down-batch', runsDir: dir.path, config: fileConfig({ baseURL: down }), units: localUnits() })).rejects.toBeInstanceOf(EndpointUnreachableError);
			expect(existsSync(join(dir.path, 'cfg-down-batch'))).toBe(false);

			// The same run, finished while its server was up, re-run with it down: nothing to send, completes.
			const units = localUnits();
			expect((await runUnits({ runId: 'cfg-done', runsDir: dir.path, config: fileConfig({ baseURL: server.url }), units })).state).toBe('completed');
			const warnings: string[] = [];
			const again = await runUnits({ runId: 'cfg-done', runsDir: dir.path, config: fileConfig({ baseURL: down }), units, onWarning: (w) => warnings.push(w) });
			expect(again.state).toBe('completed');
			expect(again.requests).toBe(0);
			expect(warnings.join('\n')).toMatch(/endpoint "local" does not answer \(probe\.covw\.config\.json\).*going on with run cfg-done, which exists/);
		} finally {
			dir.remove();
		}
	});

	it('lets a finished batch run on disk go on when its config endpoint is down (a warning, nothing sent)', async () => {
		const dir = tempDir();
		const poll = { firstMs: 5, maxMs: 20 };
		try {
			const units = localUnits(2).map((u) => ({ ...u, id: `probe-batch-${u.id}` }));
			const first = await runBatchUnits({ runId: 'cfg-batch', runsDir: dir.path, config: fileConfig({ baseURL: server.url }), units, poll, onWarning: () => {} });
			expect(first.state).toBe('completed');
			const down = await downReplica();
			const warnings: string[] = [];
			const again = await runBatchUnits({ runId: 'cfg-batch', runsDir: dir.path, config: fileConfig({ baseURL: down }), units, poll, onWarning: (w) => warnings.push(w) });
			expect(again.state).toBe('completed');
			expect(again.manifest.counts).toMatchObject({ ok: 2, error: 0 });
			expect(warnings.join('\n')).toMatch(/endpoint "local" does not answer \(probe\.covw\.config\.json\).*going on with run cfg-batch, which exists/);
		} finally {
			dir.remove();
		}
	});

	it('runs on a config endpoint that answers 404 to GET /models (an answer of any status is an answer)', async () => {
		const noList = await startTestServer({ listsModels: false });
		const dir = tempDir();
		try {
			const result = await runUnits({ runId: 'cfg-404', runsDir: dir.path, config: fileConfig({ baseURL: noList.url }), units: localUnits() });
			expect(result.state).toBe('completed');
			expect([...result.rows.values()].map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
			expect(noList.modelListings()).toBe(1); // asked once, for the whole run
		} finally {
			dir.remove();
			await noList.close();
		}
	});

	it('runs on a replica set with one replica down (one answering is enough)', async () => {
		const down = await downReplica();
		const dir = tempDir();
		try {
			const config = fileConfig({ replicas: [down, server.url] });
			const before = server.modelListings();
			const result = await runUnits({ runId: 'cfg-replicas', runsDir: dir.path, config, units: localUnits(6), retry: { baseDelayMs: 1, maxDelayMs: 2 } });
			expect(result.state).toBe('completed');
			expect(result.manifest.counts).toMatchObject({ ok: 6, error: 0 });
			expect(server.modelListings() - before).toBe(1); // the first replica did not answer, the second did
			// Every replica down: refused.
			const allDown = fileConfig({ replicas: [down, await downReplica()] });
			await expect(checkModelsServed(allDown, [{ endpoint: 'local', model: 'test-model' }])).rejects.toThrow(/endpoint "local" does not answer .*(ECONNREFUSED|Connection error).*; /);
		} finally {
			dir.remove();
		}
	});
});
