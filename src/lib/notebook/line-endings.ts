// Putting a file's own line endings back on edited text. An editor (CodeMirror) splits lines at
// LF, CRLF and a lone CR and hands back text joined with LF; written as is, opening a notebook
// with CRLF, CR or mixed endings and typing one character would rewrite every line ending in the
// cell — and a lone CR inside a SQL string would silently become LF. So an edit keeps the
// original separator of every line it did not change; only lines it added get `eol`.

interface Lines {
	texts: string[];
	/** seps[i] ends texts[i]; one fewer than texts. */
	seps: string[];
}

function split(text: string, separator: RegExp): Lines {
	const texts: string[] = [];
	const seps: string[] = [];
	let start = 0;
	for (const m of text.matchAll(separator)) {
		texts.push(text.slice(start, m.index));
		seps.push(m[0]);
		start = m.index! + m[0].length;
	}
	texts.push(text.slice(start));
	return { texts, seps };
}

/**
 * `edited` (lines separated by LF or CRLF) with the separators `original` had on the lines both
 * share at the start and at the end; separators in between become `eol`. Lone CRs in `original`
 * count as separators (an editor shows them as line breaks); in `edited` they stay text.
 * restoreLineEndings(o, o with any separators made LF, eol) === o.
 */
export function restoreLineEndings(original: string, edited: string, eol: string): string {
	const o = split(original, /\r\n|\r|\n/g);
	const e = split(edited, /\r\n|\n/g);
	const n = e.texts.length;
	const shift = n - o.texts.length; // edited index = original index + shift, in the common suffix
	const min = Math.min(n, o.texts.length);
	let prefix = 0;
	while (prefix < min && e.texts[prefix] === o.texts[prefix]) prefix++;
	let suffix = 0;
	while (suffix < min - prefix && e.texts[n - 1 - suffix] === o.texts[o.texts.length - 1 - suffix]) suffix++;
	let out = '';
	for (let i = 0; i < n; i++) {
		out += e.texts[i];
		if (i === n - 1) break;
		if (i < prefix && i < o.seps.length) out += o.seps[i];
		else if (i + 1 >= n - suffix && i - shift >= 0) out += o.seps[i - shift];
		else out += eol;
	}
	return out;
}
