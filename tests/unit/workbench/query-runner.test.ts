// Cell queries are cancellable (trial-red w9 #5): Cancel asks the connection to interrupt the
// pending query and rejects the caller at once, even when the connection never answers, so the
// next run is not held up; the runner lists what is running.
import { describe, expect, it } from 'vitest';
import { duckdbError, QueryCancelledError, QueryRunner, type SendingConnection } from '../../../src/lib/workbench/query-runner.ts';

/** A connection whose sends answer only when told (or never); counts its cancels. */
function fakeConnection() {
	const pending: { sql: string; answer: (rows: number[]) => void }[] = [];
	let cancels = 0;
	const conn: SendingConnection = {
		send: (sql) =>
			new Promise((resolve) => {
				pending.push({
					sql,
					answer: (rows) =>
						resolve({
							schema: `schema of ${sql}`,
							async *[Symbol.asyncIterator]() {
								for (const row of rows) yield row;
							}
						})
				});
			}),
		cancelSent: async () => (cancels++, true)
	};
	return { conn, pending, cancels: () => cancels };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('QueryRunner', () => {
	it('collects the stream into a table', async () => {
		const { conn, pending } = fakeConnection();
		const runner = new QueryRunner(async () => conn, (schema, batches) => ({ schema, batches }));
		const result = runner.run('SELECT 1');
		await tick();
		expect(runner.running.map((q) => q.sql)).toEqual(['SELECT 1']);
		pending[0].answer([1, 2]);
		expect(await result).toEqual({ schema: 'schema of SELECT 1', batches: [1, 2] });
		expect(runner.running).toEqual([]);
	});

	it('cancel interrupts the query and rejects its caller at once, though the connection never answers', { timeout: 5000 }, async () => {
		const { conn, cancels } = fakeConnection();
		let now = 1000;
		const runner = new QueryRunner(async () => conn, () => 'table', () => now);
		const result = runner.run('SELECT count(*) FROM range(1e10)');
		await tick();
		now += 12_400;
		expect(await runner.cancel()).toBe(true);
		const error = await result.catch((e) => e);
		expect(error).toBeInstanceOf(QueryCancelledError);
		expect(error.message).toMatch(/^cancelled after 12 s/);
		expect(cancels()).toBe(1);
		expect(runner.running).toEqual([]);
	});

	it('the next query runs after a cancel', { timeout: 5000 }, async () => {
		const { conn, pending } = fakeConnection();
		const runner = new QueryRunner(async () => conn, (_s, batches) => batches);
		const hog = runner.run('hog');
		await tick();
		await runner.cancel();
		await expect(hog).rejects.toBeInstanceOf(QueryCancelledError);
		const next = runner.run('SELECT 42');
		await tick();
		pending[1].answer([42]);
		expect(await next).toEqual([42]);
	});

	it('runs one query at a time: a second waits until the first answered (one pending query a connection)', { timeout: 5000 }, async () => {
		const { conn, pending } = fakeConnection();
		const runner = new QueryRunner(async () => conn, (_s, batches) => batches);
		const first = runner.run('first');
		const second = runner.run('second');
		await tick();
		expect(pending.map((p) => p.sql)).toEqual(['first']);
		pending[0].answer([1]);
		expect(await first).toEqual([1]);
		await tick();
		expect(pending.map((p) => p.sql)).toEqual(['first', 'second']);
		pending[1].answer([2]);
		expect(await second).toEqual([2]);
	});

	it('cancel stops the running query only; the next one then runs', { timeout: 5000 }, async () => {
		const { conn, pending } = fakeConnection();
		const runner = new QueryRunner(async () => conn, (_s, batches) => batches);
		const hog = runner.run('hog');
		const next = runner.run('next');
		await tick();
		await runner.cancel();
		await expect(hog).rejects.toBeInstanceOf(QueryCancelledError);
		await tick();
		expect(pending.map((p) => p.sql)).toEqual(['hog', 'next']);
		pending[1].answer([7]);
		expect(await next).toEqual([7]);
	});

	it('cancel with nothing running does nothing', async () => {
		const { conn, cancels } = fakeConnection();
		const runner = new QueryRunner(async () => conn, () => null);
		expect(await runner.cancel()).toBe(false);
		expect(cancels()).toBe(0);
	});

	it('a Cancel while the query\'s tables load stops it before it is sent, and says so (review10 #8)', { timeout: 5000 }, async () => {
		const { conn, pending, cancels } = fakeConnection();
		let loaded: () => void = () => {};
		const load = new Promise<void>((resolve) => (loaded = resolve));
		const runner = new QueryRunner(async () => conn, (_s, batches) => batches);
		const query = runner.run('SELECT * FROM big', () => load);
		await tick();
		expect(runner.running.map((q) => q.sql)).toEqual(['SELECT * FROM big']);
		expect(await runner.cancel()).toBe(true);
		const error = await query.catch((e) => e);
		expect(error).toBeInstanceOf(QueryCancelledError);
		expect(error.message).toMatch(/before it was sent \(its tables loading.*it did not run/);
		expect(cancels()).toBe(0); // nothing to interrupt in the worker
		loaded();
		await tick();
		await tick();
		expect(pending).toEqual([]); // never sent, even once the load ended
		const next = runner.run('SELECT 1');
		await tick();
		pending[0].answer([1]);
		expect(await next).toEqual([1]);
	});

	it('after an interrupt the worker refused, the next query waits until the old one settled (review10 #9)', { timeout: 5000 }, async () => {
		const { conn, pending } = fakeConnection();
		conn.cancelSent = async () => false; // past its pending phase: fetching batches
		let release: () => void = () => {};
		const fetching = new Promise<void>((resolve) => (release = resolve));
		const runner = new QueryRunner(
			async () => ({
				cancelSent: conn.cancelSent,
				send: async (sql) => {
					const reader = await conn.send(sql);
					if (sql !== 'old') return reader;
					return { schema: reader!.schema, async *[Symbol.asyncIterator]() { yield 1; await fetching; yield 2; } };
				}
			}),
			(_s, batches) => batches
		);
		const old = runner.run('old');
		await tick();
		pending[0].answer([]);
		await tick();
		expect(await runner.cancel()).toBe(false);
		await expect(old).rejects.toBeInstanceOf(QueryCancelledError);
		const next = runner.run('next');
		await tick();
		await tick();
		expect(pending.map((p) => p.sql)).toEqual(['old']); // not sent while the old one still fetches
		release();
		await tick();
		await tick();
		expect(pending.map((p) => p.sql)).toEqual(['old', 'next']);
		pending[1].answer([3]);
		expect(await next).toEqual([3]);
	});

	it('a query waiting behind one the worker would not interrupt: Cancel stops it at once and it is never sent', { timeout: 5000 }, async () => {
		const { conn, pending } = fakeConnection();
		conn.cancelSent = async () => false;
		let release: () => void = () => {};
		const fetching = new Promise<void>((resolve) => (release = resolve));
		const runner = new QueryRunner(
			async () => ({
				cancelSent: conn.cancelSent,
				send: async (sql) => {
					const reader = await conn.send(sql);
					if (sql !== 'old') return reader;
					return { schema: reader!.schema, async *[Symbol.asyncIterator]() { await fetching; } };
				}
			}),
			(_s, batches) => batches
		);
		const old = runner.run('old');
		await tick();
		pending[0].answer([]);
		await tick();
		await runner.cancel();
		await expect(old).rejects.toBeInstanceOf(QueryCancelledError);
		const next = runner.run('next');
		await tick();
		const { stopped, errors } = await runner.cancelDetailed();
		expect(stopped).toBe(true);
		expect(errors.map((e) => e.notSent)).toEqual([true]);
		await expect(next).rejects.toBeInstanceOf(QueryCancelledError); // at once, while the old one still fetches
		release();
		await tick();
		await tick();
		expect(pending.map((p) => p.sql)).toEqual(['old']); // never sent
		const after = runner.run('after');
		await tick();
		await tick();
		pending[1].answer([5]);
		expect(await after).toEqual([5]);
	});

	it('a pending query\'s error reads as DuckDB words it elsewhere, not as its JSON form', { timeout: 5000 }, async () => {
		const conn: SendingConnection = {
			send: async () => {
				throw new Error(JSON.stringify({ exception_type: 'Parser', exception_message: 'syntax error at or near "+"\n\nLINE 1: SELECT 1 AS x + 1', error_subtype: 'SYNTAX_ERROR', position: '44' }));
			},
			cancelSent: async () => false
		};
		const runner = new QueryRunner(async () => conn, () => null);
		const error = await runner.run('SELECT 1 AS x + 1').catch((e) => e);
		expect(error.message).toBe('Parser Error: syntax error at or near "+"\n\nLINE 1: SELECT 1 AS x + 1');
		const plain = new Error('Catalog Error: Table with name x does not exist!');
		expect(duckdbError(plain)).toBe(plain);
	});
});
