// What a parsed cell is (format.ts makes them): its kind, id, attributes, source and exact text.
// Kept apart from the parser so cell kinds (cells/) can read cells without importing it.
import type { Diagnostic } from './diagnostics.ts';

/**
 * 'markdown' for text between fences, else the name of a fenced cell kind in the list
 * (cells/index.ts): 'sql', 'plot', 'stats', 'run', or one registered later.
 */
export type CellKind = string;
/** The kind of a fenced cell (anything but 'markdown'). */
export type CodeCellKind = string;

export interface Attribute {
	name: string;
	/** '' for a bare flag. */
	value: string;
	/** Offsets of the value's raw text (including quotes) within the opening fence line. */
	valueStart: number;
	valueEnd: number;
}

export interface Fence {
	char: '`' | '~';
	length: number;
	/** The opening fence line, without its line ending. */
	open: string;
	/** Line ending of the opening line ('' when the file ends on it). */
	openEol: string;
	/** The closing fence line with its line ending; '' when the fence is unclosed. */
	close: string;
	closed: boolean;
}

export interface Cell {
	kind: CellKind;
	/** The `id=` attribute, or null. */
	id: string | null;
	attrs: Attribute[];
	/** What an editor shows: a code cell's body, or the markdown text, without its last line ending. */
	source: string;
	/** 1-based file line of the cell's first line (the opening fence of a code cell). */
	line: number;
	/** 1-based file line of the first line of `source`. */
	sourceLine: number;
	/** Blank lines between the previous cell and this one, kept verbatim. */
	lead: string;
	/** The cell's exact text: for a code cell from the opening fence through the closing fence's line ending. */
	raw: string;
	fence: Fence | null;
	diagnostics: Diagnostic[];
}

export function attribute(cell: Pick<Cell, 'attrs'>, name: string): string | undefined {
	return cell.attrs.find((a) => a.name === name)?.value;
}
