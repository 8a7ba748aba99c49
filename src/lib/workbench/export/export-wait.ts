// How long an export waits for the notebook's running cells: until they are over, until the user
// asks to export now, or at most EXPORT_WAIT_MS — a cell that never finishes must not keep the
// export waiting for good (the cells still without a result are then "Not run." in the file).

/** The longest an export waits for running cells before it exports what is on the page. */
export const EXPORT_WAIT_MS = 20_000;

export type ExportWaitEnd = 'settled' | 'now' | 'timeout';

/** A wait that `now()` ends early ("Export now"). */
export interface ExportWait {
	readonly done: Promise<ExportWaitEnd>;
	now(): void;
}

/** Waits for `settled`, for `now()`, or `ms` at most, whichever comes first; clears its timer. */
export function waitForExport(settled: Promise<unknown>, ms = EXPORT_WAIT_MS): ExportWait {
	let finish: (end: ExportWaitEnd) => void = () => undefined;
	let timer: ReturnType<typeof setTimeout> | undefined;
	const done = new Promise<ExportWaitEnd>((resolve) => {
		finish = (end) => {
			if (timer !== undefined) clearTimeout(timer);
			resolve(end);
		};
	});
	timer = setTimeout(() => finish('timeout'), ms);
	settled.then(
		() => finish('settled'),
		() => finish('settled')
	);
	return { done, now: () => finish('now') };
}

/** The button's text while an export waits: "Export now (2 still running)". */
export function exportNowText(stillRunning: number): string {
	return stillRunning > 0 ? `Export now (${stillRunning} still running)` : 'Export now';
}
