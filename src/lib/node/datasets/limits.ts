// Bounds on what a data file may ask of the reader. A data folder may come from someone else:
// a file must not exhaust memory, overflow the stack, or make a table no one can use. Each
// bound, when crossed, is an error naming the file, the line where it can be located, and the
// limit (never a crash, never a silent cut).
import { byteSize } from '../../core/text/byte-size.ts';

export interface DataLimits {
	/** Largest data file read, in bytes. */
	maxFileBytes: number;
	/**
	 * Largest CSV or JSONL file read, in bytes: the readers hold a file's text (or one field of
	 * it) as one string, and a JavaScript string holds at most 0x1fffffe8 characters (~512 MiB); a
	 * larger file failed only after seconds of reading and a gigabyte of memory. Arrow has no
	 * such bound (maxFileBytes alone).
	 */
	maxTextFileBytes: number;
	/** Deepest nesting of arrays/objects in one JSONL value. */
	maxDepth: number;
	/** Most columns a table may have. */
	maxColumns: number;
}

export const DATA_LIMITS: Readonly<DataLimits> = {
	maxFileBytes: 1024 * 1024 * 1024,
	maxTextFileBytes: 500 * 1024 * 1024,
	maxDepth: 100,
	maxColumns: 10_000
};

/** The largest file of this format read (bytes), and what the limit is called in its error. */
export function fileLimit(limits: DataLimits, format: 'csv' | 'jsonl' | 'arrow'): { bytes: number; what: string } {
	if (format !== 'arrow' && limits.maxTextFileBytes < limits.maxFileBytes) {
		return { bytes: limits.maxTextFileBytes, what: `a CSV or JSONL data file (the most text the reader takes in one file; an Arrow file may have ${byteSize(limits.maxFileBytes)}: convert it, or split it)` };
	}
	return { bytes: limits.maxFileBytes, what: 'a data file' };
}

