// Labels as CSV, for annotators who work in a spreadsheet or another tool.
// Import is all-or-nothing: every row is checked first and every problem is reported with its
// file, line and field; nothing is written unless the whole file is valid. A row whose
// target_id names nothing there is to label (the caller says what is: Labelling.importCsv) is
// such a problem.
import { checkLabel, LabelFieldError, type Label } from '../../core/labels/label.ts';
import { isFutureAt } from '../../core/labels/latest.ts';
import { guardFormula, unguardFormula } from '../../core/csv-formula.ts';
import { CsvSyntaxError, scanCsv } from '../../node/datasets/csv-scanner.ts';
import { bomLength, firstInvalidUtf8Line } from '../../node/datasets/utf8-check.ts';

export const REQUIRED_CSV_COLUMNS = ['target_id', 'annotator', 'vulnerable', 'cwe', 'note'] as const;
/** Written by export; optional on import (other_cwe derived, skipped false, at = import time). */
export const OPTIONAL_CSV_COLUMNS = ['other_cwe', 'skipped', 'at', 'decision', 'reason'] as const;
const KNOWN = new Set<string>([...REQUIRED_CSV_COLUMNS, ...OPTIONAL_CSV_COLUMNS]);
const MAX_REPORTED = 50;

export class LabelCsvError extends Error {
	constructor(
		readonly file: string,
		readonly problems: string[]
	) {
		super(`${file}: not imported, nothing was written:\n${problems.join('\n')}`);
		this.name = 'LabelCsvError';
	}
}

export interface CsvImportOptions {
	/** The file name to report in errors. */
	file: string;
	/** Time stamped on rows without an `at` column/value. */
	now: string;
	/** The target's own CWE, when known: decides other_cwe for files without that column. */
	targetCwe?: (targetId: string) => string | null;
	/**
	 * Whether a target id names something there is to label; a row naming anything else is a
	 * problem (file, line, field "target_id"). Without it every target id is taken.
	 */
	knownTarget?: (targetId: string) => boolean;
	/** What the known targets are, for the problem's text. */
	knownTargets?: string;
}

/** A row of the file as a label; `timed`: the row gave its own time (else it is stamped `now`). */
export interface CsvLabel {
	label: Label;
	timed: boolean;
}

export function parseLabelsCsv(bytes: Uint8Array, options: CsvImportOptions): Label[] {
	return parseLabelsCsvRows(bytes, options).map((row) => row.label);
}

export function parseLabelsCsvRows(bytes: Uint8Array, options: CsvImportOptions): CsvLabel[] {
	const { file } = options;
	const badLine = firstInvalidUtf8Line(bytes);
	if (badLine !== undefined) throw new LabelCsvError(file, [`${file} line ${badLine}: not valid UTF-8`]);
	const records = readRecords(bytes, file);
	if (records.length === 0) throw new LabelCsvError(file, [`${file}: empty file (expected a header: ${REQUIRED_CSV_COLUMNS.join(',')})`]);

	const header = records[0];
	const problems: string[] = [];
	const columns = header.fields;
	const missing = REQUIRED_CSV_COLUMNS.filter((name) => !columns.includes(name));
	if (missing.length > 0) problems.push(`${file} line ${header.line}: header lacks column(s) ${missing.join(', ')}`);
	const unknown = columns.filter((name) => !KNOWN.has(name));
	if (unknown.length > 0) {
		problems.push(`${file} line ${header.line}: unknown column(s) ${unknown.map((c) => JSON.stringify(c)).join(', ')} (known: ${[...KNOWN].join(', ')})`);
	}
	const repeated = columns.filter((name, i) => columns.indexOf(name) !== i);
	if (repeated.length > 0) problems.push(`${file} line ${header.line}: repeated column(s) ${repeated.join(', ')}`);
	if (problems.length > 0) throw new LabelCsvError(file, problems);

	const labels: CsvLabel[] = [];
	for (const record of records.slice(1)) {
		const at = (field: string, reason: string) => `${file} line ${record.line}, field "${field}": ${reason}`;
		if (record.fields.length !== columns.length) {
			problems.push(`${file} line ${record.line}: ${record.fields.length} fields, the header has ${columns.length}`);
		} else {
			const row = Object.fromEntries(columns.map((name, i) => [name, unguardFormula(record.fields[i])]));
			try {
				labels.push({ label: toLabel(row, options), timed: 'at' in row && row.at !== '' });
			} catch (error) {
				if (!(error instanceof LabelFieldError)) throw error;
				problems.push(at(error.field, error.reason));
			}
		}
		if (problems.length >= MAX_REPORTED) {
			problems.push(`… stopped after ${MAX_REPORTED} problems`);
			break;
		}
	}
	if (problems.length > 0) throw new LabelCsvError(file, problems);
	return labels;
}

function toLabel(row: Record<string, string>, options: CsvImportOptions): Label {
	const vulnerable = csvBoolean(row.vulnerable, 'vulnerable', true);
	const label = checkLabel({
		target_id: row.target_id,
		annotator: row.annotator,
		vulnerable,
		cwe: row.cwe,
		other_cwe: 'other_cwe' in row ? csvBoolean(row.other_cwe, 'other_cwe', false) : false,
		skipped: 'skipped' in row ? csvBoolean(row.skipped, 'skipped', false) : false,
		note: row.note,
		at: 'at' in row && row.at !== '' ? row.at : options.now,
		decision: row.decision,
		reason: row.reason
	});
	if (isFutureAt(label.at, Date.parse(options.now))) {
		throw new LabelFieldError('at', `${JSON.stringify(row.at)} is more than 5 minutes after now (${options.now}); a label cannot be given in the future`);
	}
	if (options.knownTarget && !options.knownTarget(label.target_id)) {
		throw new LabelFieldError('target_id', `${JSON.stringify(label.target_id)} is not ${options.knownTargets ?? 'a known target'}`);
	}
	if (!('other_cwe' in row) && label.vulnerable === true && label.cwe !== null) {
		const own = options.targetCwe?.(label.target_id) ?? null;
		// Unknown target: its CWE cannot be compared, so the label counts as naming the target's.
		if (own !== null && own !== label.cwe) return checkLabel({ ...label, other_cwe: true });
	}
	return label;
}

function csvBoolean(text: string, field: string, nullable: true): boolean | null;
function csvBoolean(text: string, field: string, nullable: false): boolean;
function csvBoolean(text: string, field: string, nullable: boolean): boolean | null {
	const value = text.trim().toLowerCase();
	if (value === 'true') return true;
	if (value === 'false') return false;
	if (value === '' && nullable) return null;
	if (value === '') return false;
	throw new LabelFieldError(field, `${JSON.stringify(text)} must be true or false${nullable ? ' (or empty for no answer)' : ''}`);
}

interface CsvRecord {
	line: number;
	fields: string[];
}

function readRecords(bytes: Uint8Array, file: string): CsvRecord[] {
	const decoder = new TextDecoder();
	const records: CsvRecord[] = [];
	let fields: string[] = [];
	try {
		scanCsv(bytes, bomLength(bytes), {
			field(_column, start, end, _quoted, doubled) {
				const text = decoder.decode(bytes.subarray(start, end));
				fields.push(doubled ? text.replaceAll('""', '"') : text);
			},
			record(_count, line) {
				records.push({ line, fields });
				fields = [];
			}
		});
	} catch (error) {
		if (error instanceof CsvSyntaxError) throw new LabelCsvError(file, [`${file} ${error.message}`]);
		throw error;
	}
	return records;
}

/**
 * The given labels as CSV (header: the import columns, then other_cwe, skipped, at, decision,
 * reason — the last two empty except on accept/reject labels of Vul-Evol survivors). Cells that
 * a spreadsheet would take for formulas are neutralised (core/csv-formula.ts: the note is free
 * text from whoever labelled; the import takes the apostrophe off again).
 */
export function labelsToCsv(labels: readonly Label[]): string {
	const columns = [...REQUIRED_CSV_COLUMNS, ...OPTIONAL_CSV_COLUMNS];
	const lines = [columns.join(',')];
	for (const label of labels) lines.push(columns.map((name) => csvField(label[name] ?? null)).join(','));
	return `${lines.join('\r\n')}\r\n`;
}

function csvField(value: string | boolean | null): string {
	if (value === null) return '';
	const text = guardFormula(String(value));
	return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replaceAll('"', '""')}"` : text;
}
