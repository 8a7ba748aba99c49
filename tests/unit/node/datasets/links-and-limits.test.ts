// Issue 9 items 3, 9 (data half) and 14 (server half): someone else's data folder cannot make the
// workbench read files outside it, and every reader has bounds with errors naming file and line.
import { mkdir, mkdtemp, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataFolder } from '../../../../src/lib/node/datasets/data-folder.ts';
import { DataFileError } from '../../../../src/lib/node/datasets/table-info.ts';
import { DATA_LIMITS } from '../../../../src/lib/node/datasets/limits.ts';
import { readJsonl, nestingDepth } from '../../../../src/lib/node/datasets/read-jsonl.ts';
import { readCsv } from '../../../../src/lib/node/datasets/read-csv.ts';
import { createHeadlessEngine } from '../../../../src/lib/node/headless/engine.ts';
import { loadDataFolder } from '../../../../src/lib/node/headless/load-tables.ts';

let root: string;
let outside: string;
beforeEach(async () => {
	root = await mkdtemp(join(tmpdir(), 'covw-data-'));
	outside = await mkdtemp(join(tmpdir(), 'covw-outside-'));
});
afterEach(async () => {
	await rm(root, { recursive: true, force: true });
	await rm(outside, { recursive: true, force: true });
});

async function put(relativePath: string, content: string | Uint8Array): Promise<void> {
	const path = join(root, relativePath);
	await mkdir(dirname(path), { recursive: true });
	await writeFile(path, content);
}
const bytes = (text: string) => new TextEncoder().encode(text);

describe('links out of the data folder are never read (item 3)', () => {
	it('a link to /proc/self/environ is listed with an error, not served', async () => {
		await symlink('/proc/self/environ', join(root, 'environ.csv'));
		await put('ok.csv', 'a\n1\n');
		const folder = new DataFolder(root);
		const infos = await folder.scan();
		const environ = infos.find((i) => i.file === 'environ.csv')!;
		expect(environ.rows).toBe(0);
		expect(environ.error).toMatch(/^environ\.csv is a link to a file outside the data folder/);
		await expect(folder.ipcStream('environ')).rejects.toBeInstanceOf(DataFileError);
		expect(infos.find((i) => i.file === 'ok.csv')!.rows).toBe(1);
	});

	it('a link to a file elsewhere (relative, ../ or through a linked folder) is refused', async () => {
		await writeFile(join(outside, 'secret.csv'), 'key\nsk-live-123\n');
		await symlink(join(outside, 'secret.csv'), join(root, 'absolute.csv'));
		await put('sub/.keep', '');
		await symlink(`../../${outside.split('/').pop()}/secret.csv`, join(root, 'sub/relative.csv'));
		const infos = await new DataFolder(root).scan();
		expect(infos.map((i) => [i.file, i.rows])).toEqual([
			['absolute.csv', 0],
			['sub/relative.csv', 0]
		]);
		for (const info of infos) expect(info.error).toMatch(/outside the data folder/);
		expect(JSON.stringify(infos)).not.toContain('sk-live-123');
	});

	it('a file swapped for a link after the scan is refused when read', async () => {
		await put('swap.csv', 'a\n1\n');
		await writeFile(join(outside, 'secret.csv'), 'key\nsk-live-123\n');
		const folder = new DataFolder(root);
		expect((await folder.scan())[0].rows).toBe(1);
		await unlink(join(root, 'swap.csv'));
		await symlink(join(outside, 'secret.csv'), join(root, 'swap.csv'));
		await expect(folder.ipcStream('swap')).rejects.toThrow(/outside the data folder/);
	});

	it('the headless engine (CLI) refuses it too', async () => {
		await symlink('/proc/self/environ', join(root, 'environ.csv'));
		const engine = await createHeadlessEngine();
		try {
			const loads = await loadDataFolder(engine, root);
			expect(loads).toEqual([{ name: 'environ', file: 'environ.csv', rows: 0, error: expect.stringMatching(/outside the data folder/) }]);
		} finally {
			engine.close();
		}
	});
});

describe('two files with one table name (item 14, server half)', () => {
	it('the second is listed with "rename one of the two"', async () => {
		await put('a/scores.csv', 'x\n1\n');
		await put('b/scores.csv', 'x\n2\n');
		const infos = await new DataFolder(root).scan();
		expect(infos.map((i) => i.name)).toEqual(['scores', 'scores']);
		expect(infos[1].error).toMatch(/b\/scores\.csv: table name "scores" is already taken by a\/scores\.csv; rename one of the two/);
	});
});

describe('size and depth bounds, each naming file, line and limit (item 9)', () => {
	it('a deeply nested JSONL value fails with its line and the limit, in the folder and headless', async () => {
		const deep = '{"a":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}';
		await put('deep.jsonl', `{"a":1}\n${deep}\n`);
		const [info] = await new DataFolder(root).scan();
		expect(info.error).toBe(`deep.jsonl line 2: nested more than ${DATA_LIMITS.maxDepth} levels deep (the limit for a JSONL value)`);
		const engine = await createHeadlessEngine();
		try {
			expect((await loadDataFolder(engine, root))[0].error).toBe(info.error);
		} finally {
			engine.close();
		}
	});

	it('nesting up to the limit loads (as JSON text)', () => {
		const ok = '{"a":' + '['.repeat(DATA_LIMITS.maxDepth - 1) + ']'.repeat(DATA_LIMITS.maxDepth - 1) + '}';
		expect(readJsonl(bytes(ok), 'ok.jsonl').numRows).toBe(1);
		const over = '{"a":' + '['.repeat(DATA_LIMITS.maxDepth) + ']'.repeat(DATA_LIMITS.maxDepth) + '}';
		expect(() => readJsonl(bytes(over), 'over.jsonl')).toThrow(/over\.jsonl line 1: nested more than 100 levels/);
	});

	it('brackets inside strings do not count as nesting', () => {
		expect(nestingDepth('{"a":"[[[[{{{{\\"[[["}')).toBe(1);
		expect(readJsonl(bytes(`{"a":"${'['.repeat(1000)}"}`), 'x.jsonl').numRows).toBe(1);
	});

	it('a file over the size limit is refused with its size and the limit', async () => {
		await put('big.csv', 'a\n' + '1\n'.repeat(600));
		const [info] = await new DataFolder(root, { ...DATA_LIMITS, maxFileBytes: 1024 }).scan();
		expect(info.error).toBe('big.csv: 1.2 KiB is over the limit of 1 KiB for a data file');
	});

	it('a file just over the limit says both sizes exactly, never the same number twice', async () => {
		await put('edge.csv', 'a\n' + '1\n'.repeat(520)); // 1042 bytes: "1 KiB" in words, like the limit
		const [info] = await new DataFolder(root, { ...DATA_LIMITS, maxFileBytes: 1024 }).scan();
		expect(info.error).toBe('edge.csv: 1 KiB (1042 bytes) is over the limit of 1 KiB (1024 bytes) for a data file');
	});

	it('too many columns: CSV names the header line, JSONL the line that adds the key', () => {
		const limits = { ...DATA_LIMITS, maxColumns: 3 };
		expect(() => readCsv(bytes('a,b,c,d\n1,2,3,4\n'), 'wide.csv', limits)).toThrow('wide.csv line 1: more than 3 columns in the header');
		expect(() => readJsonl(bytes('{"a":1,"b":2}\n{"c":3}\n{"d":4}\n'), 'wide.jsonl', limits)).toThrow('wide.jsonl line 3: more than 3 distinct keys');
	});
});
