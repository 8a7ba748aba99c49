import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { columnsToIPC } from '../../../../src/lib/arrow/columns-to-ipc.ts';
import { createHeadlessEngine, type HeadlessEngine } from '../../../../src/lib/node/headless/engine.ts';

describe('headless engine: loading a table again replaces it, whatever held the name', () => {
	let engine: HeadlessEngine;
	beforeAll(async () => {
		engine = await createHeadlessEngine();
	});
	afterAll(() => engine.close());

	const count = async (name: string) => Number((await engine.query(`SELECT count(*) AS n FROM ${name}`)).getChild('n')!.get(0));

	it('replaces a table with a table (a run table refreshed while a run goes on)', async () => {
		engine.loadArrowTable('verdicts', columnsToIPC({ a: [1, 2] }));
		engine.loadArrowTable('verdicts', columnsToIPC({ a: [1, 2, 3] }));
		expect(await count('verdicts')).toBe(3);
	});

	it('replaces a view of the same name (differently cased)', async () => {
		await engine.exec('CREATE VIEW Shadow AS SELECT 1 AS a');
		engine.loadArrowTable('shadow', columnsToIPC({ a: [5, 6, 7, 8] }));
		expect(await count('shadow')).toBe(4);
	});
});
