// Git merge-conflict markers left in a notebook file (`<<<<<<< HEAD`, `=======`, `>>>>>>> branch`,
// and diff3's `||||||| base`): the file holds two versions of some text, so it is neither
// notebook nor Markdown until someone picks one. Found here once for the parser (a file problem
// naming the lines), the page (which then does not save: it would write the markers back as
// content) and the notebook store (which refuses such a save from any client). A block that lies
// wholly inside one closed non-cell fence (```text showing what a conflict looks like) is the
// notebook's text, not a conflict.
import { fencedCellKind } from './cells/index.ts';

export interface ConflictMarkers {
	/** 1-based line numbers of every marker line, in file order. */
	lines: number[];
}

const OPEN = /^<{7}(?:[ \t].*)?$/;
const BASE = /^\|{7}(?:[ \t].*)?$/;
const SPLIT = /^={7}[ \t]*$/;
const CLOSE = /^>{7}(?:[ \t].*)?$/;

/**
 * The marker lines of each `<<<<<<<` … `>>>>>>>` block, or null when there is none. A `=======`
 * outside such a block is Markdown (a heading underline) and not counted.
 */
export function findConflictMarkers(text: string): ConflictMarkers | null {
	const lines = text.split(/\r\n|\n/);
	const inFence = nonCellFenceBodies(lines);
	const found: number[] = [];
	let block: number[] | null = null;
	lines.forEach((line, index) => {
		if (OPEN.test(line)) block = [index + 1];
		else if (block && (BASE.test(line) || SPLIT.test(line))) block.push(index + 1);
		else if (block && CLOSE.test(line)) {
			const fence = inFence[block[0] - 1];
			const shown = fence >= 0 && inFence[index] === fence; // wholly inside one ```text fence: an example
			if (!shown) found.push(...block, index + 1);
			block = null;
		}
	});
	return found.length ? { lines: found } : null;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const FENCE_CLOSE = /^ {0,3}(`{3,}|~{3,})[ \t]*$/;

/**
 * For each line, the number of the closed non-cell fence (```text, ```python, …) whose body holds
 * it, else -1. Cell fences (```sql …) and a fence never closed hide nothing: markers there are
 * conflicts. The same fence rules as format.ts (CommonMark).
 */
function nonCellFenceBodies(lines: string[]): number[] {
	const out = lines.map(() => -1);
	let fences = 0;
	for (let i = 0; i < lines.length; i++) {
		const open = FENCE_OPEN.exec(lines[i]);
		if (!open || (open[1][0] === '`' && open[2].includes('`'))) continue;
		const char = open[1][0];
		let close = i + 1;
		while (close < lines.length) {
			const m = FENCE_CLOSE.exec(lines[close]);
			if (m && m[1][0] === char && m[1].length >= open[1].length) break;
			close++;
		}
		if (close >= lines.length) break; // never closed: the rest is one body, but counts as text here
		const word = open[2].trim().split(/[ \t]+/)[0];
		if (!fencedCellKind(word)) {
			fences++;
			for (let j = i + 1; j < close; j++) out[j] = fences;
		}
		i = close;
	}
	return out;
}

/** "git merge-conflict markers at lines 6/10/14: …" — what the page and the store say. */
export function conflictMarkersMessage(markers: ConflictMarkers): string {
	const shown = markers.lines.length > 12 ? `${markers.lines.slice(0, 12).join('/')}/…` : markers.lines.join('/');
	return (
		`git merge-conflict markers at line${markers.lines.length === 1 ? '' : 's'} ${shown}: this file holds two versions of the text between them. ` +
		'Keep one (delete the other and the marker lines) here or in an editor; until then the page does not save the file.'
	);
}
