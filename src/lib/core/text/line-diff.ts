// A line diff of two texts (longest common subsequence): two models' answers to one item in the
// sample view, a seed and its evolved scenario in the labelling view. Plain data: the views
// render each line as text.

export interface DiffLine {
	kind: 'same' | 'removed' | 'added';
	text: string;
	/** 1-based line in the left / right program (absent on the side that lacks the line). */
	left?: number;
	right?: number;
}

/** Above this many line pairs the table would be too big: the diff says it is not computed. */
export const MAX_CELLS = 4_000_000;

export function lineDiff(left: string, right: string): DiffLine[] | null {
	const a = splitLines(left);
	const b = splitLines(right);
	if (a.length * b.length > MAX_CELLS) return null;
	// lcs[i][j]: length of the LCS of a[i..] and b[j..], in one flat array.
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
	while (i < a.length || j < b.length) {
		if (i < a.length && j < b.length && a[i] === b[j]) {
			out.push({ kind: 'same', text: a[i], left: i + 1, right: j + 1 });
			i++;
			j++;
		} else if (i < a.length && (j === b.length || lcs[(i + 1) * width + j] >= lcs[i * width + j + 1])) {
			out.push({ kind: 'removed', text: a[i], left: i + 1 });
			i++;
		} else {
			out.push({ kind: 'added', text: b[j], right: j + 1 });
			j++;
		}
	}
	return out;
}

function splitLines(text: string): string[] {
	if (text === '') return [];
	const lines = text.split(/\r\n|\r|\n/);
	if (lines[lines.length - 1] === '') lines.pop();
	return lines;
}

/** Lines added and removed. */
export function diffStats(diff: readonly DiffLine[]): { added: number; removed: number } {
	return { added: diff.filter((d) => d.kind === 'added').length, removed: diff.filter((d) => d.kind === 'removed').length };
}
