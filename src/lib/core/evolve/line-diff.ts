// A line diff of a seed scenario and its evolved scenario (longest common subsequence of lines),
// for the labelling view: which lines the evolution kept, removed and added.

export type DiffOp = 'same' | 'del' | 'add';
export interface DiffLine {
	op: DiffOp;
	text: string;
}

/** Above this many line pairs the table is not built: every old line removed, every new one added. */
const MAX_CELLS = 4_000_000;

export function lineDiff(before: string, after: string): DiffLine[] {
	const a = before.split('\n');
	const b = after.split('\n');
	if (a.length * b.length > MAX_CELLS) return [...a.map((text) => ({ op: 'del' as const, text })), ...b.map((text) => ({ op: 'add' as const, text }))];
	// lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
	const width = b.length + 1;
	const lcs = new Uint32Array((a.length + 1) * width);
	for (let i = a.length - 1; i >= 0; i--) {
		for (let j = b.length - 1; j >= 0; j--) {
			lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1] + 1 : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
		}
	}
	const out: DiffLine[] = [];
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		if (a[i] === b[j]) {
			out.push({ op: 'same', text: a[i] });
			i++;
			j++;
		} else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) out.push({ op: 'del', text: a[i++] });
		else out.push({ op: 'add', text: b[j++] });
	}
	while (i < a.length) out.push({ op: 'del', text: a[i++] });
	while (j < b.length) out.push({ op: 'add', text: b[j++] });
	return out;
}

/** Lines added and removed. */
export function diffStats(diff: readonly DiffLine[]): { added: number; removed: number } {
	return { added: diff.filter((d) => d.op === 'add').length, removed: diff.filter((d) => d.op === 'del').length };
}
