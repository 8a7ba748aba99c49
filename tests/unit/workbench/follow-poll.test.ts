// How often the runs pages ask the server (follow-poll.ts): often while a run goes on, backing
// off while nothing changes, never slower than the cap, and stopping after long quiet with no
// run going on (a run going on is never given up).
import { describe, expect, it } from 'vitest';
import { nextDelay, RUNS_POLL } from '../../../src/lib/workbench/runs/follow-poll.ts';

const P = RUNS_POLL;

describe('nextDelay', () => {
	it('asks every activeMs while a run goes on and changes, and backs off to activeMaxMs when it does not', () => {
		expect(nextDelay(P, null, { changed: false, active: true }, 0)).toBe(P.activeMs);
		expect(nextDelay(P, P.activeMs, { changed: true, active: true }, 0)).toBe(P.activeMs);
		let wait: number | null = P.activeMs;
		for (let i = 0; i < 20; i++) wait = nextDelay(P, wait, { changed: false, active: true }, 60 * 60_000);
		expect(wait).toBe(P.activeMaxMs);
	});

	it('backs off while nothing changes and no run goes on, up to idleMaxMs, then stops after stopAfterMs', () => {
		const waits: number[] = [];
		let wait: number | null = null;
		let quiet = 0;
		while (waits.length < 100) {
			wait = nextDelay(P, wait, { changed: false, active: false }, quiet);
			if (wait === null) break;
			waits.push(wait);
			quiet += wait;
		}
		expect(wait).toBeNull();
		expect(waits[0]).toBe(P.idleMs);
		for (let i = 1; i < waits.length; i++) expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1]);
		expect(Math.max(...waits)).toBe(P.idleMaxMs);
		expect(quiet).toBeGreaterThanOrEqual(P.stopAfterMs);
		// A change starts over at the fast rate.
		expect(nextDelay(P, P.idleMaxMs, { changed: true, active: false }, 0)).toBe(P.idleMs);
	});
});
