// One import of a labelled set's name at a time (labelled-claim.ts): a second import while the
// first runs is refused before it writes anything; a claim left by a killed import is stale, and
// the next import removes it with the temporary items file that import left.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importLabelledSet } from '../../../src/lib/runs/import/labelled-set.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const dir = tempDir('covw-labelled-claim-');
afterAll(() => dir.remove());

const record = (id: string, label: string) => JSON.stringify({ id, code: `int f${id}(int a) { return a; }\n`, language: 'c', cwe: 'CWE-787', label });

function setUp(name: string) {
	const data = join(dir.path, name);
	const file = join(dir.path, `${name}.jsonl`);
	writeFileSync(file, [record('a', 'vulnerable'), record('b', 'secure')].join('\n') + '\n');
	mkdirSync(join(data, 'labelled'), { recursive: true });
	return { data, file, labelled: join(data, 'labelled') };
}

/** A process id that is surely not running: a child that has exited. */
const deadPid = () => spawnSync(process.execPath, ['-e', '0']).pid!;

describe('claiming a labelled set name', () => {
	it('refuses a second import while the first one runs, and writes nothing', async () => {
		const { data, file, labelled } = setUp('busy');
		writeFileSync(join(labelled, '.mine.importing'), String(process.pid)); // this process: alive
		await expect(importLabelledSet({ dataDir: data, path: file, name: 'mine' })).rejects.toThrow(/labelled set "mine" is being imported by process \d+/);
		expect(readdirSync(labelled).sort()).toEqual(['.mine.importing']);
	});

	it('takes over a claim whose process is gone, removing the temporary file that import left', async () => {
		const { data, file, labelled } = setUp('stale');
		writeFileSync(join(labelled, '.mine.importing'), String(deadPid()));
		writeFileSync(join(labelled, '.mine.items.arrow.0123456789ab.tmp'), 'half an import');
		writeFileSync(join(labelled, '.other.items.arrow.0123456789ab.tmp'), 'another set: kept');
		const { written, meta } = await importLabelledSet({ dataDir: data, path: file, name: 'mine' });
		expect(written).toBe(true);
		expect(meta.items).toBe(2);
		expect(readdirSync(labelled).sort()).toEqual(['.other.items.arrow.0123456789ab.tmp', 'mine.items.arrow', 'mine.meta.json']);
	});

	it('releases the claim when the import fails', async () => {
		const { data, labelled } = setUp('failing');
		const empty = join(dir.path, 'empty.jsonl');
		writeFileSync(empty, '');
		await expect(importLabelledSet({ dataDir: data, path: empty, name: 'mine' })).rejects.toThrow();
		expect(existsSync(join(labelled, '.mine.importing'))).toBe(false);
	});
});
