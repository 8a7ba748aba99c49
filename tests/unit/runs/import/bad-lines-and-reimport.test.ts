// covw import's answers to the new-user trial: a JSON Lines file with a few unparseable lines
// brings in its good lines and lists each bad one with file and line (runs and labelled sets,
// detected or with the format given; a file where nothing parses is still refused by name);
// the same content under another file name is "imported before" and writes nothing; and a
// re-import that writes nothing leaves the run folders byte-identical.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ImportError, importRuns } from '../../../../src/lib/runs/import/import-runs.ts';
import { importLabelledSet } from '../../../../src/lib/runs/import/labelled-set.ts';
import { problemText } from '../../../../src/lib/runs/import/types.ts';
import { readRun } from '../../../../src/lib/runs/run-list.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';
import { ALL_ITEMS } from '../fixtures.ts';

const FIX = resolve(__dirname, '../../../fixtures/import');
const quiet = () => {};
let work: { path: string; remove: () => void };
let runsDir: string;

beforeEach(() => {
	work = tempDir('covw-importfix-');
	runsDir = join(work.path, 'runs');
});
afterEach(() => work.remove());

/** The fixture's lines with `bad` inserted before line `at` (1-based), written under `name`. */
function withBadLine(fixture: string, name: string, at: number, bad: string): string {
	const lines = readFileSync(join(FIX, fixture), 'utf8').split('\n');
	lines.splice(at - 1, 0, bad);
	const path = join(work.path, name);
	writeFileSync(path, lines.join('\n'));
	return path;
}

/** Every file under dir (relative path → bytes as text). */
function snapshot(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	const walk = (d: string, rel: string) => {
		if (!existsSync(d)) return;
		for (const e of readdirSync(d, { withFileTypes: true })) {
			if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
			else out[`${rel}${e.name}`] = readFileSync(join(d, e.name), 'utf8');
		}
	};
	walk(dir, '');
	return out;
}

describe('a JSON Lines file with unparseable lines', () => {
	for (const format of [undefined, 'plain'] as const) {
		it(`imports the good lines and lists each bad one by line (format ${format ?? 'detected'})`, async () => {
			const path = withBadLine('plain-answers.jsonl', 'plain.jsonl', 1, '{"item_id": "completion/seed/CWE-89/demo/0", "model": "my-m');
			const r = await importRuns({ runsDir, path, items: ALL_ITEMS, format, onWarning: quiet });
			expect(r).toMatchObject({ format: 'plain', records: 5, imported: 2 });
			const text = r.problems.map(problemText);
			expect(text[0]).toMatch(/plain\.jsonl:1: invalid JSON \(.*\); line not imported/);
			expect(text.slice(1)).toEqual([
				expect.stringMatching(/plain\.jsonl:4: field "response": missing/),
				expect.stringMatching(/plain\.jsonl:5: field "item_id": unknown item id/)
			]);
			expect(readRun(runsDir, r.runs[0].run_id)!.rows).toHaveLength(2);
		});
	}

	it('a line that is JSON but not an object is listed too, and a file where nothing parses is refused by name', async () => {
		const path = withBadLine('plain-answers.jsonl', 'odd.jsonl', 3, '[1, 2]');
		const r = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		expect(r.problems.map(problemText)[0]).toMatch(/odd\.jsonl:3: not a JSON object; line not imported/);
		expect(r.imported).toBe(2);
		const junk = join(work.path, 'junk.jsonl');
		writeFileSync(junk, 'this is not json\nnor is this\n{"item_id": "x", "model": "m", "response": "r"}\n');
		await expect(importRuns({ runsDir, path: junk, items: ALL_ITEMS, onWarning: quiet })).rejects.toThrow(/junk\.jsonl:1: invalid JSON.*not a CSV, JSON Lines or JSON file/);
		await expect(importRuns({ runsDir, path: junk, items: ALL_ITEMS, format: 'plain', onWarning: quiet })).rejects.toBeInstanceOf(ImportError);
	});

	it('a CSV row with the wrong number of fields is listed by line; the whole rows come in', async () => {
		const path = join(work.path, 'answers.csv');
		writeFileSync(path, readFileSync(join(FIX, 'plain-answers.csv'), 'utf8').replace(/\n?$/, '\ncompletion/seed/CWE-89/demo/0,my-model\n'));
		const r = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		expect(r).toMatchObject({ format: 'plain', records: 3, imported: 1 });
		// In line order: the bad sample (line 4) before the short row (line 7).
		expect(r.problems.map((p) => p.line)).toEqual([4, 7]);
		expect(r.problems.map(problemText)[1]).toMatch(/answers\.csv:7: 2 field\(s\) where the header has 6; row not imported/);
		const broken = join(work.path, 'broken.csv');
		writeFileSync(broken, 'item_id,model,response\na,b\nc\n');
		await expect(importRuns({ runsDir, path: broken, items: ALL_ITEMS, onWarning: quiet })).rejects.toThrow(/broken\.csv:2: 2 field\(s\) where the header has 3 \(not a CSV/);
	});

	it('detection reads the shape most records have, not only the first', async () => {
		const path = withBadLine('plain-answers.jsonl', 'first-odd.jsonl', 1, '{"note": "exported by my script"}');
		const r = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		expect(r.format).toBe('plain');
		expect(r.problems.map(problemText)[0]).toMatch(/first-odd\.jsonl:1: field "item_id": missing/);
	});

	it('a labelled set with a bad line keeps its good programs and lists the line', async () => {
		const path = withBadLine('labelled.jsonl', 'mine.jsonl', 2, '{"id": "broken", "code": "x');
		const out = await importLabelledSet({ dataDir: join(work.path, 'data'), path, name: 'mine' });
		expect(out.written).toBe(true);
		const clean = await importLabelledSet({ dataDir: join(work.path, 'data2'), path: join(FIX, 'labelled.jsonl'), name: 'mine' });
		expect(out.meta.items).toBe(clean.meta.items);
		expect(out.meta.records).toBe(clean.meta.records + 1);
		expect(out.meta.problems.map(problemText)[0]).toMatch(/mine\.jsonl:2: invalid JSON/);
	});
});

describe('importing the same content again', () => {
	it('under another name is "imported before": the same runs, nothing written, the folders byte-identical', async () => {
		const first = await importRuns({ runsDir, path: join(FIX, 'plain-answers.jsonl'), items: ALL_ITEMS, onWarning: quiet });
		expect(first.runs.every((r) => r.written > 0)).toBe(true);
		expect(first.imported_as).toBe('plain-answers.jsonl');
		const before = snapshot(runsDir);
		const renamed = join(work.path, 'renamed.jsonl');
		copyFileSync(join(FIX, 'plain-answers.jsonl'), renamed);
		const again = await importRuns({ runsDir, path: renamed, items: ALL_ITEMS, onWarning: quiet });
		expect(again.imported_as).toBe('plain-answers.jsonl');
		expect(again.runs.map((r) => [r.run_id, r.rows, r.written])).toEqual(first.runs.map((r) => [r.run_id, r.rows, 0]));
		expect(readdirSync(runsDir)).toEqual(Object.keys(before).map((k) => k.split('/')[0]).filter((d, i, a) => a.indexOf(d) === i));
		expect(snapshot(runsDir)).toEqual(before);
	});

	it('under the same name leaves every manifest byte-identical (no new session, same finish time) — judge runs too', async () => {
		const path = join(FIX, 'released/code_completion/demo-model.json');
		const first = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		expect(first.runs.map((r) => r.kind)).toEqual(['generation', 'judge']);
		const before = snapshot(runsDir);
		await new Promise((r) => setTimeout(r, 5)); // a rewritten manifest would carry a later time
		const again = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		expect(again.runs.every((r) => r.written === 0)).toBe(true);
		expect(snapshot(runsDir)).toEqual(before);
	});

	it('a detection file imported again leaves its parser run untouched too', async () => {
		const path = join(FIX, 'released/vulnerability_detection_classification/demo-model.json');
		const first = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		expect(first.runs.some((r) => r.who === 'parser')).toBe(true);
		await new Promise((r) => setTimeout(r, 5));
		const before = snapshot(runsDir);
		const again = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		expect(again.runs.map((r) => r.run_id)).toEqual(first.runs.map((r) => r.run_id));
		expect(again.runs.every((r) => r.written === 0)).toBe(true);
		expect(snapshot(runsDir)).toEqual(before);
		// Released results take the model from the file name: a copy under another name is still the earlier import.
		const copy = join(work.path, 'vulnerability_detection_classification', 'other-name.json');
		mkdirSync(join(work.path, 'vulnerability_detection_classification'));
		copyFileSync(path, copy);
		const renamed = await importRuns({ runsDir, path: copy, items: ALL_ITEMS, onWarning: quiet });
		expect(renamed).toMatchObject({ imported_as: 'demo-model.json', imported: first.imported, records: first.records });
		expect(renamed.runs).toEqual(first.runs.map((r) => ({ ...r, written: 0 })));
		expect(snapshot(runsDir)).toEqual(before);
	});

	it('changed content under the old name still makes new runs beside the old ones', async () => {
		const path = join(work.path, 'answers.jsonl');
		copyFileSync(join(FIX, 'plain-answers.jsonl'), path);
		const first = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		writeFileSync(path, readFileSync(path, 'utf8').replace('answer 3a684ed372ac', 'another answer'));
		const second = await importRuns({ runsDir, path, items: ALL_ITEMS, onWarning: quiet });
		expect(second.runs[0].run_id).not.toBe(first.runs[0].run_id);
		expect(second.runs[0].written).toBe(2);
	});
});
