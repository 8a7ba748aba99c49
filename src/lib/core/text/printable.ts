// Outside text (a file's name, a manifest's model, an endpoint's error body, a dataset's value)
// made safe to print on a terminal: every C0/C1 control character (ESC, OSC's BEL, \r, \n…),
// DEL and the bidi embeddings/overrides/isolates are shown escaped (\x1b, \n, \u202e) instead of
// acting; so are the invisible ones that can make two names look alike or a line look broken
// (line and paragraph separators, zero-width space/joiners, BOM, soft hyphen). The result holds
// none of them, so applying it again changes nothing.

// C0, DEL, C1 (U+00AD soft hyphen next to it); zero-width space, ZWNJ, ZWJ, LRM/RLM (U+200B–200F)
// and ALM; line/paragraph separators and LRE…RLO (U+2028–202E); LRI…PDI (U+2066–2069); BOM.
const BEYOND_C0 = '\\u007f-\\u009f\\u00ad\\u200b-\\u200f\\u061c\\u2028-\\u202e\\u2066-\\u2069\\ufeff';
const UNSAFE = new RegExp(`[\\u0000-\\u001f${BEYOND_C0}]`, 'g');
/** What JSON.stringify leaves raw of UNSAFE (it escapes C0 itself). */
const UNSAFE_IN_JSON = new RegExp(`[${BEYOND_C0}]`, 'g');

/** The text with every control and bidi character escaped; \n, \t and \r as those escapes. */
export function printable(text: string): string {
	return text.replace(UNSAFE, (c) => {
		if (c === '\n') return '\\n';
		if (c === '\t') return '\\t';
		if (c === '\r') return '\\r';
		const code = c.charCodeAt(0);
		return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
	});
}

/**
 * JSON text (JSON.stringify's) for a terminal: JSON.stringify escapes C0 controls but leaves DEL,
 * C1, bidi and the invisible characters above raw; here they become \u escapes too. The same JSON value, parsed.
 */
export function printableJson(json: string): string {
	return json.replace(UNSAFE_IN_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text of several lines for a terminal: each line through printable(), the line breaks kept. */
export function printableLines(text: string): string {
	return text.split('\n').map(printable).join('\n');
}
