// The order of item ids that `new Intl.Collator('en', { numeric: true }).compare` gives, computed
// in plain code for ids made of ASCII letters, digits and `_ - . /` with no number written with a
// leading zero (every CoV-Eval id, e.g. "detection/CWE-20/codeql-eg-IncompleteHostnameRegExp/copilot-16"):
// building that collator (loading ICU's collation data) costs ~8 ms of CPU in a fresh Deno (perf
// stat; 15–35 ms of wall time on a busy machine), at a `covw run`'s start, the only collator
// that run needs (runs/select-items.ts). Other ids (plainItemIds false) keep the collator.
// The rules, those of the Unicode root collation for these characters (tested against the
// collator itself, tests/unit/runs/item-id-order.test.ts): first, letters compared without case,
// runs of digits as numbers, `_` < `-` < `.` < `/` < numbers < letters, and a string that is a
// prefix of another first; then, on a tie, the first letter whose case differs: lower case first.

const PLAIN = /^[A-Za-z0-9_\-./]*$/;
/** A digit run written with a leading zero ("07"), or longer than exact doubles hold. */
const AWKWARD_NUMBER = /(?:^|[^0-9])0[0-9]|[0-9]{16}/;

/** Primary rank of a punctuation character (below every digit and letter). */
const PUNCTUATION: Record<number, number> = { 95: 0, 45: 1, 46: 2, 47: 3 }; // _ - . /

/** True when every id can be ordered by compareItemIds (no collator needed). */
export function plainItemIds(ids: Iterable<string>): boolean {
	for (const id of ids) if (!PLAIN.test(id) || AWKWARD_NUMBER.test(id)) return false;
	return true;
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const lower = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);

/** As the collator compares two ids that plainItemIds accepts: negative, 0 or positive. */
export function compareItemIds(a: string, b: string): number {
	let i = 0;
	let j = 0;
	let caseOrder = 0; // the first case difference, used only if all else is equal
	while (i < a.length && j < b.length) {
		const ca = a.charCodeAt(i);
		const cb = b.charCodeAt(j);
		const da = isDigit(ca);
		const db = isDigit(cb);
		if (da && db) {
			let ei = i;
			while (ei < a.length && isDigit(a.charCodeAt(ei))) ei++;
			let ej = j;
			while (ej < b.length && isDigit(b.charCodeAt(ej))) ej++;
			// No leading zeros (plainItemIds): the longer run is the larger number.
			if (ei - i !== ej - j) return ei - i - (ej - j);
			for (let k = 0; k < ei - i; k++) {
				const d = a.charCodeAt(i + k) - b.charCodeAt(j + k);
				if (d !== 0) return d;
			}
			i = ei;
			j = ej;
			continue;
		}
		const ra = rank(ca, da);
		const rb = rank(cb, db);
		if (ra !== rb) return ra - rb;
		if (caseOrder === 0 && ca !== cb) caseOrder = ca > cb ? -1 : 1; // same letter, other case: lower case (the higher code) first
		i++;
		j++;
	}
	if (i < a.length || j < b.length) return i < a.length ? 1 : -1;
	return caseOrder;
}

/** Primary rank: punctuation 0–3, numbers 10 (compared by value above), letters 20+ without case. */
function rank(c: number, digit: boolean): number {
	if (digit) return 10;
	const p = PUNCTUATION[c];
	return p !== undefined ? p : 20 + lower(c);
}
