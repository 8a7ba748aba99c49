// Reading labels.jsonl. Every complete line must be a valid label (a clear error naming the
// file, line and field otherwise); an unfinished last line — a crash in the middle of an
// append — is skipped with a warning, never fatal.
import { checkLabel, LabelFieldError, type Label } from '../../core/labels/label.ts';

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
}

export function parseLabelLines(text: string, file: string): ParsedLabels {
	const labels: Label[] = [];
	const warnings: string[] = [];
	const lines = text.split('\n');
	// After the last '\n' comes either '' (the file ends cleanly) or an unfinished line.
	const tail = lines.pop() ?? '';
	lines.forEach((line, index) => {
		if (line.trim() !== '') labels.push(parseLine(line, file, index + 1));
	});
	if (tail.trim() !== '') {
		const lineNumber = lines.length + 1;
		try {
			// A last line whose newline alone is missing (an editor) is still a good label.
			labels.push(parseLine(tail, file, lineNumber));
		} catch (error) {
			warnings.push(`${file} line ${lineNumber}: unfinished last line skipped (an interrupted write?): ${error instanceof LabelFileError ? error.reason : (error as Error).message}`);
		}
	}
	return { labels, warnings };
}

function parseLine(line: string, file: string, lineNumber: number): Label {
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
