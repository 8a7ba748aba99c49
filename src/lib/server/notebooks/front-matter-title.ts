/**
 * The `title:` of a notebook's front matter (the `---` block that opens the file), or null.
 * Only this one line is read; the notebook parser owns the full format.
 */
export function frontMatterTitle(text: string): string | null {
	const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
	if (lines[0]?.trim() !== '---') return null;
	const close = lines.findIndex((line, i) => i > 0 && line.trim() === '---');
	if (close < 0) return null; // never closed: not front matter
	for (let i = 1; i < close; i++) {
		const match = /^title:\s*(.*?)\s*$/.exec(lines[i]);
		if (match) return unquote(match[1]) || null;
	}
	return null;
}

function unquote(value: string): string {
	if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
		return value.slice(1, -1).replace(/\\(["\\])/g, '$1');
	}
	if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) {
		return value.slice(1, -1).replaceAll("''", "'");
	}
	return value;
}
