// Before the first human label there is no labels file: GET /api/tables/labels serves the table
// empty, with its columns (so notebooks that read it run), while another unknown table is 404.
import { tableFromIPC } from 'apache-arrow';
import { describe, expect, it, vi } from 'vitest';
import { UnknownTableError } from '../../../src/lib/node/datasets/index.ts';

vi.mock('../../../src/lib/server/app-objects.ts', () => ({
	dataFolder: () => ({
		ipcStream: async (name: string) => {
			throw new UnknownTableError(name);
		}
	}),
	runTables: () => ({ has: () => false })
}));

describe('GET /api/tables/labels without a labels file', () => {
	it('is the labels table with no rows; another missing table is 404', async () => {
		const { GET } = await import('../../../src/routes/api/tables/[name]/+server.ts');
		const get = (name: string) => GET({ params: { name }, url: new URL(`http://127.0.0.1/api/tables/${name}`) } as never);
		const response = await get('labels');
		expect(response.status).toBe(200);
		const table = tableFromIPC(new Uint8Array(await response.arrayBuffer()));
		expect(table.numRows).toBe(0);
		expect(table.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual([
			'target_id:Utf8',
			'annotator:Utf8',
			'vulnerable:Bool',
			'cwe:Utf8',
			'other_cwe:Bool',
			'skipped:Bool',
			'note:Utf8',
			'at:Utf8',
			'decision:Utf8',
			'reason:Utf8'
		]);
		expect((await get('nope')).status).toBe(404);
	});
});
