// Run progress for the terminal. On a TTY: one line rewritten in place (done/total, rate,
// ETA, errors, tokens), at most ~10 times a second. Elsewhere (CI, pipes, logs): a plain line
// every `intervalMs`, so a log file shows the run moving without a line per unit.
import type { Progress } from '../lib/engine/run-units.ts';
import { printable } from '../lib/core/text/printable.ts';

export interface ProgressOptions {
	isTTY: boolean;
	write(text: string): void;
	/** Non-TTY: time between lines (default 10 s). */
	intervalMs?: number;
	now?: () => number;
}

export interface ProgressReporter {
	update(progress: Progress): void;
	/** Prints the last state for good (ends the TTY line). */
	finish(): void;
}

export function formatDuration(seconds: number): string {
	if (!Number.isFinite(seconds)) return '?';
	const s = Math.max(0, Math.round(seconds));
	if (s < 60) return `${s}s`;
	if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
	return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export function formatCount(n: number): string {
	if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
	if (n >= 1e4) return `${Math.round(n / 1e3)}k`;
	return String(n);
}

/** The progress line, given how many units this session has finished in `elapsedS`. */
export function progressLine(p: Progress, sessionDone: number, elapsedS: number): string {
	const rate = elapsedS > 0 ? sessionDone / elapsedS : 0;
	const left = p.total - p.done;
	const eta = left === 0 ? '0s' : rate > 0 ? formatDuration(left / rate) : '?';
	const pct = p.total > 0 ? Math.floor((100 * p.done) / p.total) : 100;
	return [
		`${p.done}/${p.total} (${pct}%)`,
		`${rate.toFixed(1)}/s`,
		`ETA ${eta}`,
		`errors ${p.error}`,
		`unparsed ${p.unparsed}`,
		`cached ${p.cached}`,
		`tokens ${formatCount(p.tokens_in)} in / ${formatCount(p.tokens_out)} out`,
		// A replica drained right now (replicas.ts), said while it lasts, not only at the end.
		...p.endpoints.flatMap((e) => (e.drained ?? []).map((url) => `drained ${printable(url)}`))
	].join(' | ');
}

export function progressReporter(options: ProgressOptions): ProgressReporter {
	const now = options.now ?? (() => performance.now());
	const interval = options.intervalMs ?? 10_000;
	const throttle = options.isTTY ? 100 : interval;
	let last: Progress | null = null;
	let baseline: number | null = null;
	let started = 0;
	let lastWrite = -Infinity;
	// A terminal that is gone (SIGHUP, ssh dropped: EIO, EPIPE) must not stop the run saving its rows.
	const write = (text: string) => {
		try {
			options.write(text);
		} catch {
			// the progress is only for the eyes
		}
	};
	const line = (p: Progress) => progressLine(p, p.done - (baseline ?? p.done), (now() - started) / 1000);
	const emit = (p: Progress) => {
		write(options.isTTY ? `\r${line(p)}\x1b[K` : `${line(p)}\n`);
		lastWrite = now();
	};
	return {
		update(p) {
			if (baseline === null) {
				// The first event comes after one unit finished: units done before this session
				// do not count towards the rate.
				baseline = p.done - 1;
				started = now() - p.elapsed_ms;
			}
			last = p;
			if (now() - lastWrite >= throttle) emit(p);
		},
		finish() {
			if (last) {
				emit(last);
				if (options.isTTY) write('\n');
			}
		}
	};
}
