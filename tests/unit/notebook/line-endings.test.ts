// An edit keeps the file's own line endings: an editor that hands back LF-only text must not make
// a notebook with CRLF, lone CR or mixed endings change where the user did not type.
import { describe, expect, it } from 'vitest';
import { restoreLineEndings } from '../../../src/lib/notebook/line-endings.ts';
import { replaceCellSource } from '../../../src/lib/notebook/edit.ts';
import { parseNotebook } from '../../../src/lib/notebook/format.ts';

/** What CodeMirror's document gives back: lines split at CRLF, CR and LF, joined with LF. */
const asEditorGivesIt = (text: string) => text.split(/\r\n|\r|\n/).join('\n');

describe('restoreLineEndings', () => {
	it('gives the original back when only the separators were normalised', () => {
		for (const original of ['a\r\nb\nc\rd', '', '\r', 'x\r\r\n\n', 'one line', '\n\n\r\n']) {
			expect(restoreLineEndings(original, asEditorGivesIt(original), '\n')).toBe(original);
		}
	});

	it('keeps the separators of unchanged lines around an edit; new lines get eol', () => {
		expect(restoreLineEndings('a\r\nb\rc\nd', 'a\nB\nnew\nc\nd', '\r\n')).toBe('a\r\nB\r\nnew\rc\nd'); // c keeps the CR that preceded it
		expect(restoreLineEndings('a\rb', 'a\nb\nc', '\n')).toBe('a\rb\nc');
		expect(restoreLineEndings('a\rb\rc', 'c', '\n')).toBe('c');
	});

	it('treats a lone CR in the edited text as text (an API caller meant it)', () => {
		expect(restoreLineEndings('a\nb', 'a\r\nb\rx', '\n')).toBe('a\nb\rx');
	});
});

describe('replaceCellSource with what an editor gives back', () => {
	const text =
		'# Mixed\r\n\r\nnotes\rwith a CR\n\n```sql id=a\r\n' + "SELECT 'x\ry' AS v\n  , 2 AS w\r\nFROM t" + '\r\n```\n';

	it('changes nothing when nothing was typed', () => {
		const doc = parseNotebook(text);
		doc.cells.forEach((cell, index) => {
			expect(replaceCellSource(text, index, asEditorGivesIt(cell.source))).toBe(text);
		});
	});

	it('changes only the typed line, keeping a lone CR inside a SQL string', () => {
		const doc = parseNotebook(text);
		const typed = asEditorGivesIt(doc.cells[1].source).replace('FROM t', 'FROM u');
		const out = replaceCellSource(text, 1, typed);
		expect(out).toBe(text.replace('FROM t', 'FROM u'));
	});
});
