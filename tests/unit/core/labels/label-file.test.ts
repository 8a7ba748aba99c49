// readLabelLines: a leading BOM (an editor's) is no part of line 1 (review10 #5: line 1 was
// "invalid JSON", so the first label was lost and a rewrite moved it as a bad line).
import { describe, expect, it } from 'vitest';
import { readLabelLines } from '../../../../src/lib/core/labels/label-file.ts';

const line = (target_id: string) =>
	JSON.stringify({ target_id, annotator: 'ann', vulnerable: true, cwe: 'CWE-79', other_cwe: false, skipped: false, note: '', at: '2026-01-01T00:00:00.000Z' });

describe('readLabelLines', () => {
	it('reads line 1 after a BOM as a label', () => {
		const parsed = readLabelLines('\uFEFF' + line('t1') + '\r\n' + line('t2') + '\r\n', 'labels/labels.jsonl', Date.parse('2026-06-01'));
		expect(parsed.labels.map((l) => l.target_id)).toEqual(['t1', 't2']);
		expect(parsed.warnings).toEqual([]);
		expect(parsed.badLines).toBeUndefined();
	});

	it('a BOM elsewhere is no BOM: that line stays a bad line', () => {
		const parsed = readLabelLines(line('t1') + '\n\uFEFF' + line('t2') + '\n', 'labels/labels.jsonl', Date.parse('2026-06-01'));
		expect(parsed.labels.map((l) => l.target_id)).toEqual(['t1']);
		expect(parsed.badLines?.map((b) => b.line)).toEqual([2]);
	});
});
