// Issue 9 items 4, 21, 26: SQL in a notebook cannot read or write files, list folders, attach
// databases, load extensions or fetch URLs — and cannot switch that back on. Tables still load.
import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnsToIPC } from '../../../../src/lib/arrow/columns-to-ipc.ts';
import { createHeadlessEngine, type HeadlessEngine } from '../../../../src/lib/node/headless/engine.ts';

describe('headless engine: no external access from SQL', () => {
	let engine: HeadlessEngine;
	let dir: string;
	let canary: Server;
	let canaryURL: string;
	const hits: string[] = [];

	beforeAll(async () => {
		engine = await createHeadlessEngine();
		dir = mkdtempSync(join(tmpdir(), 'covw-lockdown-'));
		writeFileSync(join(dir, 'secret.txt'), 'the secret\n');
		writeFileSync(join(dir, 'data.csv'), 'a\n1\n');
		canary = createServer((req, res) => {
			hits.push(req.url ?? '');
			res.end('a\n1\n');
		});
		await new Promise<void>((done) => canary.listen(0, '127.0.0.1', done));
		canaryURL = `http://127.0.0.1:${(canary.address() as { port: number }).port}`;
	});
	afterAll(async () => {
		engine.close();
		rmSync(dir, { recursive: true, force: true });
		await new Promise((done) => canary.close(done));
	});

	const refused = async (sql: string) => {
		const error = await engine.query(sql).then(
			() => null,
			(e: Error) => e
		);
		expect(error, sql).not.toBeNull();
		expect(error!.message, sql).toMatch(/disabled by configuration|locked|Permission/i);
	};

	it('lists no folder (glob) and reads no file (read_text, read_csv)', async () => {
		await refused(`SELECT * FROM glob('/root/*')`);
		await refused(`SELECT * FROM glob('${dir}/*')`);
		await refused(`SELECT * FROM read_text('${dir}/secret.txt')`);
		await refused(`SELECT * FROM read_csv('${dir}/data.csv')`);
		await refused(`SELECT * FROM '${dir}/data.csv'`);
	});

	it('writes no file (COPY … TO) and attaches no database', async () => {
		await refused(`COPY (SELECT 1 AS a) TO '${dir}/out.csv'`);
		await refused(`ATTACH '${dir}/new.db' AS other`);
		expect(existsSync(join(dir, 'out.csv'))).toBe(false);
		expect(existsSync(join(dir, 'new.db'))).toBe(false);
	});

	it('fetches no URL: the canary hears nothing', async () => {
		await refused(`SELECT * FROM read_csv('${canaryURL}/x.csv')`);
		await refused(`SELECT * FROM read_text('${canaryURL}/y')`);
		expect(hits).toEqual([]);
	});

	it('cannot be switched back on by a cell', async () => {
		await refused('SET enable_external_access = true');
		await refused('SET lock_configuration = false');
		await refused('RESET enable_external_access');
		await refused(`LOAD json`);
	});

	it('still loads tables from Arrow bytes and runs queries on them', async () => {
		engine.loadArrowTable('t', columnsToIPC({ a: [1, 2, 3] }));
		const n = Number((await engine.query('SELECT sum(a) AS n FROM t')).getChild('n')!.get(0));
		expect(n).toBe(6);
	});
});
