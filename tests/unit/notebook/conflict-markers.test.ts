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
