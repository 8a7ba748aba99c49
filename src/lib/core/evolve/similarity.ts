// Text similarity for the Vul-Evol filters, pure: "differs from its seed" is a normalised edit
// distance over whitespace-normalised text, and "near-duplicate of another survivor" is the
// Jaccard overlap of token shingles. Both are deterministic and symmetric.

/** Collapses runs of whitespace and trims each line; drops blank lines. */
export function normaliseText(text: string): string {
	return text
		.replace(/\r\n?/g, '\n')
		.split('\n')
		.map((line) => line.replace(/\s+/g, ' ').trim())
		.filter((line) => line !== '')
		.join('\n');
}

/**
 * Levenshtein distance between the normalised texts divided by the longer length: 0 for equal
 * texts, 1 for texts with nothing in common. Two rows of the DP table, O(n·m) time.
 */
export function normalisedDistance(a: string, b: string): number {
	const x = normaliseText(a);
	const y = normaliseText(b);
	const longest = Math.max(x.length, y.length);
	if (longest === 0) return 0;
	let previous = new Uint32Array(y.length + 1);
	let current = new Uint32Array(y.length + 1);
	for (let j = 0; j <= y.length; j++) previous[j] = j;
	for (let i = 1; i <= x.length; i++) {
		current[0] = i;
		const xc = x.charCodeAt(i - 1);
		for (let j = 1; j <= y.length; j++) {
			const cost = xc === y.charCodeAt(j - 1) ? 0 : 1;
			current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
		}
		[previous, current] = [current, previous];
	}
	return previous[y.length] / longest;
}

/** Identifiers, numbers and single punctuation characters, in order. */
export function codeTokens(text: string): string[] {
	return text.match(/[A-Za-z_][A-Za-z0-9_]*|\d+(?:\.\d+)?|[^\sA-Za-z0-9_]/g) ?? [];
}

/**
 * A program's identity for deduplication, insensitive to whitespace that carries no meaning:
 * tokens joined by one space (so `a+b` and `a + b` are one program, yet `int x` never becomes
 * `intx`). Whitespace that does carry meaning is kept: in Python (and when the language is not
 * given) every line break and each line's block depth; in C the line of a preprocessor directive, and
 * comments are dropped (a `//` comment ends at its line break).
 */
export function codeKey(text: string, language?: string): string {
	const lines = text.replace(/\r\n?/g, '\n');
	if (language === 'c') {
		const code = lines.replace(/("(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m, literal) => (literal ? m : ' '));
		return code
			.split('\n')
			.map((line) => (/^\s*#/.test(line) ? `\n${codeTokens(line).join(' ')}\n` : codeTokens(line).join(' ')))
			.filter((part) => part !== '')
			.join(' ');
	}
	// Python: a line's block depth, not its spaces (4 spaces, 2 spaces or a tab open one block)
	const open = [0];
	return lines
		.split('\n')
		.filter((line) => line.trim() !== '')
		.map((line) => {
			const width = indentWidth(/^[ \t]*/.exec(line)![0]);
			if (width > open[open.length - 1]) open.push(width);
			else while (open.length > 1 && width < open[open.length - 1]) open.pop();
			return `${'>'.repeat(open.length - 1)}${codeTokens(line).join(' ')}`;
		})
		.join('\n');
}

/** Columns of leading whitespace, a tab moving to the next multiple of 8 (as Python reads it). */
function indentWidth(lead: string): number {
	let width = 0;
	for (const ch of lead) width = ch === '\t' ? width + 8 - (width % 8) : width + 1;
	return width;
}

/** The set of k consecutive tokens (joined by a space); a text shorter than k is one shingle. */
export function shingles(text: string, k = 5): Set<string> {
	const tokens = codeTokens(text);
	const out = new Set<string>();
	if (tokens.length === 0) return out;
	if (tokens.length <= k) {
		out.add(tokens.join(' '));
		return out;
	}
	for (let i = 0; i + k <= tokens.length; i++) out.add(tokens.slice(i, i + k).join(' '));
	return out;
}

/** |A ∩ B| / |A ∪ B|; 1 for two empty sets. */
export function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
	if (a.size === 0 && b.size === 0) return 1;
	let shared = 0;
	const [small, large] = a.size <= b.size ? [a, b] : [b, a];
	for (const s of small) if (large.has(s)) shared++;
	return shared / (a.size + b.size - shared);
}

export interface DuplicateOf {
	/** Index of the earlier text this one nearly repeats. */
	of: number;
	similarity: number;
}

/**
 * Greedy near-duplicate removal in order: each text is compared with the earlier texts that
 * were kept; at or above `threshold` Jaccard similarity it is a duplicate of the most similar
 * one. Returns, per text, null (kept) or what it duplicates. Order decides who survives.
 */
export function nearDuplicates(texts: readonly string[], threshold = 0.8, k = 5): (DuplicateOf | null)[] {
	const sets = texts.map((t) => shingles(t, k));
	const kept: number[] = [];
	return texts.map((_, i) => {
		let best: DuplicateOf | null = null;
		for (const j of kept) {
			const similarity = jaccard(sets[i], sets[j]);
			if (similarity >= threshold && (best === null || similarity > best.similarity)) best = { of: j, similarity };
		}
		if (best === null) kept.push(i);
		return best;
	});
}

/** The highest Jaccard similarity of `text` to any of `others`, with its index (-1 when none). */
export function mostSimilar(text: string, others: readonly ReadonlySet<string>[], k = 5): { index: number; similarity: number } {
	const mine = shingles(text, k);
	let best = { index: -1, similarity: 0 };
	for (const [i, other] of others.entries()) {
		const s = jaccard(mine, other);
		if (s > best.similarity) best = { index: i, similarity: s };
	}
	return best;
}
