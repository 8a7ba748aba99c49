// Bounds on what a data file may ask of the reader. A data folder may come from someone else:
// a file must not exhaust memory, overflow the stack, or make a table no one can use. Each
// bound, when crossed, is an error naming the file, the line where it can be located, and the
// limit (never a crash, never a silent cut).

export interface DataLimits {
	/** Largest data file read, in bytes. */
	maxFileBytes: number;
	/** Deepest nesting of arrays/objects in one JSONL value. */
	maxDepth: number;
	/** Most columns a table may have. */
	maxColumns: number;
}

export const DATA_LIMITS: Readonly<DataLimits> = {
	maxFileBytes: 1024 * 1024 * 1024,
	maxDepth: 100,
	maxColumns: 10_000
};

/** "1.5 MB": sizes in error messages. */
export function describeBytes(bytes: number): string {
	if (bytes < 1024) return `${bytes} bytes`;
	const units = ['KB', 'MB', 'GB', 'TB'];
	let value = bytes / 1024;
	let unit = 0;
	while (value >= 1024 && unit < units.length - 1) {
		value /= 1024;
		unit++;
	}
	return `${Number(value.toFixed(1))} ${units[unit]}`;
}
