// Notebook files: Markdown with optional front matter and fenced cells whose info string names a
// cell kind plus attributes (```sql id=scores, ```plot id=fig4 from=scores). Text between cells is
// markdown; other fences (```python) stay inside the markdown.
//
// The parse keeps every byte: front matter raw, each cell's leading blank lines (`lead`) and its
// exact text (`raw`), and the blank lines after the last cell (`trailer`; past MAX_CELLS cells,
// the rest of the file, unread). So
// serializeNotebook(parseNotebook(t)) === t for any string t, and an edit rewrites only the cell
// it touches (see edit.ts). Fence rules follow CommonMark: up to 3 spaces of indent, 3+ backticks
// or tildes, a closing fence of the same character at least as long, an unclosed fence runs to
// the end of the file.
import { cellDiagnostics, type Diagnostic } from './diagnostics.ts';
import { conflictMarkersMessage, findConflictMarkers } from './conflict-markers.ts';
import { fencedCellKind } from './cells/index.ts';
import type { Attribute, Cell, CellKind, CodeCellKind, Fence } from './cell.ts';

export type { Attribute, Cell, CellKind, CodeCellKind, Fence } from './cell.ts';
export { attribute } from './cell.ts';

export interface FrontMatter {
	/** Exact text, both `---` lines and their line endings included. */
	raw: string;
	fields: Record<string, string>;
}

export interface NotebookDoc {
	frontMatter: FrontMatter | null;
	cells: Cell[];
	/** Blank lines after the last cell. */
	trailer: string;
	/** The file's line ending, used for new text: CRLF when the first line ending is CRLF. */
	eol: '\n' | '\r\n';
	/** Every cell diagnostic plus the file's own (front matter). */
	diagnostics: Diagnostic[];
}

interface Line {
	text: string;
	eol: string;
}

export function splitLines(text: string): Line[] {
	const lines: Line[] = [];
	const re = /\r\n|\n/g;
	let start = 0;
	for (let m = re.exec(text); m; m = re.exec(text)) {
		lines.push({ text: text.slice(start, m.index), eol: m[0] });
		start = m.index + m[0].length;
	}
	if (start < text.length) lines.push({ text: text.slice(start), eol: '' });
	return lines;
}

/**
 * The most cells a notebook is read with. The shipped notebooks have 3–25; a page with thousands
 * of cells is no longer usable, and a file of a million tiny cells froze the tab (trial-red w9 #8).
 */
export const MAX_CELLS = 2000;

/**
 * The largest notebook file read, by its size on disk before any read (the server's store and
 * `covw notebook run` alike). The shipped notebooks are 2–21 KB and the largest realistic one (a
 * few hundred cells of SQL, plot specs and prose) stays under 1 MB; 5 MiB leaves room for that
 * five times over, still fits a save (BODY_LIMITS.notebook, 16 MiB, holds the text JSON-escaped),
 * and keeps a file that is not a notebook (a 2 GB log, a sparse file) from costing the server its
 * memory or the page its tab (trial-red w9 items 7, 8).
 */
export const NOTEBOOK_MAX_BYTES = 5 * 1024 * 1024;

const isBlank = (line: Line) => /^[ \t]*$/.test(line.text);
const joinLines = (lines: Line[]) => lines.map((l) => l.text + l.eol).join('');

export interface FenceOpen {
	char: '`' | '~';
	length: number;
	info: string;
	/** Offset of the info string within the line. */
	infoStart: number;
}

export function matchFenceOpen(text: string): FenceOpen | null {
	const m = /^( {0,3})(`{3,}|~{3,})(.*)$/.exec(text);
	if (!m) return null;
	const char = m[2][0] as '`' | '~';
	// CommonMark: a backtick fence's info string may not contain backticks (that is inline code).
	if (char === '`' && m[3].includes('`')) return null;
	return { char, length: m[2].length, info: m[3], infoStart: m[1].length + m[2].length };
}

export function isFenceClose(text: string, char: string, length: number): boolean {
	const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(text);
	return !!m && m[1][0] === char && m[1].length >= length;
}

/** The cell kind named by an info string (one in cells/index.ts), or null for any other fence (python, text, …). */
export function cellKindOf(info: string): CodeCellKind | null {
	const word = info.trim().split(/[ \t]+/)[0];
	return fencedCellKind(word) ? word : null;
}

/**
 * Attributes after the kind: `name=value`, `name="value with spaces"`, `name='…'` or a bare
 * `name`. Unreadable pieces are reported, not dropped silently.
 */
export function parseAttributes(info: string, infoStart: number): { attrs: Attribute[]; problems: string[] } {
	const attrs: Attribute[] = [];
	const problems: string[] = [];
	const kindMatch = /^[ \t]*\S+/.exec(info);
	let i = kindMatch ? kindMatch[0].length : 0;
	const re = /[ \t]+([A-Za-z_][A-Za-z0-9_-]*)(?:=("[^"]*"|'[^']*'|[^ \t"']*))?(?=[ \t]|$)|[ \t]+(\S+)|[ \t]*$/y;
	while (i < info.length) {
		re.lastIndex = i;
		const m = re.exec(info);
		if (!m || m[0].length === 0) break;
		if (m[3] !== undefined) {
			problems.push(`cannot read attribute ${JSON.stringify(m[3])} (expected name=value)`);
		} else if (m[1] !== undefined) {
			const rawValue = m[2] ?? '';
			const quoted = /^["']/.test(rawValue);
			const valueStart = infoStart + m.index + m[0].length - rawValue.length;
			attrs.push({
				name: m[1],
				value: quoted ? rawValue.slice(1, -1) : rawValue,
				valueStart,
				valueEnd: valueStart + rawValue.length
			});
		}
		i = m.index + m[0].length;
	}
	return { attrs, problems };
}

/** A file that opens with `---` but never closes it: no front matter, and a warning saying so. */
const unclosedFrontMatter: Diagnostic = {
	severity: 'warning',
	line: 1,
	field: 'front matter',
	message: 'the front matter opened on line 1 is never closed (no "---" line after it): it is read as Markdown text, and its title is not used'
};

function parseFrontMatter(lines: Line[]): { fm: FrontMatter | null; lineCount: number; problems: Diagnostic[] } | null {
	if (lines.length < 1 || !/^(\uFEFF)?---[ \t]*$/.test(lines[0].text)) return null;
	const end = lines.findIndex((l, k) => k > 0 && /^---[ \t]*$/.test(l.text));
	if (end < 0) return { fm: null, lineCount: 0, problems: [{ ...unclosedFrontMatter }] };
	const fields: Record<string, string> = {};
	const problems: Diagnostic[] = [];
	for (let k = 1; k < end; k++) {
		const text = lines[k].text;
		if (/^[ \t]*(#.*)?$/.test(text)) continue;
		const m = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:[ \t]*(.*?)[ \t]*$/.exec(text);
		if (!m) {
			problems.push({ severity: 'warning', line: k + 1, field: 'front matter', message: `front matter line ${k + 1} is not "key: value"` });
			continue;
		}
		const value = m[2];
		const quoted = /^"(.*)"$|^'(.*)'$/.exec(value);
		fields[m[1]] = quoted ? (quoted[1] ?? quoted[2]) : value;
	}
	return { fm: { raw: joinLines(lines.slice(0, end + 1)), fields }, lineCount: end + 1, problems };
}

export function parseNotebook(text: string): NotebookDoc {
	const lines = splitLines(text);
	const firstEol = lines.find((l) => l.eol)?.eol;
	const eol = firstEol === '\r\n' ? '\r\n' : '\n';
	const front = parseFrontMatter(lines);
	const cells: Cell[] = [];
	let pendingLead = '';

	const newCell = (kind: CellKind, startLine: number, raw: string, extra: Partial<Cell>): Cell => ({
		kind,
		id: null,
		attrs: [],
		source: '',
		line: startLine + 1,
		sourceLine: startLine + 1,
		lead: pendingLead,
		raw,
		fence: null,
		diagnostics: [],
		...extra
	});

	// Markdown between code cells: blank lines at either end become leads, the rest is a cell.
	const flushMarkdown = (from: number, to: number) => {
		let a = from;
		let b = to;
		while (a < b && isBlank(lines[a])) a++;
		if (a === b) {
			pendingLead += joinLines(lines.slice(from, to));
			return;
		}
		while (b > a && isBlank(lines[b - 1])) b--;
		pendingLead += joinLines(lines.slice(from, a));
		const raw = joinLines(lines.slice(a, b));
		cells.push(newCell('markdown', a, raw, { source: stripLastEol(raw) }));
		pendingLead = joinLines(lines.slice(b, to));
	};

	let i = front ? front.lineCount : 0;
	let mdStart = i;
	let cutAt: number | null = null; // the line (0-based) from which the file is not read as cells
	while (i < lines.length) {
		const open = matchFenceOpen(lines[i].text);
		if (!open) {
			i++;
			continue;
		}
		// This cell and the Markdown before it would pass the cap: the rest is kept as text, unread.
		if (cells.length + (lines.slice(mdStart, i).some((l) => !isBlank(l)) ? 2 : 1) > MAX_CELLS) {
			cutAt = mdStart;
			break;
		}
		let close = i + 1;
		while (close < lines.length && !isFenceClose(lines[close].text, open.char, open.length)) close++;
		const closed = close < lines.length;
		const kind = cellKindOf(open.info);
		if (!kind) {
			i = close + 1; // a foreign fence is markdown text; skip past it so its content is not scanned
			continue;
		}
		flushMarkdown(mdStart, i);
		const body = joinLines(lines.slice(i + 1, close));
		const closeText = closed ? lines[close].text + lines[close].eol : '';
		const { attrs, problems } = parseAttributes(open.info, open.infoStart);
		const fence: Fence = { char: open.char, length: open.length, open: lines[i].text, openEol: lines[i].eol, close: closeText, closed };
		const cell = newCell(kind, i, lines[i].text + lines[i].eol + body + closeText, {
			id: attrs.find((a) => a.name === 'id')?.value ?? null,
			attrs,
			source: stripLastEol(body),
			sourceLine: i + 2,
			fence
		});
		cell.diagnostics.push(
			...problems.map((message): Diagnostic => ({ severity: 'warning', line: i + 1, field: 'attributes', message }))
		);
		if (!closed) {
			cell.diagnostics.push({ severity: 'warning', line: i + 1, field: 'fence', message: `the ${kind} cell's fence is never closed: it runs to the end of the file` });
		}
		cells.push(cell);
		pendingLead = '';
		i = closed ? close + 1 : lines.length;
		mdStart = i;
	}
	let tooMany: Diagnostic | null = null;
	if (cutAt === null) flushMarkdown(mdStart, lines.length);
	else {
		pendingLead += joinLines(lines.slice(cutAt));
		tooMany = {
			severity: 'warning',
			line: cutAt + 1,
			field: 'cells',
			message: `the notebook has more than ${MAX_CELLS.toLocaleString('en')} cells: from line ${cutAt + 1} on, the file is not read as cells (it is kept unchanged); split it into smaller notebooks`
		};
	}

	cellDiagnostics(cells);
	const markers = findConflictMarkers(text);
	const conflict: Diagnostic[] = markers ? [{ severity: 'error', line: markers.lines[0], field: 'git conflict', message: conflictMarkersMessage(markers) }] : [];
	// A file-level warning, first after a conflict: the page shows it above the cells and `covw
	// notebook run` before its report (on the last cell it went unseen, review10 #2).
	const diagnostics = [...conflict, ...(tooMany ? [tooMany] : []), ...(front?.problems ?? []), ...cells.flatMap((c) => c.diagnostics)];
	return { frontMatter: front?.fm ?? null, cells, trailer: pendingLead, eol, diagnostics };
}

export function serializeNotebook(doc: Pick<NotebookDoc, 'frontMatter' | 'cells' | 'trailer'>): string {
	return (doc.frontMatter?.raw ?? '') + doc.cells.map((c) => c.lead + c.raw).join('') + doc.trailer;
}

export function stripLastEol(text: string): string {
	if (text.endsWith('\r\n')) return text.slice(0, -2);
	if (text.endsWith('\n')) return text.slice(0, -1);
	return text;
}

/** Convert any line endings in `text` to `eol`. */
export function withEol(text: string, eol: string): string {
	return text.replace(/\r\n|\n/g, eol);
}

/**
 * The shortest fence (at least 3) of `char` that no line of `source` could close: a body line of
 * ``` inside a cell forces a ```` fence.
 */
export function safeFenceLength(source: string, char: '`' | '~', atLeast = 3): number {
	let length = atLeast;
	for (const line of source.split(/\r\n|\n/)) {
		const m = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
		if (m && m[1][0] === char && m[1].length >= length) length = m[1].length + 1;
	}
	return length;
}

export interface NewCell {
	kind: CellKind;
	id?: string;
	/** Extra attributes after id, in order (e.g. { from: 'scores' }). */
	attrs?: Record<string, string>;
	source: string;
}

function formatAttr(name: string, value: string): string {
	if (value.includes('`') || (value.includes('"') && value.includes("'"))) {
		throw new Error(`attribute ${name}: a value cannot contain a backtick or both quote kinds: ${JSON.stringify(value)}`);
	}
	if (value === '') return name;
	if (/^[^ \t"']+$/.test(value)) return `${name}=${value}`;
	return value.includes('"') ? `${name}='${value}'` : `${name}="${value}"`;
}

/** Canonical text of a new cell, ending with a line ending. */
export function renderCell(cell: NewCell, eol: '\n' | '\r\n' = '\n'): string {
	const source = withEol(cell.source, eol);
	if (cell.kind === 'markdown') return source === '' ? '' : source + eol;
	const fence = '`'.repeat(safeFenceLength(source, '`'));
	const attrs = [cell.id !== undefined ? formatAttr('id', cell.id) : null, ...Object.entries(cell.attrs ?? {}).map(([k, v]) => formatAttr(k, v))];
	const info = [cell.kind, ...attrs.filter((a): a is string => a !== null)].join(' ');
	return fence + info + eol + (source === '' ? '' : source + eol) + fence + eol;
}
