// `covw cache stats` and `prune` say sizes as every other message does (core/text/byte-size.ts),
// and --max-size takes those units as well as decimal ones.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cacheStatsCommand, parseSize } from '../../../src/cli/commands/cache.ts';
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
		expect(() => parseSize('2 MBs')).toThrow(/not a size like 500MB/);
	});

	it('stats says the size in the one wording', async () => {
		mkdirSync(join(work.path, 'cache'));
		const ctx = fakeContext([], { root: work.path, cwd: work.path, env: { COVW_CACHE: join(work.path, 'cache') } });
		expect(await cacheStatsCommand.run(ctx)).toBe(0);
		expect(ctx.out.join('')).toMatch(/on disk {2}0 bytes\n/);
	});
});
