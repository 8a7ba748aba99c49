// A batch output file is never read whole without a bound: a download is read through the
// counting reader and refused past MAX_BATCH_OUTPUT_BYTES (a 'rejected' failure, not retried:
// the batch record is kept), whatever content-length it declares.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_BATCH_OUTPUT_BYTES, outputFileText } from '../../../../src/lib/engine/batch/batch-lines.ts';
import { runBatchUnits } from '../../../../src/lib/engine/batch/batch-run.ts';
import { CallFailure } from '../../../../src/lib/engine/failure.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { tempDir, testConfig, testUnits } from '../../../support/engine-fixtures.ts';

let server: TestServer;
let dir: ReturnType<typeof tempDir>;
beforeAll(async () => {
	server = await startTestServer({ batchPolls: 1 });
	dir = tempDir('covw-batch-size-');
});
afterAll(async () => {
	vi.unstubAllGlobals();
	await server.close();
	dir.remove();
});

/** A body of `n` bytes in 1 kB chunks, with no content-length. */
function streamOf(n: number): Response {
	let left = n;
	return new Response(
		new ReadableStream<Uint8Array>({
			pull(c) {
				if (left <= 0) return c.close();
				const size = Math.min(1024, left);
				left -= size;
				c.enqueue(new Uint8Array(size).fill(120));
			}
		})
	);
}

describe('batch output size', () => {
	it('a body over the limit, without a content-length, is refused as it streams in', async () => {
		const e = await outputFileText(streamOf(5000), 'the output file', 4096).catch((err) => err);
		expect(e).toBeInstanceOf(CallFailure);
		expect(e).toMatchObject({ kind: 'rejected', message: 'the output file is larger than 4096 bytes: not read (split the batch into smaller ones)' });
		expect(await outputFileText(streamOf(3000), 'the output file', 4096)).toBe('x'.repeat(3000));
	});

	it('a batch whose output file declares more than the limit is not ingested: the batch API error keeps the record', async () => {
		const real = globalThis.fetch;
		vi.stubGlobal('fetch', async (url: string | URL | Request, init?: RequestInit) => {
			const response = await real(url, init);
			if (!/\/files\/[^/]+\/content$/.test(String(url instanceof Request ? url.url : url))) return response;
			await response.body?.cancel();
			return new Response('{"not":"read"}\n', { headers: { 'content-length': String(MAX_BATCH_OUTPUT_BYTES + 1) } });
		});
		try {
			const units = testUnits(2).map((u) => ({ ...u, id: `${u.id}-size` }));
			const run = runBatchUnits({ runId: 'batch-size', runsDir: dir.path, config: testConfig(server.url, { maxAttempts: 1 }), units, params: { test: 'size', batch: true }, poll: { firstMs: 5, maxMs: 20 } });
			await expect(run).rejects.toThrow(/output file file-\S+ is larger than 512 MB: not read .*the batch record is kept/);
		} finally {
			vi.unstubAllGlobals();
		}
	}, 60_000);
});
