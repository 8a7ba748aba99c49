// One human label: a row of the `labels` table. Rows are appended as they are given; the
// latest per (target_id, annotator) is the annotator's current answer (see latest.ts).

export interface Label {
	/** The labelled thing: an item_id of the items table (or a generation id). */
	target_id: string;
	annotator: string;
	/** true: vulnerable; false: not vulnerable; null: no answer (skipped, or a note only). */
	vulnerable: boolean | null;
	/** The CWE the annotator says the code has ('CWE-416'): the target's, another one, or null. */
	cwe: string | null;
	/** The annotator found a vulnerability, but of another CWE than the target's. */
	other_cwe: boolean;
	skipped: boolean;
	note: string;
	/** ISO 8601 time the label was given (set by the server, not the browser). */
	at: string;
	/**
	 * Human acceptance of a Vul-Evol survivor (acceptance.ts): 'accept' or 'reject'; absent on
	 * every other label (so older label files read unchanged). With a decision, vulnerable is null.
	 */
	decision?: Decision | null;
	/** Why a survivor was rejected: one of REJECT_REASONS (free text goes in the note). */
	reason?: RejectReason | null;
}

export type Decision = 'accept' | 'reject';
export const DECISIONS: readonly Decision[] = ['accept', 'reject'];

/** Why an annotator rejects an evolved scenario (the paper's quality filters, and "other"). */
export const REJECT_REASONS = ['same_as_seed', 'not_realisable', 'unlikely_cwe', 'already_secure', 'other'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];
export const REJECT_REASON_TEXT: Record<RejectReason, string> = {
	same_as_seed: 'not different from the seed',
	not_realisable: 'not realisable (no function a model can complete)',
	unlikely_cwe: 'unlikely to induce the CWE',
	already_secure: 'already secure (has the checks the CWE needs)',
	other: 'other (say why in the note)'
};

export const LABEL_COLUMNS = [
	'target_id',
	'annotator',
	'vulnerable',
	'cwe',
	'other_cwe',
	'skipped',
	'note',
	'at'
] as const satisfies readonly (keyof Label)[];
/** Written only on acceptance labels (after LABEL_COLUMNS). */
export const ACCEPTANCE_COLUMNS = ['decision', 'reason'] as const satisfies readonly (keyof Label)[];

/** The `labels` table's columns and types, for serving it empty before the first label is given. */
export const LABELS_TABLE = 'labels';
export const LABEL_TABLE_COLUMNS: readonly { name: keyof Label; type: 'Utf8' | 'Bool' }[] = [...LABEL_COLUMNS, ...ACCEPTANCE_COLUMNS].map((name) => ({
	name,
	type: name === 'vulnerable' || name === 'other_cwe' || name === 'skipped' ? 'Bool' : 'Utf8'
}));

export const ANNOTATOR_PATTERN = /^[A-Za-z0-9 ._-]{1,40}$/;
const MAX_TARGET_ID = 500;
const MAX_NOTE = 10_000;

/** A field of a label is wrong; callers add the file and line (or the request) it came from. */
export class LabelFieldError extends Error {
	constructor(
		readonly field: string,
		readonly reason: string
	) {
		super(`field "${field}": ${reason}`);
		this.name = 'LabelFieldError';
	}
}

export function checkAnnotator(value: unknown): string {
	if (typeof value !== 'string' || !ANNOTATOR_PATTERN.test(value)) {
		throw new LabelFieldError(
			'annotator',
			`${show(value)} is not a valid annotator name (1 to 40 letters, digits, spaces, '.', '_' or '-')`
		);
	}
	return value;
}

export function checkTargetId(value: unknown): string {
	if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_TARGET_ID) {
		throw new LabelFieldError('target_id', `${show(value)} must be a non-empty string of at most ${MAX_TARGET_ID} characters`);
	}
	return value;
}

/**
 * 'CWE-416', 'cwe_416', 'CWE 416', '416' → 'CWE-416'. Any CWE number is accepted, not only the
 * benchmark's 18: an annotator may find a weakness outside them. Null for null or ''.
 */
export function parseCwe(value: unknown): string | null {
	if (value === null || value === '') return null;
	const match = typeof value === 'string' || typeof value === 'number' ? /^\s*(?:cwe[-_ ]?)?0*(\d{1,5})\s*$/i.exec(String(value)) : null;
	if (!match) throw new LabelFieldError('cwe', `${show(value)} is not a CWE id (expected e.g. CWE-416)`);
	return `CWE-${Number(match[1])}`;
}

/** Checks every field and the rules that tie them together; returns a clean copy. */
export function checkLabel(value: unknown): Label {
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw new LabelFieldError('(row)', 'expected an object');
	}
	const row = value as Record<string, unknown>;
	const label: Label = {
		target_id: checkTargetId(row.target_id),
		annotator: checkAnnotator(row.annotator),
		vulnerable: nullableBoolean(row.vulnerable, 'vulnerable'),
		cwe: parseCwe(row.cwe ?? null),
		other_cwe: boolean(row.other_cwe, 'other_cwe'),
		skipped: boolean(row.skipped, 'skipped'),
		note: note(row.note),
		at: isoTime(row.at)
	};
	const decision = parseDecision(row.decision);
	const reason = parseReason(row.reason);
	if (decision !== null) {
		label.decision = decision;
		label.reason = reason;
	} else if (reason !== null) {
		throw new LabelFieldError('reason', 'only an accept/reject decision carries a reason');
	}
	checkConsistency(label);
	return label;
}

/** 'accept' | 'reject' | null (missing, null or ''). */
export function parseDecision(value: unknown): Decision | null {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value !== 'string' || !DECISIONS.includes(value as Decision)) {
		throw new LabelFieldError('decision', `${show(value)} must be accept or reject (or empty)`);
	}
	return value as Decision;
}

export function parseReason(value: unknown): RejectReason | null {
	if (value === undefined || value === null || value === '') return null;
	if (typeof value !== 'string' || !(REJECT_REASONS as readonly string[]).includes(value)) {
		throw new LabelFieldError('reason', `${show(value)} must be one of ${REJECT_REASONS.join(', ')}`);
	}
	return value as RejectReason;
}

function checkConsistency(label: Label): void {
	if (label.decision) {
		if (label.vulnerable !== null || label.skipped) {
			throw new LabelFieldError('decision', 'an accept/reject decision is an answer of its own: vulnerable must be null and skipped false');
		}
		if (label.decision === 'reject' && !label.reason) throw new LabelFieldError('reason', `a rejection needs a reason (${REJECT_REASONS.join(', ')})`);
		if (label.decision === 'accept' && label.reason) throw new LabelFieldError('reason', 'an acceptance carries no reject reason');
	}
	if (label.skipped && label.vulnerable !== null) {
		throw new LabelFieldError('skipped', 'a skipped label cannot also say vulnerable true/false');
	}
	if (label.vulnerable !== true && label.cwe !== null) {
		throw new LabelFieldError('cwe', `only a vulnerable label names a CWE (vulnerable is ${label.vulnerable})`);
	}
	if (label.other_cwe && (label.vulnerable !== true || label.cwe === null)) {
		throw new LabelFieldError('other_cwe', 'other_cwe needs vulnerable = true and the other CWE in "cwe"');
	}
}

function nullableBoolean(value: unknown, field: string): boolean | null {
	if (value === null || value === undefined) return null;
	if (typeof value !== 'boolean') throw new LabelFieldError(field, `${show(value)} must be true, false or null`);
	return value;
}

function boolean(value: unknown, field: string): boolean {
	if (value === undefined) return false;
	if (typeof value !== 'boolean') throw new LabelFieldError(field, `${show(value)} must be true or false`);
	return value;
}

function note(value: unknown): string {
	if (value === undefined || value === null) return '';
	if (typeof value !== 'string') throw new LabelFieldError('note', `${show(value)} must be a string`);
	if (value.length > MAX_NOTE) throw new LabelFieldError('note', `is ${value.length} characters long; at most ${MAX_NOTE}`);
	return value;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/;

function isoTime(value: unknown): string {
	if (typeof value !== 'string' || !ISO_TIME.test(value) || Number.isNaN(Date.parse(value))) {
		throw new LabelFieldError('at', `${show(value)} is not an ISO 8601 time with a zone (e.g. 2025-05-01T12:00:00Z)`);
	}
	return value;
}

function show(value: unknown): string {
	const text = value === undefined ? 'missing' : JSON.stringify(value);
	return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
