// Reading a labels file (labels.jsonl, label_history.jsonl): one label per line, each checked
// as /label checks a label it is given (label.ts checkLabel). A line that is not a valid label
// is skipped with a warning naming the file, line and field — every such line, up to a cap, not
// the first only — so one bad line blocks neither labelling nor the `labels` table. The file is
// never changed here. An unfinished last line (a crash in the middle of an append) is skipped
// with a warning of its own.
import { checkLabel, LabelFieldError, type Label } from './label.ts';
import { isFutureAt } from './latest.ts';

/** The data folder's two label files (paths relative to it), served as the `labels` and `label_history` tables. */
export const LABELS_FILE = 'labels/labels.jsonl';
export const LABEL_HISTORY_FILE = 'labels/label_history.jsonl';
export const LABEL_FILES: readonly string[] = [LABELS_FILE, LABEL_HISTORY_FILE];

/** Bad lines reported one by one; beyond, one warning counts the rest. */
export const MAX_REPORTED_BAD_LINES = 20;

/** One line of a labels file that is not a valid label. */
export class LabelFileError extends Error {
	constructor(
		readonly file: string,
		readonly line: number,
		readonly field: string | null,
		readonly reason: string
	) {
		super(`${file} line ${line}${field ? `, field "${field}"` : ''}: ${reason}`);
		this.name = 'LabelFileError';
	}
}

export interface ParsedLabels {
	labels: Label[];
	warnings: string[];
	/** The lines skipped as not valid labels (an unfinished last line too), as they are in the file. */
	badLines?: { line: number; text: string }[];
}

export function readLabelLines(text: string, file: string, nowMs: number = Date.now()): ParsedLabels {
	const labels: Label[] = [];
	const warnings: string[] = [];
	const badLines: { line: number; text: string }[] = [];
	// A BOM (an editor on Windows) is no part of line 1: kept, line 1 was "invalid JSON" (review10 #5).
	const lines = (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text).split('\n');
	// After the last '\n' comes either '' (the file ends cleanly) or an unfinished line.
	const tail = lines.pop() ?? '';
	lines.forEach((line, index) => {
		if (line.trim() === '') return;
		try {
			labels.push(futureChecked(parseLabelLine(line, file, index + 1), file, index + 1, nowMs, warnings));
		} catch (error) {
			if (!(error instanceof LabelFileError)) throw error;
			if (badLines.length < MAX_REPORTED_BAD_LINES) warnings.push(`${error.message} (line skipped; fix or remove it)`);
			badLines.push({ line: index + 1, text: line });
		}
	});
	if (badLines.length > MAX_REPORTED_BAD_LINES) {
		warnings.push(`${file}: ${badLines.length - MAX_REPORTED_BAD_LINES} more lines that are not valid labels skipped (${badLines.length} in all)`);
	}
	if (tail.trim() !== '') {
		const lineNumber = lines.length + 1;
		try {
			// A last line whose newline alone is missing (an editor) is still a good label.
			labels.push(futureChecked(parseLabelLine(tail, file, lineNumber), file, lineNumber, nowMs, warnings));
		} catch (error) {
			warnings.push(`${file} line ${lineNumber}: unfinished last line skipped (an interrupted write, or a hand edit?): ${error instanceof LabelFileError ? error.reason : (error as Error).message}`);
			// kept with the other bad lines, so a rewrite of the file keeps it too
			badLines.push({ line: lineNumber, text: tail });
		}
	}
	return { labels, warnings, ...(badLines.length ? { badLines } : {}) };
}

/** A label dated more than 5 minutes ahead is kept but warned about: latestLabels never takes it as current. */
function futureChecked(label: Label, file: string, line: number, nowMs: number, warnings: string[]): Label {
	if (isFutureAt(label.at, nowMs)) warnings.push(`${file} line ${line}, field "at": ${label.at} is more than 5 minutes after now; the label is kept in the history but not taken as current`);
	return label;
}

export function parseLabelLine(line: string, file: string, lineNumber: number): Label {
	let value: unknown;
	try {
		value = JSON.parse(line);
	} catch (error) {
		throw new LabelFileError(file, lineNumber, null, `invalid JSON (${(error as Error).message})`);
	}
	try {
		return checkLabel(value);
	} catch (error) {
		if (error instanceof LabelFieldError) throw new LabelFileError(file, lineNumber, error.field, error.reason);
		throw error;
	}
}

/** One label as a JSONL line, columns in table order; decision and reason only on acceptance labels. */
export function labelLine(label: Label): string {
	const { target_id, annotator, vulnerable, cwe, other_cwe, skipped, note, at } = label;
	const acceptance = label.decision ? { decision: label.decision, reason: label.reason ?? null } : {};
	return `${JSON.stringify({ target_id, annotator, vulnerable, cwe, other_cwe, skipped, note, at, ...acceptance })}\n`;
}
