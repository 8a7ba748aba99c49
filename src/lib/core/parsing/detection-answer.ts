// Reading a detection-and-classification answer into a binary verdict and a 19-class label
// (18 CWEs + non_vulnerable), in two modes:
//  - 'paper' reproduces the released CoV-Eval scoring exactly, faults included: it scans the
//    CWEs in catalogue order and takes the first whose lowercase id ("cwe-79") or MITRE name
//    occurs anywhere in the answer as a substring — so "cwe-798" counts as CWE-79 and
//    "cwe-200" as CWE-20 — and calls the answer non-vulnerable only on a few exact spellings
//    of "No". It never reports `unparsed`.
//  - 'strict' reads the "vulnerable" field as a verdict word, and the CWE from the
//    "vulnerability type" field (falling back to the whole answer) with whole-number id
//    matching; an answer with no verdict is `unparsed`.
import { CWES, NON_VULNERABLE, type ClassLabel, type CweId } from '../cwe.ts';
import { stripReasoning } from './think.ts';
import { keyedVerdicts } from './verdict-words.ts';

export type DetectionMode = 'paper' | 'strict';

export type DetectionParse =
	| {
			status: 'ok';
			vulnerable: boolean;
			/** The 19-class label; null when the answer says vulnerable but names none of the 18 CWEs (strict only). */
			label_class: ClassLabel | null;
	  }
	| { status: 'unparsed'; reason: string };

export function parseDetectionAnswer(response: string, mode: DetectionMode): DetectionParse {
	return mode === 'paper' ? parseDetectionPaper(response) : parseDetectionStrict(response);
}

// ---- paper mode -------------------------------------------------------------------------

const PAPER_SAID_NO = /"vulnerable": ?(?:"[Nn]o"|[Nn]o)|[Nn]on-?vulnerable/;

export function parseDetectionPaper(response: string): DetectionParse & { status: 'ok' } {
	let label: ClassLabel = NON_VULNERABLE;
	for (const cwe of CWES) {
		if (response.includes(cwe.id.toLowerCase()) || response.includes(cwe.name)) {
			label = cwe.id;
			break;
		}
	}
	return { status: 'ok', vulnerable: !PAPER_SAID_NO.test(response), label_class: label };
}

// ---- strict mode ------------------------------------------------------------------------

const CWE_NUMBER = /\bCWE[-_ ]?0*(\d+)(?!\d)/gi;
const TYPE_FIELD = /["']?vulnerability[ _-]?type["']?[ \t]*:[ \t]*(\[[^\]\n]*\]|"(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[^\n,}]*)/i;

export function parseDetectionStrict(response: string): DetectionParse {
	const answer = stripReasoning(response);
	if (answer.trim() === '') return { status: 'unparsed', reason: 'empty answer' };
	const verdicts = keyedVerdicts(answer, ['vulnerable']);
	if (verdicts.length === 0) {
		return { status: 'unparsed', reason: 'no "vulnerable": yes/no field in the answer' };
	}
	if (!verdicts[0].vulnerable) return { status: 'ok', vulnerable: false, label_class: NON_VULNERABLE };
	const typeField = TYPE_FIELD.exec(answer)?.[1] ?? '';
	const label = firstNamedCwe(typeField) ?? firstNamedCwe(answer);
	return { status: 'ok', vulnerable: true, label_class: label };
}

/** The CWE of the 18 mentioned earliest in the text, by id (whole numbers only) or MITRE name. */
export function firstNamedCwe(text: string): CweId | null {
	let best: { id: CweId; index: number } | null = null;
	for (const match of text.matchAll(CWE_NUMBER)) {
		const cwe = CWES.find((c) => c.number === Number(match[1]));
		if (cwe) {
			best = { id: cwe.id, index: match.index ?? 0 };
			break;
		}
	}
	const lower = text.toLowerCase();
	for (const cwe of CWES) {
		const index = lower.indexOf(cwe.name.toLowerCase());
		if (index >= 0 && (best === null || index < best.index)) best = { id: cwe.id, index };
	}
	return best?.id ?? null;
}
