// The response cache: keys over the full request plus the sample index, crash-safe entries,
// size and prune.
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cacheKey, cacheStats, pruneCache, ResponseCache } from '../../../src/lib/engine/response-cache.ts';
import { canonicalJson, unitId } from '../../../src/lib/engine/canonical-json.ts';
import type { ChatRequest, Completion } from '../../../src/lib/engine/types.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
beforeAll(() => void (dir = tempDir()));
afterAll(() => dir.remove());

const req: ChatRequest = { model: 'm', messages: [{ role: 'user', content: 'hello' }], temperature: 0.6, top_p: 0.9 };
const answer = (text: string): Completion => ({ text, tokens_in: 1, tokens_out: 2, finish_reason: 'stop', model: 'm' });

describe('cache keys', () => {
	it('differ by sample, body and base URL, not by key order or transport fields', () => {
		const k = cacheKey('http://h/v1', req, 0);
		expect(cacheKey('http://h/v1', req, 1)).not.toBe(k);
		expect(cacheKey('http://h/v1', { ...req, temperature: 0.7 }, 0)).not.toBe(k);
		expect(cacheKey('http://other/v1', req, 0)).not.toBe(k);
		expect(cacheKey('http://h/v1/', { top_p: 0.9, temperature: 0.6, messages: req.messages, model: 'm', stream: true }, 0)).toBe(k);
		expect(k).toMatch(/^[0-9a-f]{64}$/);
	});

	it('hash canonical JSON (sorted keys) — value checked against Python hashlib', () => {
		expect(canonicalJson({ b: 1, a: [{ d: 2, c: null }], u: undefined })).toBe('{"a":[{"c":null,"d":2}],"b":1}');
		// python3 -c "import hashlib;print(hashlib.sha256(b'{\"a\":1}').hexdigest()[:32])"
		expect(unitId({ a: 1 })).toBe('015abd7f5cc57a2dd94b7590f04ad808');
	});
});

describe('cache store', () => {
	afterEach(() => void vi.useRealTimers());

	it('returns what was put, across instances, and skips a line cut by a crash', () => {
		const root = join(dir.path, 'c1');
		const cache = new ResponseCache(root);
		const k0 = cacheKey('http://h/v1', req, 0);
		const k1 = cacheKey('http://h/v1', req, 1);
		expect(cache.get(k0)).toBeNull();
		cache.put(k0, answer('hi'));
		cache.put(k1, answer('there'));
		expect(cache.get(k0)).toEqual(answer('hi'));
		cache.close();
		// A crash mid-write leaves a cut last line in the segment.
		const segment = readdirSync(root)[0];
		appendFileSync(join(root, segment), `{"k":"${cacheKey('http://h/v1', req, 2)}","t":1,"c":{"text":"cu`);
		const reopened = new ResponseCache(root);
		expect(reopened.get(k0)).toEqual(answer('hi'));
		expect(reopened.get(k1)).toEqual(answer('there'));
		expect(reopened.get(cacheKey('http://h/v1', req, 2))).toBeNull();
		reopened.put(k0, answer('newer'));
		reopened.close();
		expect(new ResponseCache(root).get(k0)).toEqual(answer('newer'));
		expect(cacheStats(root).entries).toBe(2);
	});

	it('reports its size and prunes by age, then oldest-first to a byte budget', () => {
		const root = join(dir.path, 'c2');
		const cache = new ResponseCache(root);
		const day = 86_400_000;
		const now = Date.UTC(2025, 5, 1);
		vi.useFakeTimers({ toFake: ['Date'] });
		const keys = [0, 1, 2, 3].map((i) => cacheKey('http://h/v1', req, i));
		keys.forEach((k, i) => {
			vi.setSystemTime(now - (4 - i) * 10 * day); // ages 40, 30, 20, 10 days
			cache.put(k, answer(`answer ${i}`));
		});
		vi.useRealTimers();
		cache.close();
		const stats = cacheStats(root);
		expect(stats).toMatchObject({ entries: 4, oldest: new Date(now - 40 * day).toISOString(), newest: new Date(now - 10 * day).toISOString() });
		const one = stats.bytes / 4;
		expect(Number.isInteger(one)).toBe(true); // equal-length lines
		expect(pruneCache(root, { olderThanMs: 35 * day, now })).toEqual({ removed: 1, freedBytes: one });
		expect(pruneCache(root, { maxBytes: one * 2, now })).toEqual({ removed: 1, freedBytes: one });
		const after = new ResponseCache(root);
		expect(after.get(keys[1])).toBeNull();
		expect(after.get(keys[2])).toEqual(answer('answer 2'));
		expect(after.get(keys[3])).toEqual(answer('answer 3'));
		after.close();
		expect(cacheStats(root)).toMatchObject({ entries: 2, bytes: one * 2 });
		expect(cacheStats(join(dir.path, 'none'))).toEqual({ entries: 0, bytes: 0, oldest: null, newest: null });
		expect(pruneCache(root, { maxBytes: 0 })).toEqual({ removed: 2, freedBytes: one * 2 });
	});
});
