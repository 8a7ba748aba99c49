// While the page draws a notebook from the server's recording, the side effects the recording
// answered wait before they reach the real engine (so DuckDB-WASM is not started during the
// first paint): until the replay ended, or until a call needs a real answer — and then they go
// first, in order. Also the cell editors' gate (editor/editor-gate.ts): held during a first paint.
import { describe, expect, it, vi } from 'vitest';
import type { ResultTable, SqlEngine } from '../../../src/lib/notebook/executor.ts';
import { ReplayingEngine, type Recording } from '../../../src/lib/workbench/first-paint.ts';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

function engines(recording: Recording) {
	const seen: string[] = [];
	const real: SqlEngine = {
		query: async (sql) => (seen.push(sql), {}) as ResultTable,
		exec: async (sql) => void seen.push(sql),
		registerRows: async (name) => void seen.push(`rows ${name}`),
		tableNames: async () => (seen.push('tableNames'), ['t'])
	};
	const replaying = new ReplayingEngine(real, {
		listedNames: async () => ['t'],
		runTablesVersion: () => undefined,
		realReady: () => new Promise(() => {}),
		decode: () => ({}) as ResultTable,
		encode: () => new Uint8Array()
	});
	replaying.offer(Promise.resolve(recording));
	return { seen, replaying };
}

const recording: Recording = {
	notebook: 'n',
	calls: [
		{ op: 'tableNames', names: ['t'] },
		{ op: 'exec', sql: 'CREATE VIEW a AS SELECT 1' },
		{ op: 'exec', sql: 'CREATE VIEW b AS SELECT 2' }
	]
};

describe('the replay and the real engine', () => {
	it('holds the answered side effects until the replay ended, then replays them in order', async () => {
		const { seen, replaying } = engines(recording);
		await replaying.tableNames();
		await replaying.exec('CREATE VIEW a AS SELECT 1');
		await tick();
		expect(seen).toEqual([]); // the real engine was not asked for anything yet
		await replaying.exec('CREATE VIEW b AS SELECT 2');
		await replaying.ended;
		await tick();
		expect(seen).toEqual(['CREATE VIEW a AS SELECT 1', 'CREATE VIEW b AS SELECT 2']);
		expect(replaying.answered).toBe(3);
	});

	it('a call that needs a real answer releases the held side effects first, and the replay goes on', async () => {
		const { seen, replaying } = engines(recording);
		await replaying.tableNames();
		await replaying.exec('CREATE VIEW a AS SELECT 1');
		await replaying.query('SELECT 42');
		expect(seen).toEqual(['CREATE VIEW a AS SELECT 1', 'SELECT 42']);
		expect(replaying.replaying).toBe(true);
		await replaying.exec('CREATE VIEW b AS SELECT 2');
		await replaying.ended;
		await tick();
		expect(seen).toEqual(['CREATE VIEW a AS SELECT 1', 'SELECT 42', 'CREATE VIEW b AS SELECT 2']);
	});

	it('without a recording the replay ends at once and every call goes to the real engine', async () => {
		const seen: string[] = [];
		const real = { query: async () => ({}) as ResultTable, exec: async (sql: string) => void seen.push(sql), registerRows: async () => {}, tableNames: async () => ['t'] };
		const replaying = new ReplayingEngine(real, { listedNames: async () => ['t'], runTablesVersion: () => undefined, realReady: () => new Promise(() => {}), decode: () => ({}) as ResultTable, encode: () => new Uint8Array() });
		replaying.offer(Promise.resolve(null));
		await replaying.ended;
		await replaying.exec('CREATE VIEW a AS SELECT 1');
		expect(seen).toEqual(['CREATE VIEW a AS SELECT 1']);
	});
});

describe('the cell editors gate', () => {
	it('builds editors at once when no first paint holds them', async () => {
		vi.resetModules();
		const gate = await import('../../../src/lib/workbench/editor/editor-gate.ts');
		let built = false;
		void gate.editorTurn().then(() => (built = true));
		await tick();
		await tick();
		expect(built).toBe(true);
	});

	it('holds them during a first paint, then builds them one after another in order', async () => {
		vi.resetModules();
		const gate = await import('../../../src/lib/workbench/editor/editor-gate.ts');
		gate.holdEditors();
		const order: number[] = [];
		const turns = [1, 2, 3].map((n) => gate.editorTurn().then(() => order.push(n)));
		await tick();
		await tick();
		expect(order).toEqual([]);
		gate.openEditors();
		await Promise.all(turns);
		expect(order).toEqual([1, 2, 3]);
	});
});
