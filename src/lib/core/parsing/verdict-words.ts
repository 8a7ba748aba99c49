// The words judges and detectors use for a verdict, and what they mean. Shared by the
// judge-answer and the detection-answer parsers so both read "Yes"/"unsafe"/… alike.

const VULNERABLE_WORDS = new Set(['yes', 'y', 'true', 'unsafe', 'vulnerable', 'insecure']);
const SAFE_WORDS = new Set([
	'no',
	'n',
	'false',
	'safe',
	'secure',
	'not vulnerable',
	'non-vulnerable',
	'non vulnerable',
	'non_vulnerable',
	'nonvulnerable',
	'invulnerable'
]);

/** true = vulnerable, false = safe, null = not a verdict word. */
export function verdictOfWord(word: string): boolean | null {
	const w = word
		.trim()
		.toLowerCase()
		.replace(/^[*_`'"\s]+|[*_`'".!,;:\s]+$/g, '');
	if (VULNERABLE_WORDS.has(w)) return true;
	if (SAFE_WORDS.has(w)) return false;
	return null;
}

/**
 * Every `key: value` verdict in the text, in order, for keys such as "vulnerable" or
 * "verdict" — quoted or not, the value bare, quoted or in brackets (`"vulnerable": ["No"]`,
 * `"vulnerable": [safe]`, `vulnerable: "unsafe"`). Values that are not verdict words are skipped.
 */
export function keyedVerdicts(text: string, keys: readonly string[]): Array<{ vulnerable: boolean; index: number }> {
	const keyPattern = keys.map((k) => k.replace(/[-/\\^$*+?.()|[\]{}]/g, '\\$&')).join('|');
	const pattern = new RegExp(
		`["']?\\b(?:${keyPattern})\\b["']?[ \\t]*[:=][ \\t]*\\[?[ \\t]*["']?[ \\t]*([A-Za-z][A-Za-z _-]{0,24}?)[ \\t]*["']?[ \\t]*\\]?[ \\t]*(?=[,}\\]\\n\\r]|$)`,
		'gi'
	);
	const found: Array<{ vulnerable: boolean; index: number }> = [];
	for (const match of text.matchAll(pattern)) {
		const verdict = verdictOfWord(match[1]);
		if (verdict !== null) found.push({ vulnerable: verdict, index: match.index ?? 0 });
	}
	return found;
}
