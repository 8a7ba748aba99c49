// The threaded DuckDB-WASM worker as the app serves it (routes/duckdb/coi.worker.js): patched
// (workbench/duckdb-coi-patch.js: the package's worker copies through stale heap views and a big
// table load threw "offset is out of bounds"), revalidated by ETag, and loadable as a worker by
// a cross-origin isolated page (its response carries COEP like every other).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
});

describe('the threaded DuckDB-WASM worker', () => {
	it('is served patched, as JavaScript, with the isolation headers and an ETag', async () => {
		const response = await fetch(`${baseURL}/duckdb/coi.worker.js`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
		expect(response.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
		expect(response.headers.get('cache-control')).toBe('no-cache');
		const body = await response.text();
		expect(body).toContain('covwFreshViews');
		expect(body).not.toContain('sourceMappingURL');
		const etag = response.headers.get('etag');
		expect(etag).toBeTruthy();
		const again = await fetch(`${baseURL}/duckdb/coi.worker.js`, { headers: { 'if-none-match': etag! } });
		expect(again.status).toBe(304);
	});

	it('starts as a worker in the cross-origin isolated page and answers it', async () => {
		const page = await browser.newPage();
		try {
			await page.goto(`${baseURL}/reference`);
			const answer = await page.evaluate(
				() =>
					new Promise<string>((resolve) => {
						const worker = new Worker('/duckdb/coi.worker.js');
						worker.onerror = () => resolve('error');
						worker.onmessage = (event) => resolve(`${crossOriginIsolated} ${event.data.type}`);
						worker.postMessage({ messageId: 1, type: 'PING', data: null });
					})
			);
			expect(answer).toBe('true OK');
		} finally {
			await page.close();
		}
	});
});
