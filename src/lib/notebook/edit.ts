// Edits to a notebook file. Each takes the file text and returns the new text, changed only where
// the edit must change it: every other byte (other cells, blank lines, line endings, front
// matter) is copied from the old text. New cells are written in the canonical style of
// renderCell (``` fence, `kind id=… attr=…`, one blank line around).
import {
	parseNotebook,
	renderCell,
	safeFenceLength,
	stripLastEol,
	type Cell,
	type NewCell,
	type NotebookDoc
} from './format.ts';
import { isValidCellId, nameKey } from './sql-ident.ts';
import { restoreLineEndings } from './line-endings.ts';
import { cellKind, yieldsTable } from './cells/index.ts';

interface Piece {
	lead: string;
	raw: string;
}
interface Layout {
	head: string;
	pieces: Piece[];
	trailer: string;
	eol: '\n' | '\r\n';
}

function layoutOf(doc: NotebookDoc): Layout {
	return { head: doc.frontMatter?.raw ?? '', pieces: doc.cells.map((c) => ({ lead: c.lead, raw: c.raw })), trailer: doc.trailer, eol: doc.eol };
}
const render = (l: Layout) => l.head + l.pieces.map((p) => p.lead + p.raw).join('') + l.trailer;

function cellAt(doc: NotebookDoc, index: number, what: string): Cell {
	const cell = doc.cells[index];
	if (!Number.isInteger(index) || !cell) throw new RangeError(`${what}: no cell at index ${index} (the notebook has ${doc.cells.length})`);
	return cell;
}

/** The line ending a cell already uses, so edited lines match their neighbours. */
function eolOf(cell: Cell, doc: NotebookDoc): '\n' | '\r\n' {
	const m = /\r\n|\n/.exec(cell.raw);
	return m ? (m[0] as '\n' | '\r\n') : doc.eol;
}

/** The line ending after a cell's source in its raw text ('' when there is none). */
function sourceEnd(cell: Cell): string {
	const fence = cell.fence;
	const body = fence ? cell.raw.slice(fence.open.length + fence.openEol.length, cell.raw.length - fence.close.length) : cell.raw;
	return body.slice(cell.source.length);
}

/**
 * A cell's new source with the cell's own line endings: unchanged lines keep theirs (CRLF, LF or
 * a lone CR), new lines get the cell's. Text from an editor that normalised them to LF gives
 * back the same bytes when nothing else changed.
 */
function sourceText(cell: Cell, source: string, eol: '\n' | '\r\n'): string {
	return restoreLineEndings(cell.source, source, eol);
}

/** A code cell's raw text with a new body; the fence grows if a body line would close it. */
function codeRaw(cell: Cell, source: string, eol: '\n' | '\r\n', open = cell.fence!.open): string {
	const fence = cell.fence!;
	const body = source === '' ? '' : sourceText(cell, source, eol) + (sourceEnd(cell) || eol);
	const length = safeFenceLength(source, fence.char, fence.length);
	const run = fence.char.repeat(length);
	const grow = (line: string) => line.replace(/^( {0,3})(`{3,}|~{3,})/, (_, indent: string) => indent + run);
	const openLine = length > fence.length ? grow(open) : open;
	let close = fence.close;
	if (!fence.closed) close = run + eol;
	else if (length > fence.length) close = grow(close);
	return openLine + (fence.openEol || eol) + body + close;
}

function markdownRaw(cell: Cell, source: string, eol: '\n' | '\r\n'): string {
	const end = sourceEnd(cell);
	return sourceText(cell, source, eol) + (end !== '' && source !== '' ? end : '');
}

function rawWithSource(cell: Cell, source: string, doc: NotebookDoc): string {
	const eol = eolOf(cell, doc);
	return cell.kind === 'markdown' ? markdownRaw(cell, source, eol) : codeRaw(cell, source, eol);
}

/** Replace a cell's source (what the editor shows). The same source returns the text unchanged. */
export function replaceCellSource(text: string, index: number, source: string): string {
	const doc = parseNotebook(text);
	const cell = cellAt(doc, index, 'replaceCellSource');
	// The same text, line endings aside (an editor normalises them): nothing to write.
	if (source === cell.source || sourceText(cell, source, eolOf(cell, doc)) === cell.source) return text;
	const layout = layoutOf(doc);
	layout.pieces[index].raw = rawWithSource(cell, source, doc);
	return render(layout);
}

/** Put a piece at `index` (0..pieces.length); raw must be whole lines. */
function insertPiece(layout: Layout, index: number, raw: string): void {
	const { eol } = layout;
	if (index < layout.pieces.length) {
		const target = layout.pieces[index];
		layout.pieces.splice(index, 0, { lead: target.lead, raw });
		target.lead = eol;
		return;
	}
	const before = render(layout);
	let lead = '';
	if (before !== '') {
		if (!before.endsWith('\n')) lead += eol;
		if (layout.trailer === '') lead += eol;
	}
	layout.pieces.push({ lead: layout.trailer + lead, raw });
	layout.trailer = '';
}

function removePiece(layout: Layout, index: number): Piece {
	const [removed] = layout.pieces.splice(index, 1);
	// The first cell's lead is the file's opening: keep it for whichever cell now comes first.
	if (index === 0 && layout.pieces.length > 0) layout.pieces[0].lead = removed.lead;
	return removed;
}

/** Insert a new cell so that it ends up at position `index` (0 = first, cells.length = last). */
export function insertCell(text: string, index: number, cell: NewCell): string {
	const doc = parseNotebook(text);
	if (!Number.isInteger(index) || index < 0 || index > doc.cells.length) {
		throw new RangeError(`insertCell: index ${index} is outside 0..${doc.cells.length}`);
	}
	if (cell.kind !== 'markdown' && cell.id !== undefined) checkNewId(doc, cell.id, -1);
	if (cell.kind === 'markdown' && cell.source.trim() === '') throw new Error('insertCell: a markdown cell needs some text');
	const layout = layoutOf(doc);
	insertPiece(layout, index, renderCell(cell, doc.eol));
	return render(layout);
}

export function deleteCell(text: string, index: number): string {
	const doc = parseNotebook(text);
	cellAt(doc, index, 'deleteCell');
	const layout = layoutOf(doc);
	removePiece(layout, index);
	return render(layout);
}

/** Move the cell at `from` so that it ends up at position `to` (both 0-based, in the current list). */
export function moveCell(text: string, from: number, to: number): string {
	const doc = parseNotebook(text);
	cellAt(doc, from, 'moveCell');
	cellAt(doc, to, 'moveCell');
	if (from === to) return text;
	const layout = layoutOf(doc);
	const { raw } = removePiece(layout, from);
	const whole = raw.endsWith('\n') ? raw : raw + layout.eol;
	insertPiece(layout, to, to === layout.pieces.length ? raw : whole);
	return render(layout);
}

function checkNewId(doc: NotebookDoc, id: string, except: number): void {
	if (!isValidCellId(id)) throw new Error(`invalid id ${JSON.stringify(id)}: ids are SQL identifiers (a letter or _, then letters, digits, _)`);
	const clash = doc.cells.findIndex((c, i) => i !== except && c.id !== null && nameKey(c.id) === nameKey(id));
	if (clash >= 0) throw new Error(`id "${id}" is already used by the cell on line ${doc.cells[clash].line}`);
}

/** The opening fence line with attribute `name` set to `value` (added after the others if absent), or removed when null. */
function withAttribute(cell: Cell, name: string, value: string | null): string {
	const open = cell.fence!.open;
	const attr = cell.attrs.find((a) => a.name === name);
	if (value !== null && (/[\s`]/.test(value) || value === '')) {
		throw new Error(`attribute ${name}: value ${JSON.stringify(value)} must be non-empty, without spaces or backticks`);
	}
	if (!attr) {
		if (value === null) return open;
		const trimmed = open.replace(/[ \t]+$/, '');
		return `${trimmed} ${name}=${value}${open.slice(trimmed.length)}`;
	}
	if (value === null) {
		const nameEnd = open[attr.valueStart - 1] === '=' ? attr.valueStart - 1 : attr.valueStart;
		let start = nameEnd - name.length;
		while (start > 0 && /[ \t]/.test(open[start - 1])) start--;
		return open.slice(0, start) + open.slice(attr.valueEnd);
	}
	const hasEquals = open[attr.valueStart - 1] === '=' || attr.valueEnd > attr.valueStart;
	return open.slice(0, attr.valueStart) + (hasEquals ? '' : '=') + value + open.slice(attr.valueEnd);
}

/** Set (or with null, remove) an attribute on a code cell's fence line, e.g. from=scores. */
export function setCellAttribute(text: string, index: number, name: string, value: string | null): string {
	const doc = parseNotebook(text);
	const cell = cellAt(doc, index, 'setCellAttribute');
	if (!cell.fence) throw new Error(`setCellAttribute: the cell at index ${index} (line ${cell.line}) is markdown and has no attributes`);
	if (name === 'id' && value !== null) checkNewId(doc, value, index);
	const layout = layoutOf(doc);
	const open = withAttribute(cell, name, value);
	layout.pieces[index].raw = open + cell.raw.slice(cell.fence.open.length);
	return render(layout);
}

/**
 * Give a cell a new id. With updateReferences (the default), cells that read it by name (SQL
 * identifiers, from=, mark data) are rewritten too, so the notebook means the same thing.
 */
export function renameCell(text: string, index: number, newId: string, options: { updateReferences?: boolean } = {}): string {
	const doc = parseNotebook(text);
	const cell = cellAt(doc, index, 'renameCell');
	if (!cell.fence) throw new Error(`renameCell: the cell at index ${index} (line ${cell.line}) is markdown and has no id`);
	checkNewId(doc, newId, index);
	const layout = layoutOf(doc);
	layout.pieces[index].raw = withAttribute(cell, 'id', newId) + cell.raw.slice(cell.fence.open.length);
	const oldId = cell.id;
	if (options.updateReferences === false || !oldId || !isValidCellId(oldId) || !yieldsTable(cell.kind)) return render(layout);
	// Only the first cell with a duplicated id is the one others resolve to.
	if (doc.cells.findIndex((c) => c.id !== null && nameKey(c.id) === nameKey(oldId)) !== index) return render(layout);

	doc.cells.forEach((other, k) => {
		if (k === index || !other.fence) return;
		const kind = cellKind(other.kind);
		let open = other.fence.open;
		// from= on the fence, for every kind that reads it; the body as the kind knows how.
		const readsFrom = kind?.references(other, [oldId]).some((r) => r.via === 'from' && nameKey(r.name) === nameKey(oldId));
		if (readsFrom) open = withAttribute(other, 'from', newId);
		const source = kind?.renameInSource ? kind.renameInSource(other.source, oldId, newId) : other.source;
		if (open === other.fence.open && source === other.source) return;
		layout.pieces[k].raw = source === other.source ? open + other.raw.slice(other.fence.open.length) : codeRaw(other, source, eolOf(other, doc), open);
	});
	return render(layout);
}
