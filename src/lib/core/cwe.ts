// The 18 CWEs of CoV-Eval: the one source of truth for prompts, parsing, rules and plots.
// Names are MITRE's official CWE names (they double as match strings in the paper's
// classification scorer, so they must stay verbatim); descriptions are our own words.
// Order matters: it is the order of the CWE Top 25 (2021) the benchmark uses, and the
// paper-mode classification matcher scans the CWEs in exactly this order.

import type { Language } from './vocabulary.ts';

export type { Language };

/** Canonical CWE id, uppercase: 'CWE-787'. */
export type CweId = `CWE-${number}`;

export interface CweEntry {
	id: CweId;
	number: number;
	/** MITRE's official name. */
	name: string;
	/** A one-line explanation in our own words. */
	description: string;
	/** Languages the benchmark has programs for, for this CWE. */
	languages: Language[];
}

export const CWES: readonly CweEntry[] = Object.freeze([
	{
		id: 'CWE-787',
		number: 787,
		name: 'Out-of-bounds Write',
		description: 'Data is written past the end (or before the start) of a buffer.',
		languages: ['c']
	},
	{
		id: 'CWE-79',
		number: 79,
		name: "Improper Neutralization of Input During Web Page Generation ('Cross-site Scripting')",
		description: 'User-controlled text reaches an HTML page unescaped, so it can run as script in a browser.',
		languages: ['c', 'python']
	},
	{
		id: 'CWE-125',
		number: 125,
		name: 'Out-of-bounds Read',
		description: 'Memory outside the bounds of a buffer is read, leaking or corrupting data.',
		languages: ['c']
	},
	{
		id: 'CWE-20',
		number: 20,
		name: 'Improper Input Validation',
		description: 'Input is trusted without checking that it has the expected form or range.',
		languages: ['c', 'python']
	},
	{
		id: 'CWE-78',
		number: 78,
		name: "Improper Neutralization of Special Elements used in an OS Command ('OS Command Injection')",
		description: 'Untrusted text is pasted into a shell command, letting an attacker run extra commands.',
		languages: ['c', 'python']
	},
	{
		id: 'CWE-89',
		number: 89,
		name: "Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
		description: 'A SQL statement is built by string concatenation with untrusted values instead of parameters.',
		languages: ['python']
	},
	{
		id: 'CWE-416',
		number: 416,
		name: 'Use After Free',
		description: 'Memory is used again after it has been released.',
		languages: ['c']
	},
	{
		id: 'CWE-22',
		number: 22,
		name: "Improper Limitation of a Pathname to a Restricted Directory ('Path Traversal')",
		description: 'A file path built from input can escape the intended directory (for example with "../").',
		languages: ['c', 'python']
	},
	{
		id: 'CWE-434',
		number: 434,
		name: 'Unrestricted Upload of File with Dangerous Type',
		description: 'Uploaded files are accepted and stored without checking their type or name.',
		languages: ['python']
	},
	{
		id: 'CWE-306',
		number: 306,
		name: 'Missing Authentication for Critical Function',
		description: 'A sensitive operation can be reached without proving who the caller is.',
		languages: ['python']
	},
	{
		id: 'CWE-190',
		number: 190,
		name: 'Integer Overflow or Wraparound',
		description: 'Arithmetic exceeds the range of the integer type and silently wraps around.',
		languages: ['c']
	},
	{
		id: 'CWE-502',
		number: 502,
		name: 'Deserialization of Untrusted Data',
		description: 'Untrusted bytes are turned back into objects by a loader that can run code or build arbitrary types.',
		languages: ['python']
	},
	{
		id: 'CWE-476',
		number: 476,
		name: 'NULL Pointer Dereference',
		description: 'A pointer that may be NULL (for example a failed allocation) is used without a check.',
		languages: ['c']
	},
	{
		id: 'CWE-798',
		number: 798,
		name: 'Use of Hard-coded Credentials',
		description: 'Passwords, keys or tokens are written into the source code.',
		languages: ['python']
	},
	{
		id: 'CWE-119',
		number: 119,
		name: 'Improper Restriction of Operations within the Bounds of a Memory Buffer',
		description: 'Reads or writes through a buffer are not kept within its allocated size.',
		languages: ['c']
	},
	{
		id: 'CWE-200',
		number: 200,
		name: 'Exposure of Sensitive Information to an Unauthorized Actor',
		description: 'Secrets or internal details (stack traces, records, keys) are revealed to someone who should not see them.',
		languages: ['python']
	},
	{
		id: 'CWE-522',
		number: 522,
		name: 'Insufficiently Protected Credentials',
		description: 'Credentials are stored or sent in a recoverable form, such as plain text or a weak hash.',
		languages: ['python']
	},
	{
		id: 'CWE-732',
		number: 732,
		name: 'Incorrect Permission Assignment for Critical Resource',
		description: 'A file or resource is created with permissions that let other users read or change it.',
		languages: ['c', 'python']
	}
] satisfies CweEntry[]);

/** The 18 ids in catalogue order. */
export const CWE_IDS: readonly CweId[] = Object.freeze(CWES.map((c) => c.id));

/** The 19th class of the classification task. */
export const NON_VULNERABLE = 'non_vulnerable' as const;
export type ClassLabel = CweId | typeof NON_VULNERABLE;
/** The 19 classification labels: the 18 CWEs in catalogue order, then non_vulnerable. */
export const CLASS_LABELS: readonly ClassLabel[] = Object.freeze([...CWE_IDS, NON_VULNERABLE]);

const byNumber = new Map<number, CweEntry>(CWES.map((c) => [c.number, c]));

/** Accepts 'CWE-787', 'cwe-787', 'cwe_787', 'CWE 787', 'CWE787' or '787'; null when not one of the 18. */
export function tryNormalizeCweId(input: string | number): CweId | null {
	const text = String(input).trim();
	const match = /^(?:cwe[-_ ]?)?0*(\d+)$/i.exec(text);
	if (!match) return null;
	const entry = byNumber.get(Number(match[1]));
	return entry ? entry.id : null;
}

/** Like tryNormalizeCweId, but throws on anything that is not one of the 18 CWEs. */
export function normalizeCweId(input: string | number): CweId {
	const id = tryNormalizeCweId(input);
	if (id === null) {
		throw new Error(
			`unknown CWE id ${JSON.stringify(input)}: expected one of ${CWE_IDS.join(', ')}`
		);
	}
	return id;
}

export function isCweId(value: unknown): value is CweId {
	return typeof value === 'string' && CWE_IDS.includes(value as CweId);
}

export function getCwe(input: string | number): CweEntry {
	return byNumber.get(Number(normalizeCweId(input).slice(4)))!;
}

/** 'cwe-22' — the lowercase spelling the CoV-Eval data and official templates use. */
export function lowerCweId(id: CweId): string {
	return id.toLowerCase();
}
