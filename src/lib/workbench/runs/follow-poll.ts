// How the runs pages follow the runs folder (runs started, resumed or finished by the CLI or
// another tab never tell this page): ask again at a modest rate while the tab is visible, every
// ~2 s while a run is going on, backing off to 30 s while nothing changes, stopping after 10
// minutes of no change with no run going on; never while the tab is hidden. Becoming visible
// again (or focused) asks at once and starts over.

export interface PollPolicy {
	/** The wait after a change, or while a run goes on. */
	activeMs: number;
	/** The first wait when no run goes on. */
	idleMs: number;
	/** Waits grow by this factor for every ask that found nothing new. */
	backoff: number;
	/** The longest wait while a run goes on / while none does. */
	activeMaxMs: number;
	idleMaxMs: number;
	/** With no run going on, stop after this long without a change. */
	stopAfterMs: number;
}

export const RUNS_POLL: PollPolicy = { activeMs: 2_000, idleMs: 3_000, backoff: 1.5, activeMaxMs: 5_000, idleMaxMs: 30_000, stopAfterMs: 10 * 60_000 };

/** What an ask found: whether anything changed, and whether a run is going on. */
export interface PollResult {
	changed: boolean;
	active: boolean;
}

/**
 * The wait before the next ask, or null to stop: `previousMs` is the last wait (null before the
 * first), `quietMs` how long nothing has changed.
 */
export function nextDelay(policy: PollPolicy, previousMs: number | null, found: PollResult, quietMs: number): number | null {
	if (!found.active && quietMs >= policy.stopAfterMs) return null;
	const base = found.active ? policy.activeMs : policy.idleMs;
	if (found.changed || previousMs === null) return base;
	return Math.min(found.active ? policy.activeMaxMs : policy.idleMaxMs, Math.max(base, Math.round(previousMs * policy.backoff)));
}

const hidden = () => document.visibilityState === 'hidden';

/**
 * Calls `ask` on the policy's schedule while the document is visible; returns the function that
 * stops it. An ask that throws counts as "nothing changed" (the page shows its own error).
 */
export function followWhileVisible(ask: () => Promise<PollResult>, policy: PollPolicy = RUNS_POLL): () => void {
	let timer: ReturnType<typeof setTimeout> | undefined;
	let previous: number | null = null;
	let lastChange = Date.now();
	let asking = false;
	let stopped = false;
	let active = false;

	async function run() {
		timer = undefined;
		if (stopped || asking || hidden()) return;
		asking = true;
		let found: PollResult = { changed: false, active };
		try {
			found = await ask();
		} catch {
			/* counts as no change */
		} finally {
			asking = false;
		}
		active = found.active;
		if (found.changed) lastChange = Date.now();
		if (stopped || hidden()) return;
		const wait = nextDelay(policy, previous, found, Date.now() - lastChange);
		previous = wait;
		if (wait !== null) timer = setTimeout(run, wait);
	}

	/** Visible again (or focused): ask now and start the schedule over. */
	function wake() {
		if (stopped || hidden()) {
			clearTimeout(timer);
			timer = undefined;
			return;
		}
		if (timer === undefined && !asking) {
			previous = null;
			lastChange = Date.now();
			void run();
		}
	}

	document.addEventListener('visibilitychange', wake);
	window.addEventListener('focus', wake);
	timer = setTimeout(run, policy.activeMs);
	return () => {
		stopped = true;
		clearTimeout(timer);
		document.removeEventListener('visibilitychange', wake);
		window.removeEventListener('focus', wake);
	};
}
