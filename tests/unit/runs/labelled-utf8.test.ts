// A labelled record holding a byte that is not UTF-8 (a Latin-1 "é") is never imported altered
// ("caf\uFFFD"): it is a problem naming file, line and field, and the other records come in — for
// JSON Lines, CSV (also when the bad byte or a multi-byte character straddles a read chunk) and a
// JSON document alike. The decoder underneath keeps valid UTF-8 exactly.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLabelledFile } from '../../../src/lib/runs/import/labelled-set.ts';
import { decodeEscaped, EscapingDecoder, invalidByte } from '../../../src/lib/runs/import/labelled-utf8.ts';
import { problemText } from '../../../src/lib/runs/import/types.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

let work: { path: string; remove: () => void };
beforeEach(() => (work = tempDir('covw-utf8-')));
afterEach(() => work.remove());

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const latin1 = (s: string) => Buffer.from(s, 'latin1');
const rec = (id: string, code: string) => `{"id": "${id}", "cwe": "CWE-79", "language": "python", "label": "vulnerable", "code": "${code}"}\n`;

describe('labelled files with bytes that are not UTF-8', () => {
	it('JSON Lines: the Latin-1 record is a problem with file, line and field; the others come in unaltered', async () => {
		const path = join(work.path, 'mine.jsonl');
		writeFileSync(path, Buffer.concat([utf8(rec('a', 'print(\\"naïve\\")')), latin1(rec('b', 'print(\\"café\\")')), utf8(rec('c', 'print(\\"ok\\")'))]));
		const out = await readLabelledFile(path, 'mine');
		expect(out.itemList.map((i) => i.item_id)).toEqual(['mine/a', 'mine/c']);
		expect(out.itemList[0].code).toBe('print("naïve")');
		expect(out.itemList.some((i) => i.code.includes('\uFFFD'))).toBe(false);
		expect(out.problems).toHaveLength(1);
		expect(out.problems[0]).toMatchObject({ line: 2, field: 'code' });
		expect(problemText(out.problems[0])).toMatch(/mine\.jsonl:2: field "code": not UTF-8: byte 0xE9 .*record not imported/);
		expect(out.bad_lines).toBe(1);
		expect(out.problem_counts['(not UTF-8)']).toBe(1);
	});

	it('CSV: the row with the bad byte is listed by its line and field, also across read chunks', async () => {
		const path = join(work.path, 'mine.csv');
		// 18 rows of ~60k characters: the rows after them start beyond the first 1 MiB read
		const filler = Array.from({ length: 18 }, (_, k) => utf8(`f${k},"${'é'.repeat(30000)}${k}",python,CWE-79,vulnerable\n`));
		const rows = [
			utf8('id,code,language,cwe,label\n'),
			...filler,
			utf8('r2,"s = \'€ ok\'",python,CWE-79,secure\n'),
			latin1('r3,"s = \'déjà\'",python,CWE-89,vulnerable\n'),
			utf8('r4,"t = 1",python,CWE-89,secure\n')
		];
		writeFileSync(path, Buffer.concat(rows));
		const out = await readLabelledFile(path, 'mine');
		expect(out.itemList.map((i) => i.item_id)).toEqual([...filler.map((_, k) => `mine/f${k}`), 'mine/r2', 'mine/r4']);
		expect(out.itemList.every((i) => !i.code.includes('\uFFFD'))).toBe(true);
		expect(out.itemList[5].code).toBe(`${'é'.repeat(30000)}5`);
		expect(out.itemList[18].code).toBe("s = '€ ok'");
		expect(out.problems).toEqual([expect.objectContaining({ line: 21, field: 'code', message: expect.stringMatching(/^not UTF-8: byte 0xE9/) })]);
	});

	it('a file wholly in Latin-1 is refused naming the first line and field', async () => {
		const path = join(work.path, 'all.jsonl');
		writeFileSync(path, latin1(rec('a', 'é') + rec('b', 'à')));
		await expect(readLabelledFile(path, 'all')).rejects.toThrow(/all\.jsonl: 2 of 2 record\(s\) are unreadable \(the first: line 1, field code: not UTF-8/);
	});

	it('the decoder: valid UTF-8 exactly, every other byte escaped, sequences cut between chunks joined', () => {
		const text = 'a€😀é\n';
		expect(decodeEscaped(utf8(text))).toBe(text);
		expect(invalidByte(decodeEscaped(utf8(text)))).toBeNull();
		const bad = decodeEscaped(Buffer.from([0x61, 0xe9, 0x62, 0xed, 0xa0, 0x80]));
		expect(invalidByte(bad)).toEqual({ byte: 0xe9, at: 1 });
		expect(bad.slice(2, 3)).toBe('b');
		expect([...bad.slice(3)].map((c) => c.charCodeAt(0) - 0xdc00)).toEqual([0xed, 0xa0, 0x80]);
		const bytes = utf8(text);
		for (let cut = 0; cut <= bytes.length; cut++) {
			const d = new EscapingDecoder();
			expect(d.write(bytes.subarray(0, cut)) + d.write(bytes.subarray(cut)) + d.end()).toBe(text);
		}
		const d = new EscapingDecoder();
		expect(invalidByte(d.write(Buffer.from([0x61, 0xe2, 0x82])) + d.end())).toEqual({ byte: 0xe2, at: 1 });
	});
});
