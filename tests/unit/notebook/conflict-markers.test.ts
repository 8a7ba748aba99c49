// Git merge-conflict markers in a notebook file: the parser names the marker lines as a file
// problem (an error), and a "=======" heading underline outside a conflict is not one.
import { describe, expect, it } from 'vitest';
import { findConflictMarkers } from '../../../src/lib/notebook/conflict-markers.ts';
import { parseNotebook, serializeNotebook } from '../../../src/lib/notebook/format.ts';

const conflicted = [
	'---',
	'title: t',
	'---',
	'Rates per model.',
	'',
	'<<<<<<< HEAD',
	'```sql id=rates',
	'SELECT 1 AS n',
	'```',
	'=======',
	'```sql id=rates',
	'SELECT 2 AS n',
	'```',
	'>>>>>>> feature',
	''
].join('\n');

describe('git conflict markers', () => {
	it('are a file problem naming every marker line', () => {
		const doc = parseNotebook(conflicted);
		const problem = doc.diagnostics.find((d) => d.field === 'git conflict');
		expect(problem).toMatchObject({ severity: 'error', line: 6 });
		expect(problem?.message).toMatch(/^git merge-conflict markers at lines 6\/10\/14: /);
		// still a lossless parse: nothing of the file is dropped
		expect(serializeNotebook(doc)).toBe(conflicted);
	});

	it('diff3 base markers and CRLF files too; a heading underline outside a conflict is Markdown', () => {
		const diff3 = conflicted.replace('=======', '||||||| base\nSELECT 0\n=======').replace(/\n/g, '\r\n');
		expect(findConflictMarkers(diff3)?.lines).toEqual([6, 10, 12, 16]);
		expect(findConflictMarkers('Title\n=======\n\nText with <<<<<<< inside\n')).toBeNull();
		expect(parseNotebook('Title\n=======\n').diagnostics).toEqual([]);
		// an opening marker never closed is no conflict block
		expect(findConflictMarkers('<<<<<<< HEAD\ntext\n=======\n')).toBeNull();
	});
});

describe('conflict markers shown inside a fence', () => {
	const shown = ['# How a conflict looks', '', '```text', '<<<<<<< HEAD', 'ours', '=======', 'theirs', '>>>>>>> branch', '```', '', '```sql id=a', 'SELECT 1 AS n', '```', ''].join('\n');

	it('a ```text block showing a conflict is text, and the notebook saves', () => {
		expect(findConflictMarkers(shown)).toBeNull();
		expect(findConflictMarkers(shown.replace(/\n/g, '\r\n'))).toBeNull();
		expect(findConflictMarkers(shown.replace('```text', '~~~~').replace('>>>>>>> branch\n```', '>>>>>>> branch\n~~~~'))).toBeNull();
		expect(parseNotebook(shown).diagnostics.filter((d) => d.field === 'git conflict')).toEqual([]);
	});

	it('real conflicts are still found: inside a cell, spanning cells, around or across a text fence, or in an unclosed one', () => {
		// inside a sql cell's body
		expect(findConflictMarkers('```sql id=a\n<<<<<<< HEAD\nSELECT 1\n=======\nSELECT 2\n>>>>>>> b\n```\n')?.lines).toEqual([2, 4, 6]);
		// the original test's conflict spans two cells
		expect(findConflictMarkers(conflicted)?.lines).toEqual([6, 10, 14]);
		// a real conflict after a shown one
		expect(findConflictMarkers(shown + '<<<<<<< HEAD\nx\n=======\ny\n>>>>>>> b\n')?.lines).toEqual([14, 16, 18]);
		// a conflict whose sides each hold a text fence
		expect(findConflictMarkers('<<<<<<< HEAD\n```text\na\n```\n=======\n```text\nb\n```\n>>>>>>> b\n')?.lines).toEqual([1, 5, 9]);
		// starts inside one text fence and ends outside it
		expect(findConflictMarkers('```text\n<<<<<<< HEAD\na\n```\n=======\nb\n>>>>>>> b\n')?.lines).toEqual([2, 5, 7]);
		// a fence never closed hides nothing
		expect(findConflictMarkers('```text\n<<<<<<< HEAD\na\n=======\nb\n>>>>>>> b\n')?.lines).toEqual([2, 4, 6]);
	});
});
