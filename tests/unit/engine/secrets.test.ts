// Keys never leak: not into rows, the log, the manifest, the Arrow table, progress events,
// warnings, JSON of the config, or error reasons — even when an endpoint echoes the key back.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../../src/lib/engine/config.ts';
import { publicUrl, Redactor } from '../../../src/lib/engine/redact.ts';
import { ResponseCache } from '../../../src/lib/engine/response-cache.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { onAttempts, startTestServer, type TestServer } from '../../support/openai-test-server.ts';
import { TEST_KEY, tempDir, testConfig, testUnits } from '../../support/engine-fixtures.ts';

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
	server = await startTestServer();
	dir = tempDir();
});
afterAll(async () => {
	await server.close();
	dir.remove();
});

function allFiles(path: string): string[] {
	return readdirSync(path).flatMap((name) => {
		const p = join(path, name);
		return statSync(p).isDirectory() ? allFiles(p) : [p];
	});
}

describe('API keys', () => {
	it('do not appear in any file or value a run produces, even when the server echoes them', async () => {
		// Half the units get a 401 that quotes the Authorization header; the rest succeed.
		server.setFaults((ctx) => (ctx.requestNo % 2 === 0 ? { kind: 'echo_auth' } : null));
		const events: unknown[] = [];
		const warnings: string[] = [];
		const config = testConfig(server.url);
		const result = await runUnits({
			runId: 'secret',
			runsDir: join(dir.path, 'runs'),
			config,
			units: testUnits(6),
			params: { note: `key is ${TEST_KEY}` },
			cache: new ResponseCache(join(dir.path, 'cache')),
			onProgress: (p) => events.push(p),
			onWarning: (w) => warnings.push(w)
		});
		server.setFaults(null);
		const errors = [...result.rows.values()].filter((r) => r.status === 'error');
		expect(errors.length).toBeGreaterThan(0); // the echo really happened
		expect(errors[0].error).toMatch(/rejected: not retryable: HTTP 401: .*Bearer \[redacted\]/);
		const everything = [
			...allFiles(dir.path).map((f) => readFileSync(f, 'latin1')),
			JSON.stringify([...result.rows.values()]),
			JSON.stringify(result.manifest),
			JSON.stringify(events),
			JSON.stringify(warnings),
			JSON.stringify([...config.endpoints.values()]),
			inspect(config.endpoints.get('local'), { depth: 5, showHidden: true })
		].join('\n');
		expect(everything).not.toContain(TEST_KEY);
		expect(everything).not.toContain(TEST_KEY.slice(3, 15));
		expect(result.manifest.params).toEqual({ note: 'key is [redacted]' });
	});

	it('are scrubbed by value and by shape, and URLs lose credentials', () => {
		const r = new Redactor(['my-long-secret']);
		expect(r.text('x my-long-secret y')).toBe('x [redacted] y');
		expect(r.text('Authorization: Bearer abc.def-123')).toBe('Authorization: [redacted]');
		expect(r.text('Incorrect API key provided: sk-ab***********xyz1.')).toBe('Incorrect API key provided: [redacted].');
		expect(r.text('GET /v1?api_key=zzz&x=1')).toBe('GET /v1?api_key=[redacted]&x=1');
		expect(publicUrl('https://user:pw@host.test/v1?key=abc&x=1')).toBe('https://host.test/v1?key=%5Bredacted%5D&x=1');
		expect(JSON.stringify(configFromEnv({ OPENAI_API_KEY: 'sk-zzzzzzzz', OPENAI_BASE_URL: 'http://u:p@h.test/v1' }).endpoints.get('default'))).not.toMatch(/zzzz|u:p/);
	});
});
