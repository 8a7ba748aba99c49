// `covw cache stats` and `prune` say sizes as every other message does (core/text/byte-size.ts),
// and --max-size takes those units as well as decimal ones.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachePruneCommand, cacheStatsCommand, parseSize } from '../../../src/cli/commands/cache.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { fakeContext } from './fake-context.ts';

let work: ReturnType<typeof tempDir>;
beforeEach(() => void (work = tempDir('covw-cache-sizes-')));
afterEach(() => work.remove());

describe('cache sizes', () => {
	it('--max-size: decimal units, and the binary ones sizes are printed in', () => {
		expect(parseSize('500MB')).toBe(500e6);
		expect(parseSize('1.5 kb')).toBe(1500);
		expect(parseSize('2MiB')).toBe(2 * 2 ** 20);
		expect(parseSize('1 GiB')).toBe(2 ** 30);
		expect(() => parseSize('2 MBs')).toThrow(/not a size like 500MiB/);
		expect(parseSize('1TiB')).toBe(2 ** 40);
		expect(parseSize('2 tb')).toBe(2e12);
		expect(parseSize('1KiB')).toBe(1024);
	});

	it('--max-size under 1 KiB (0, or what floors near it) is refused: it would empty the cache', () => {
		for (const slip of ['0', '0.5b', '1000', '0 MiB']) expect(() => parseSize(slip)).toThrow(/less than 1 KiB, which would drop the whole cache; to empty the cache on purpose use --older-than 0s/);
		expect(() => parseSize(`${'9'.repeat(400)}GB`)).toThrow(/too large a number/);
	});

	it('the usage example is in the unit sizes are printed in', () => {
		expect(cachePruneCommand.usage).toContain('--max-size 500MiB');
		expect(cachePruneCommand.usage).not.toMatch(/500MB/);
	});

	it('stats says the size in the one wording', async () => {
		mkdirSync(join(work.path, 'cache'));
		const ctx = fakeContext([], { root: work.path, cwd: work.path, env: { COVW_CACHE: join(work.path, 'cache') } });
		expect(await cacheStatsCommand.run(ctx)).toBe(0);
		expect(ctx.out.join('')).toMatch(/on disk {2}0 bytes\n/);
	});
});
