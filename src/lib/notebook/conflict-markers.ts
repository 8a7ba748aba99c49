// Git merge-conflict markers left in a notebook file (`<<<<<<< HEAD`, `=======`, `>>>>>>> branch`,
// and diff3's `||||||| base`): the file holds two versions of some text, so it is neither
// notebook nor Markdown until someone picks one. Found here once for the parser (a file problem
// naming the lines), the page (which then does not save: it would write the markers back as
// content) and the notebook store (which refuses such a save from any client).

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
	const found: number[] = [];
	let block: number[] | null = null;
	lines.forEach((line, index) => {
		if (OPEN.test(line)) block = [index + 1];
		else if (block && (BASE.test(line) || SPLIT.test(line))) block.push(index + 1);
		else if (block && CLOSE.test(line)) {
			found.push(...block, index + 1);
			block = null;
		}
	});
	return found.length ? { lines: found } : null;
}

/** "git merge-conflict markers at lines 6/10/14: …" — what the page and the store say. */
export function conflictMarkersMessage(markers: ConflictMarkers): string {
	const shown = markers.lines.length > 12 ? `${markers.lines.slice(0, 12).join('/')}/…` : markers.lines.join('/');
	return (
		`git merge-conflict markers at line${markers.lines.length === 1 ? '' : 's'} ${shown}: this file holds two versions of the text between them. ` +
		'Keep one (delete the other and the marker lines) here or in an editor; until then the page does not save the file.'
	);
}
