// The warnings of skipped log lines reach the browser without the server's absolute paths:
// GET /api/tables and GET /api/run-tables say runs/<id>/log.jsonl:21, not /abs/…/runs/<id>/log.jsonl:21.
import { describe, expect, it, vi } from 'vitest';

const root = process.cwd();
const WARNING = `${root}/runs/gen-completion-x-0123456789/log.jsonl:21: skipped: not JSON`;
const MANIFEST_WARNING = `${root}/runs/judge-y-0123456789/manifest.json: unreadable, run left out`;
vi.mock('../../../src/lib/server/app-objects.ts', () => ({
	dataFolder: () => ({ scan: async () => [] }),
	runTables: () => ({
		has: () => false,
		list: async () => [{ name: 'generations', file: 'runs/ (generations)', origin: 'runs', rows: 3, columns: [], warnings: [WARNING, MANIFEST_WARNING] }],
		status: async () => ({ version: 7, runs: {}, tables: {}, warnings: [WARNING, MANIFEST_WARNING] })
	})
}));

describe('run table warnings', () => {
	it('GET /api/tables names the log line relative to the project', async () => {
		const { GET } = await import('../../../src/routes/api/tables/+server.ts');
		const tables = (await (await GET()).json()) as Array<{ name: string; warnings?: string[] }>;
		const gen = tables.find((t) => t.name === 'generations')!;
		expect(gen.warnings).toEqual(['runs/gen-completion-x-0123456789/log.jsonl:21: skipped: not JSON', 'runs/judge-y-0123456789/manifest.json: unreadable, run left out']);
		expect(JSON.stringify(tables)).not.toContain(root);
	});

	it('GET /api/run-tables names the log line relative to the project', async () => {
		const { GET } = await import('../../../src/routes/api/run-tables/+server.ts');
		const status = (await (await GET()).json()) as { version: number; warnings: string[] };
		expect(status.version).toBe(7);
		expect(status.warnings[0]).toBe('runs/gen-completion-x-0123456789/log.jsonl:21: skipped: not JSON');
		expect(JSON.stringify(status)).not.toContain(root);
	});
});
