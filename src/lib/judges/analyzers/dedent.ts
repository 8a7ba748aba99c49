// Python code as a function or method cut out of a file keeps its indentation, and a Python
// parser refuses code that starts indented. Removing the margin every line shares (like
// Python's textwrap.dedent) makes it a module again; line numbers are unchanged.

/** `code` without the leading whitespace common to all its non-blank lines. */
export function dedent(code: string): string {
	const lines = code.split('\n');
	let margin: string | null = null;
	for (const line of lines) {
		if (line.trim() === '') continue;
		const lead = /^[ \t]*/.exec(line)![0];
		if (margin === null) margin = lead;
		else {
			let k = 0;
			while (k < margin.length && k < lead.length && margin[k] === lead[k]) k++;
			margin = margin.slice(0, k);
		}
		if (margin === '') return code;
	}
	if (!margin) return code;
	const cut = margin.length;
	return lines.map((line) => (line.trim() === '' ? line.replace(/^[ \t]+/, '') : line.slice(cut))).join('\n');
}
