// Telling a mistyped judge name from a model name. Any word no judge claims is taken to be a
// model (judges/llm/), so without this check `--judge rulez` would become LLM requests to a
// model "rulez". A name with no "/" that is close to a judge's name — the same name in other
// case, at most 1 edit away from a name of up to 4 letters or 2 from a longer one, the
// beginning of a name (2 letters or more), or a name followed by "-", "_", ".", ":" or a
// digit — is taken to be a typo of it. A model named on purpose is always safe as
// "endpoint/model". Pure.

/** Levenshtein distance (insert, delete, substitute). */
export function editDistance(a: string, b: string): number {
	let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
	for (let i = 1; i <= a.length; i++) {
		const cur = [i];
		for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
		prev = cur;
	}
	return prev[b.length];
}

/** The judge name `spec` is most likely a typo of, or null (an exact name, or not close to any). */
export function nearName(spec: string, names: readonly string[]): string | null {
	if (spec.includes('/') || names.includes(spec)) return null;
	const s = spec.toLowerCase();
	let best: { name: string; score: number } | null = null;
	for (const name of names) {
		const n = name.toLowerCase();
		const d = editDistance(s, n);
		const close =
			d <= (n.length <= 4 ? 1 : 2) ||
			(s.length >= 2 && n.startsWith(s)) ||
			(s.startsWith(n) && /^[-_.:0-9]/.test(s.slice(n.length)));
		if (close && (!best || d < best.score)) best = { name, score: d };
	}
	return best?.name ?? null;
}
