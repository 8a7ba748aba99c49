// IdleQueue (src/lib/engine/idle-queue.ts): work queued while items keep coming is done once
// they stop for quietMs, in push order; at once past maxPending; flush and dispose as said.
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { IdleQueue } from '../../../src/lib/engine/idle-queue.ts';

beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
afterEach(() => vi.useRealTimers());

it('waits until no item has come for quietMs, then handles them all in order', () => {
	const done: number[] = [];
	const q = new IdleQueue<number>((n) => done.push(n), { quietMs: 5 });
	q.push(1);
	vi.advanceTimersByTime(3);
	q.push(2); // arrives before the queue went quiet: the wait starts again from here
	vi.advanceTimersByTime(3);
	expect(done).toEqual([]);
	expect(q.pending).toBe(2);
	vi.advanceTimersByTime(2);
	expect(done).toEqual([1, 2]);
	expect(q.pending).toBe(0);
	q.push(3);
	vi.advanceTimersByTime(5);
	expect(done).toEqual([1, 2, 3]);
});

it('handles the waiting items at once when maxPending are waiting, and on flush', () => {
	const done: number[] = [];
	const q = new IdleQueue<number>((n) => done.push(n), { quietMs: 5, maxPending: 3 });
	q.push(1);
	q.push(2);
	expect(done).toEqual([]);
	q.push(3);
	expect(done).toEqual([1, 2, 3]);
	q.push(4);
	q.flush();
	expect(done).toEqual([1, 2, 3, 4]);
	vi.advanceTimersByTime(10);
	expect(done).toEqual([1, 2, 3, 4]); // the timer went with the flush
});

it('dispose drops what waits and its timer', () => {
	const done: number[] = [];
	const q = new IdleQueue<number>((n) => done.push(n), { quietMs: 5 });
	q.push(1);
	q.dispose();
	vi.advanceTimersByTime(10);
	expect(done).toEqual([]);
	expect(vi.getTimerCount()).toBe(0);
});

it('does not wait past maxWaitMs for a stream that never goes quiet', () => {
	const done: number[] = [];
	const q = new IdleQueue<number>((n) => done.push(n), { quietMs: 5, maxWaitMs: 12 });
	for (let i = 0; i < 5; i++) {
		q.push(i);
		vi.advanceTimersByTime(3);
	}
	// 15 ms of items 3 ms apart: never quiet for 5 ms, worked off at 12 ms.
	expect(done).toEqual([0, 1, 2, 3]);
	expect(q.pending).toBe(1);
});
