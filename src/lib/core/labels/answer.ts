// The answers of the labelling view, and how each one is written as a label row: on code,
// vulnerable / not / other CWE / skip; on a Vul-Evol survivor, accept / reject with a reason.
import type { Label, RejectReason } from './label.ts';

export type Answer =
	| { kind: 'vulnerable' }
	| { kind: 'not_vulnerable' }
	| { kind: 'other_cwe'; cwe: string }
	| { kind: 'skip' }
	/** Vul-Evol survivors: a human accepts the evolved scenario, or rejects it with a reason. */
	| { kind: 'accept' }
	| { kind: 'reject'; reason: RejectReason }
	/** No answer yet: a row that only carries a note. */
	| { kind: 'none' };

export type AnswerFields = Pick<Label, 'vulnerable' | 'cwe' | 'other_cwe' | 'skipped' | 'decision' | 'reason'>;

/** The label fields for an answer on a target whose CWE is `targetCwe`. */
export function answerFields(answer: Answer, targetCwe: string | null): AnswerFields {
	switch (answer.kind) {
		case 'vulnerable':
			return { vulnerable: true, cwe: targetCwe, other_cwe: false, skipped: false };
		case 'not_vulnerable':
			return { vulnerable: false, cwe: null, other_cwe: false, skipped: false };
		case 'other_cwe':
			// Naming the target's own CWE as "other" is just "vulnerable".
			if (answer.cwe === targetCwe) return answerFields({ kind: 'vulnerable' }, targetCwe);
			return { vulnerable: true, cwe: answer.cwe, other_cwe: true, skipped: false };
		case 'skip':
			return { vulnerable: null, cwe: null, other_cwe: false, skipped: true };
		case 'none':
			return { vulnerable: null, cwe: null, other_cwe: false, skipped: false };
		case 'accept':
			return { vulnerable: null, cwe: null, other_cwe: false, skipped: false, decision: 'accept', reason: null };
		case 'reject':
			return { vulnerable: null, cwe: null, other_cwe: false, skipped: false, decision: 'reject', reason: answer.reason };
	}
}

/** The answer a label row records (the inverse of answerFields). */
export function answerOf(label: AnswerFields): Answer {
	if (label.skipped) return { kind: 'skip' };
	if (label.decision === 'accept') return { kind: 'accept' };
	if (label.decision === 'reject' && label.reason) return { kind: 'reject', reason: label.reason };
	if (label.vulnerable === false) return { kind: 'not_vulnerable' };
	if (label.vulnerable === true) return label.other_cwe && label.cwe ? { kind: 'other_cwe', cwe: label.cwe } : { kind: 'vulnerable' };
	return { kind: 'none' };
}

/** Has the annotator answered (vulnerable or not, accept or reject)? Skips and note-only rows are not answers. */
export function isAnswered(label: Pick<Label, 'vulnerable' | 'decision'> | null | undefined): boolean {
	return label != null && (label.vulnerable !== null || (label.decision ?? null) !== null);
}
