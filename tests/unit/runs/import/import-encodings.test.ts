// covw import and text encodings (the red-team trial): a UTF-16 CSV was refused as "quote inside
// unquoted field 3"; bytes that are not UTF-8 in an answer silently became U+FFFD (the code
// judged was not the file's); a lone surrogate in a model name (JSON "m\ud800x") became "m�x",
// so two different models merged into one.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImportError, importRuns } from '../../../../src/lib/runs/import/import-runs.ts';
import { hasLoneSurrogate, utf16Kind } from '../../../../src/lib/runs/import/import-text.ts';
import { problemText } from '../../../../src/lib/runs/import/types.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';
import { ALL_ITEMS, COMPLETION_ITEMS } from '../fixtures.ts';

const quiet = () => {};
let work: { path: string; remove: () => void };
let runsDir: string;
beforeEach(() => {
	work = tempDir('covw-encodings-');
	runsDir = join(work.path, 'runs');
});
afterEach(() => work.remove());

const CSV = `item_id,model,response\n${COMPLETION_ITEMS[0].item_id},m,"x = 1"\n${COMPLETION_ITEMS[1].item_id},m,"y = 2"\n`;
const write = (name: string, bytes: Uint8Array | string) => {
	const path = join(work.path, name);
	writeFileSync(path, bytes);
	return path;
};
const utf16 = (text: string, bigEndian: boolean, bom: boolean) => {
	const out: number[] = bom ? (bigEndian ? [0xfe, 0xff] : [0xff, 0xfe]) : [];
	for (const ch of text) {
		const c = ch.charCodeAt(0);
		out.push(...(bigEndian ? [c >> 8, c & 0xff] : [c & 0xff, c >> 8]));
	}
	return Uint8Array.from(out);
};

describe('covw import: encodings', () => {
	it('refuses UTF-16 by name (with or without a byte-order mark), asking for UTF-8', async () => {
		for (const [name, bigEndian, bom] of [['le-bom.csv', false, true], ['be-bom.csv', true, true], ['le.csv', false, false], ['be.jsonl', true, false]] as const) {
			const path = write(name, utf16(CSV, bigEndian, bom));
			const error = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet }).catch((e) => e);
			expect(error).toBeInstanceOf(ImportError);
			expect(error.message).toMatch(new RegExp(`${name.replace('.', '\\.')}: the file is UTF-16 ${bigEndian ? 'big' : 'little'}-endian .*save it as UTF-8`));
		}
		expect(utf16Kind(new TextEncoder().encode(CSV))).toBeNull();
	});

	it('lists each line whose bytes are not UTF-8, with the byte, and still imports the rest', async () => {
		const head = new TextEncoder().encode(`item_id,model,response\n${COMPLETION_ITEMS[0].item_id},m,"x = 1"\n${COMPLETION_ITEMS[1].item_id},m,"s = 'caf`);
		const tail = new TextEncoder().encode(`'"\n`);
		const bytes = Uint8Array.from([...head, 0xe9, ...tail]);
		const path = write('latin1.csv', bytes);
		const r = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		expect(r.imported).toBe(2);
		expect(r.problems.map(problemText)).toEqual([`${path}:3: invalid UTF-8 at byte ${head.length} (0xe9); replaced with U+FFFD, so the text imported differs from the file's`]);
	});

	it('refuses a record whose model (or judge) name holds a lone surrogate: two such models never merge', async () => {
		const line = (i: number, model: string, judge = 'j') => `{"item_id":"${COMPLETION_ITEMS[i].item_id}","model":"${model}","response":"x = ${i}","vulnerable":true,"judge":"${judge}"}`;
		const path = write('surrogates.jsonl', [line(0, 'm\\ud800x'), line(1, 'm\\udfffx'), line(2, 'm\\ud83d\\ude00x'), line(3, 'ok', 'j\\udc00')].join('\n') + '\n');
		const r = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		expect(r.imported).toBe(1);
		expect(r.runs.filter((x) => x.kind === 'generation').map((x) => x.who)).toEqual(['m\u{1F600}x']); // a real pair is text
		expect(r.problems.map(problemText)).toEqual([
			expect.stringMatching(/surrogates\.jsonl:1: field "model": the model name holds a lone surrogate .*record not imported/),
			expect.stringMatching(/surrogates\.jsonl:2: field "model": the model name holds a lone surrogate/),
			expect.stringMatching(/surrogates\.jsonl:4: field "judge": the judge name holds a lone surrogate/)
		]);
		expect(['a\ud800', '\udc00', 'x\ud800\udc00', 'plain'].map(hasLoneSurrogate)).toEqual([true, true, false, false]);
	});
});
