// Deleting the cache folder while a run writes to it does not silently drop every later entry:
// the next write recreates the folder and a new segment, and the entries written after the
// deletion are there for the next session.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cacheStats, ResponseCache } from '../../../src/lib/engine/response-cache.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const key = (n: number) => n.toString(16).padStart(64, '0');
const answer = (n: number) => ({ text: `answer ${n}`, tokens_in: 1, tokens_out: 2, finish_reason: 'stop', model: 'm' });

let dir: ReturnType<typeof tempDir>;
beforeAll(() => void (dir = tempDir()));
afterAll(() => dir.remove());

describe('the cache folder removed mid-run', () => {
	it('is recreated by the next write, and what is written after is kept', () => {
		const path = join(dir.path, 'cache');
		const cache = new ResponseCache(path);
		cache.put(key(1), answer(1));
		rmSync(path, { recursive: true, force: true });
		cache.put(key(2), answer(2));
		cache.put(key(3), answer(3));
		cache.close();
		expect(existsSync(path)).toBe(true);
		const next = new ResponseCache(path);
		expect(next.get(key(2))?.text).toBe('answer 2');
		expect(next.get(key(3))?.text).toBe('answer 3');
		expect(next.get(key(1))).toBeNull();
		expect(cacheStats(path).entries).toBe(2);
		next.close();
	});

	it('a segment file removed on its own is replaced too', () => {
		const path = join(dir.path, 'cache2');
		const cache = new ResponseCache(path);
		cache.put(key(1), answer(1));
		for (const f of readdirSync(path)) rmSync(join(path, f));
		cache.put(key(2), answer(2));
		cache.close();
		expect(new ResponseCache(path).get(key(2))?.text).toBe('answer 2');
	});
});
