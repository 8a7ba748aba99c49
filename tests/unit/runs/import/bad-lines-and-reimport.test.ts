// covw import's answers to the new-user trial: a JSON Lines file with a few unparseable lines
// brings in its good lines and lists each bad one with file and line (runs and labelled sets,
// detected or with the format given; a file where nothing parses is still refused by name);
// the same content under another file name is "imported before" and writes nothing; and a
// re-import that writes nothing leaves the run folders byte-identical.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
