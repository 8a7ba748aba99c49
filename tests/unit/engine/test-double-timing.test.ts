// The TEST DOUBLE's latency is counted from a request's arrival (its headers read), not from the
// moment its body has been read and parsed: a request whose body takes longer than the latency
// to arrive is answered as soon as it is complete, and none is answered before its latency has
// passed since it arrived. Before, the double's own reading and parsing came on top of the
// configured latency (bench/fetch-floor.js measures what that cost at 64 requests a round).
// The answer is the same whatever its timing. Many requests
// at once are each answered no sooner than their latency after their own arrival.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultAnswer, startTestServer, type TestServer } from '../../support/openai-test-server.ts';

const LATENCY = 600;
let server: TestServer;
beforeAll(async () => {
	server = await startTestServer({ latencyMs: LATENCY });
});
afterAll(() => server.close());

/** A chat request whose headers go out at once and whose body follows `bodyAfterMs` later; times are from the headers. */
function slowBody(bodyAfterMs: number): Promise<{ bodySentAt: number; answeredAt: number; text: string }> {
	const body = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'slow body' }] });
	return new Promise((resolve, reject) => {
		const t0 = performance.now();
		let bodySentAt = 0;
		const req = request(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
			let text = '';
			res.on('data', (d) => (text += d));
			res.on('end', () => resolve({ bodySentAt, answeredAt: performance.now() - t0, text }));
		});
		req.on('error', reject);
		req.flushHeaders();
		setTimeout(() => {
			bodySentAt = performance.now() - t0;
			req.end(body);
		}, bodyAfterMs);
	});
}

describe('the test double\'s latency', () => {
	it('answers each of many concurrent requests no sooner than the latency after it was sent', async () => {
		const sent = Array.from({ length: 40 }, async (_, i) => {
			const t0 = performance.now();
			const res = await fetch(`${server.url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: `many ${i}` }] }) });
			const body = await res.json();
			return { waited: performance.now() - t0, content: body.choices[0].message.content, i };
		});
		for (const r of await Promise.all(sent)) {
			expect(r.waited).toBeGreaterThanOrEqual(LATENCY);
			expect(r.content).toBe(defaultAnswer(`many ${r.i}`));
		}
	});

	it('runs from the arrival: a body slower than the latency is answered once it is complete, not a latency later', async () => {
		const r = await slowBody(LATENCY + 100);
		expect(r.answeredAt).toBeGreaterThanOrEqual(LATENCY);
		// Counted from the body, the answer would come LATENCY (600 ms) after it; it comes at once.
		expect(r.answeredAt - r.bodySentAt).toBeLessThan(LATENCY / 2);
		expect(JSON.parse(r.text).choices[0].message.content).toBe(defaultAnswer('slow body'));
		expect(server.answersFor(server.requests.at(-1)!.unit)).toBe(1);
	});

	it('never answers before the latency has passed since the arrival', async () => {
		const r = await slowBody(50);
		// The double runs in this process: one clock. Timers take whole ms and Node's count from the
		// event loop's cached clock, so one may fire a little early; the double then waits again.
		expect(r.answeredAt).toBeGreaterThanOrEqual(LATENCY);
	});
});
