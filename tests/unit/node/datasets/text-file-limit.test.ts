// A CSV or JSONL file larger than the readers can take (they hold its text, or a field of it, as
// one string: at most ~512 MiB) is refused by its size before a byte is read — its own listed
// error, saying the limit and why — and every other table loads. Before, a 900 MB file (under
// the 1 GB limit) was read whole on each listing and failed with "Cannot create a string longer
// than 0x1fffffe8 characters".
import { closeSync, mkdirSync, openSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataFolder } from '../../../../src/lib/node/datasets/data-folder.ts';
import { DATA_LIMITS } from '../../../../src/lib/node/datasets/limits.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';

let dir: ReturnType<typeof tempDir>;
beforeAll(() => {
	dir = tempDir('covw-data-limit-');
	mkdirSync(join(dir.path, 'datasets'));
	writeFileSync(join(dir.path, 'datasets', 'good.csv'), 'a,b\n1,2\n');
	for (const name of ['huge.csv', 'big.jsonl']) {
		const path = join(dir.path, 'datasets', name);
		closeSync(openSync(path, 'w'));
		truncateSync(path, 900 * 1024 * 1024); // sparse: no disk used
	}
});
afterAll(() => dir.remove());

describe('the size limit of text data files', () => {
	it('a 900 MB CSV or JSONL is its own error naming the limit; the other tables load', async () => {
		const before = process.memoryUsage().rss;
		const infos = await new DataFolder(join(dir.path, 'datasets')).scan();
		const byName = new Map(infos.map((i) => [i.name, i]));
		expect(byName.get('good')).toMatchObject({ rows: 1 });
		expect(byName.get('good')!.error ?? null).toBeNull();
		for (const file of ['huge.csv', 'big.jsonl']) {
			const info = infos.find((i) => i.file === file)!;
			expect(info.error).toBe(`${file}: 900 MiB is over the limit of 500 MiB for a CSV or JSONL data file (the most text the reader takes in one file; an Arrow file may have 1 GiB: convert it, or split it)`);
		}
		// Refused unread: the process did not take the file in.
		expect(process.memoryUsage().rss - before).toBeLessThan(300 * 1024 * 1024);
	});

	it('the text limit is below what a string can hold, and below the limit for any file', () => {
		expect(DATA_LIMITS.maxTextFileBytes).toBeLessThan(0x1fffffe8);
		expect(DATA_LIMITS.maxTextFileBytes).toBeLessThanOrEqual(DATA_LIMITS.maxFileBytes);
	});
});
