// GET /api/tables: a table's error reaches the browser without the server's absolute paths
// (issue 9 item 25) — an fs error names the file it could not open by its full path.
import { describe, expect, it, vi } from 'vitest';

const root = process.cwd();
vi.mock('../../../src/lib/server/app-objects.ts', () => ({
	dataFolder: () => ({
		scan: async () => [
			{ name: 'locked', file: 'locked.csv', rows: 0, columns: [], error: `locked.csv: cannot read (EACCES: permission denied, open '${root}/datasets/locked.csv')` },
			{ name: 'fine', file: 'fine.csv', rows: 2, columns: [] }
		]
	}),
	runTables: () => ({ has: () => false, list: () => [] })
}));

describe('GET /api/tables', () => {
	it('relativises paths in table errors', async () => {
		const { GET } = await import('../../../src/routes/api/tables/+server.ts');
		const response = await GET();
		const tables = (await response.json()) as Array<{ name: string; error?: string }>;
		expect(tables.map((t) => t.name)).toEqual(['locked', 'fine', 'labels']); // labels: served empty before the first label
		expect(tables[0].error).toBe("locked.csv: cannot read (EACCES: permission denied, open 'datasets/locked.csv')");
		expect(JSON.stringify(tables)).not.toContain(root);
	});
});
