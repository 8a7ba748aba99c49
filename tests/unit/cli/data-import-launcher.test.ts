// `covw data import` through the real launcher (node bin/covw.js → Deno with the permissions of
// bin/permissions.js): it may write where the command writes — coveval/ in $COVW_DATA when set
// (where run and judge read items), else in the project's datasets/, or --out — and nowhere else.
import { copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { permissionsFor } from '../../../bin/permissions.js';
import { runCovw } from '../../support/covw-process.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '../../fixtures/coveval');
let work: { path: string; remove: () => void };
let input: string;
beforeAll(() => {
	work = tempDir('covw-data-import-');
	input = join(work.path, 'input');
	mkdirSync(input);
	copyFileSync(join(fixtures, 'records-ok.jsonl'), join(input, 'records.jsonl'));
});
afterAll(() => work.remove());

const writes = (args: string[], env: Record<string, string> = {}) =>
	permissionsFor(args, { root: '/r', cwd: '/c', env }).filter((f: string) => f.startsWith('--allow-write'));

describe('covw data import permissions', () => {
	it('may write coveval/ in $COVW_DATA, else in the project datasets/, or --out', () => {
		expect(writes(['data', 'import', 'x'], { COVW_DATA: '/d' })).toEqual(['--allow-write=/d/coveval']);
		expect(writes(['data', 'import', 'x'])).toEqual(['--allow-write=/r/datasets/coveval']);
		expect(writes(['data', 'import', 'x', '--out', 'here'], { COVW_DATA: '/d' })).toEqual(['--allow-write=/c/here']);
	});

	it('writes the items table into $COVW_DATA/coveval through the launcher', async () => {
		const data = join(work.path, 'data');
		const r = await runCovw(['data', 'import', input], { cwd: work.path, env: { COVW_DATA: data } });
		expect(r.stderr).not.toMatch(/NotCapable|PermissionDenied|Requires .* access/);
		// A partial benchmark: the table is written, exit 1 says the counts do not match.
		expect(r.status, r.stderr).toBe(1);
		expect(readdirSync(join(data, 'coveval')).sort()).toEqual(['items.arrow', 'items.meta.json']);
		expect(existsSync(join(work.path, 'datasets'))).toBe(false);
	}, 60_000);
});
