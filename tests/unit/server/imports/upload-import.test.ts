// The workbench's import (server/imports/upload-import.ts, behind POST /api/imports): the CLI's
// import fixtures (tests/fixtures/import, our own) uploaded as bytes under a browser's file name
// come in as the CLI brings them in, with the CLI's problem lines naming the file as uploaded
// (never a server path); the upload is kept under the data folder's .imports/ so the runs'
// origin holds; hostile input — names with path parts, binary, non-UTF-8, unknown formats, set
// names with slashes, a second import — is refused by name or answered idempotently, and
// nothing already imported is touched by a failing import.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { importUpload, uploadName, UPLOAD_DIR, type LabelledImportAnswer, type RunsImportAnswer, type UploadFolders } from '../../../../src/lib/server/imports/upload-import.ts';
import { HttpError } from '../../../../src/lib/server/http.ts';
import { readRun, readAllRuns } from '../../../../src/lib/runs/run-list.ts';
import { importLabelledSet, loadLabelledSet } from '../../../../src/lib/runs/import/labelled-set.ts';
import { itemsToArrowStream } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';
import { ALL_ITEMS, COMPLETION_ITEMS } from '../../runs/fixtures.ts';

const FIX = resolve(__dirname, '../../../fixtures/import');
const fixture = (name: string) => new Uint8Array(readFileSync(join(FIX, name)));
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let work: { path: string; remove: () => void };
let folders: UploadFolders;

beforeEach(() => {
	work = tempDir('covw-upload-');
	folders = { dataDir: join(work.path, 'datasets'), runsDir: join(work.path, 'runs'), loadItems: async () => ALL_ITEMS };
});
afterEach(() => work.remove());

/** Every file under `dir`, relative, with its text (what "nothing touched" compares, byte for byte). */
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

async function refused(work: Promise<unknown>): Promise<HttpError> {
	const e = await work.then(
		() => null,
		(error: unknown) => error
	);
	expect(e).toBeInstanceOf(HttpError);
	return e as HttpError;
}

describe('runs from an upload', () => {
	it('a promptfoo results.json comes in as the CLI brings it in, its problems named by the uploaded file', async () => {
		const bytes = fixture('promptfoo-results.json');
		const out = (await importUpload(folders, { kind: 'runs', fileName: 'promptfoo-results.json', bytes })) as RunsImportAnswer;
		expect(out).toMatchObject({ kind: 'runs', file: 'promptfoo-results.json', format: 'promptfoo', detected: true, records: 4, imported: 2, already: false, problems_total: 2 });
		expect(out.sha256).toBe(sha(bytes));
		expect(out.problems.map((p) => p.text)).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/^promptfoo-results\.json:67: field "results\.results\[2\]\.vars\.item_id": unknown item id "completion\/seed\/CWE-1\/none\/9"/),
				expect.stringMatching(/^promptfoo-results\.json:87: field "results\.results\[3\]\.response\.output": no text answer/)
			])
		);
		expect(out.problems[0]).toMatchObject({ line: 67, field: expect.stringContaining('results.results[') });
		// No server path in anything the browser gets.
		expect(JSON.stringify(out)).not.toContain(work.path);

		// The runs: a generation run of the provider, a judge run of its assertions; the origin names the upload.
		const gen = out.runs.find((r) => r.kind === 'generation')!;
		expect(gen).toMatchObject({ task: 'completion', rows: 2, written: 2 });
		const genRun = readRun(folders.runsDir, gen.run_id)!;
		expect(genRun.manifest.params).toMatchObject({ imported: { file: 'promptfoo-results.json', sha256: out.sha256, format: 'promptfoo' } });
		expect(genRun.manifest.endpoints).toEqual([]);
		expect(out.runs.find((r) => r.kind === 'judge')).toMatchObject({ who: 'promptfoo/assertions', rows: 2 });
		// The upload is kept (byte for byte) where the origin says, in a folder no table listing reads.
		expect(readFileSync(join(folders.dataDir, UPLOAD_DIR, out.sha256, 'promptfoo-results.json'))).toEqual(Buffer.from(bytes));
	});

	it('the same file again writes nothing and says so; the judge name and format can be given', async () => {
		const bytes = fixture('promptfoo-results.json');
		const first = (await importUpload(folders, { kind: 'runs', fileName: 'promptfoo-results.json', bytes, judgeName: 'sql-check' })) as RunsImportAnswer;
		expect(first.runs.find((r) => r.kind === 'judge')!.who).toBe('promptfoo/sql-check');
		const before = snapshot(work.path);
		const again = (await importUpload(folders, { kind: 'runs', fileName: 'promptfoo-results.json', bytes, judgeName: 'sql-check', format: 'promptfoo' })) as RunsImportAnswer;
		expect(again).toMatchObject({ already: true, detected: false, imported: 2 });
		expect(again.runs.map((r) => r.run_id)).toEqual(first.runs.map((r) => r.run_id));
		expect(again.runs.every((r) => r.written === 0)).toBe(true);
		expect(snapshot(work.path)).toEqual(before);
	});

	it('the same content under another name is imported before: the first runs, nothing written, the new upload not kept', async () => {
		const bytes = fixture('plain-answers.jsonl');
		const first = (await importUpload(folders, { kind: 'runs', fileName: 'plain-answers.jsonl', bytes })) as RunsImportAnswer;
		const before = snapshot(work.path);
		const again = (await importUpload(folders, { kind: 'runs', fileName: 'copy of answers.jsonl', bytes })) as RunsImportAnswer;
		expect(first).toMatchObject({ already: false, imported_as: 'plain-answers.jsonl' });
		expect(again).toMatchObject({ already: true, imported: first.imported, imported_as: 'plain-answers.jsonl' });
		expect(again.runs.map((r) => r.run_id)).toEqual(first.runs.map((r) => r.run_id));
		expect(snapshot(work.path)).toEqual(before);
	});

	it('a JSONL upload with an unparseable line brings in the good lines and names the bad one by the uploaded file', async () => {
		const lines = readFileSync(join(FIX, 'plain-answers.jsonl'), 'utf8').split('\n');
		lines.splice(1, 0, '{"item_id": "completion/seed/CWE-89/demo/0", "mod');
		const out = (await importUpload(folders, { kind: 'runs', fileName: 'mine.jsonl', bytes: new TextEncoder().encode(lines.join('\n')) })) as RunsImportAnswer;
		expect(out).toMatchObject({ format: 'plain', records: 5, imported: 2, problems_total: 3 });
		expect(out.problems[0]).toMatchObject({ line: 2, field: null, text: expect.stringMatching(/^mine\.jsonl:2: invalid JSON .*; line not imported$/) });
		expect(JSON.stringify(out)).not.toContain(work.path);
	});

	it('plain JSONL and CSV, an Inspect log, and released results (task folder given) come in', async () => {
		const jsonl = (await importUpload(folders, { kind: 'runs', fileName: 'plain-answers.jsonl', bytes: fixture('plain-answers.jsonl') })) as RunsImportAnswer;
		expect(jsonl.format).toBe('plain');
		expect(jsonl.imported).toBeGreaterThan(0);
		const csv = (await importUpload(folders, { kind: 'runs', fileName: 'plain-answers.csv', bytes: fixture('plain-answers.csv') })) as RunsImportAnswer;
		expect(csv.format).toBe('plain');
		expect(csv.imported).toBeGreaterThan(0);
		const inspect = (await importUpload(folders, { kind: 'runs', fileName: 'inspect-log.json', bytes: fixture('inspect-log.json') })) as RunsImportAnswer;
		expect(inspect).toMatchObject({ format: 'inspect', records: 3, imported: 2 });

		const released = fixture('released/code_completion/demo-model.json');
		const r = (await importUpload(folders, { kind: 'runs', fileName: 'demo-model.json', bytes: released, task: 'completion' })) as RunsImportAnswer;
		expect(r).toMatchObject({ format: 'coveval-released', records: 6, imported: 4, problems_total: 3 });
		const judge = readRun(folders.runsDir, r.runs.find((x) => x.kind === 'judge')!.run_id)!;
		// The task folder kept beside the upload gives GPT-4o's verdicts the template the CLI gives them.
		expect(judge.manifest.params).toMatchObject({ judge: 'openai/gpt-4o · harness reading', template: 'fewshot' });
		expect(existsSync(join(folders.dataDir, UPLOAD_DIR, r.sha256, 'code_completion', 'demo-model.json'))).toBe(true);
		expect(readRun(folders.runsDir, r.runs[0].run_id)!.manifest.params).toMatchObject({ model: 'demo-model' });
	});

	it('a file name with path parts is cut to its last part; nothing is written outside .imports', async () => {
		const out = (await importUpload(folders, { kind: 'runs', fileName: '../../../etc/cron.d/my answers;rm -rf.jsonl', bytes: fixture('plain-answers.jsonl') })) as RunsImportAnswer;
		expect(out.file).toBe('my_answers_rm_-rf.jsonl');
		expect(readdirSync(work.path).sort()).toEqual(['datasets', 'runs']);
		expect(readdirSync(folders.dataDir)).toEqual([UPLOAD_DIR]);
		expect(readdirSync(join(folders.dataDir, UPLOAD_DIR, out.sha256))).toEqual(['my_answers_rm_-rf.jsonl']);
		expect(uploadName('C:\\Users\\me\\results.json')).toBe('results.json');
		expect(uploadName('.hidden.csv')).toBe('hidden.csv');
		for (const bad of ['..', '/', '../..', '...', '']) expect(() => uploadName(bad)).toThrow(/no usable name/);
	});

	it('binary, non-UTF-8, empty and unknown-format files are refused by name, and nothing already imported is touched', async () => {
		await importUpload(folders, { kind: 'runs', fileName: 'promptfoo-results.json', bytes: fixture('promptfoo-results.json') });
		const before = snapshot(work.path);
		const binary = await refused(importUpload(folders, { kind: 'runs', fileName: 'x.jsonl', bytes: new Uint8Array([0x7b, 0x00, 0x01, 0x02, 0x7d]) }));
		expect(binary).toMatchObject({ status: 422, message: expect.stringMatching(/^x\.jsonl: a binary file/) });
		const latin1 = await refused(importUpload(folders, { kind: 'runs', fileName: 'x.csv', bytes: new Uint8Array([0x69, 0x64, 0x0a, 0xe9, 0x0a]) }));
		// runs from a file that is not UTF-8 are refused, naming the line
		expect(latin1).toMatchObject({ status: 422, message: expect.stringMatching(/^x\.csv:2: not UTF-8 text \(byte 0xE9 at character 1/) });
		const empty = await refused(importUpload(folders, { kind: 'runs', fileName: 'x.json', bytes: new Uint8Array(0) }));
		expect(empty).toMatchObject({ status: 422, message: 'x.json: the file is empty' });
		const unknown = await refused(importUpload(folders, { kind: 'runs', fileName: 'unknown-format.json', bytes: fixture('unknown-format.json') }));
		expect(unknown.status).toBe(422);
		expect(unknown.message).toMatch(/^unknown-format\.json:\d+: not a format covw import reads/);
		expect(unknown.message).not.toContain(work.path);
		const malformed = await refused(importUpload(folders, { kind: 'runs', fileName: 'broken.jsonl', bytes: new TextEncoder().encode('{"item_id": "a",\n') }));
		expect(malformed.status).toBe(422);
		expect(malformed.message).toMatch(/broken\.jsonl/);
		// A format given that the file is not: refused by name, not a crash.
		const forced = await refused(importUpload(folders, { kind: 'runs', fileName: 'plain-answers.jsonl', bytes: fixture('plain-answers.jsonl'), format: 'promptfoo' }));
		expect(forced).toMatchObject({ status: 422, message: expect.stringMatching(/plain-answers\.jsonl: not a promptfoo results\.json .*given as promptfoo/) });
		// None of the failed uploads was kept; the earlier import is as it was.
		expect(snapshot(work.path)).toEqual(before);
	});

	it('no benchmark items: a clear refusal that says how to get them, and nothing kept', async () => {
		const bare = { dataDir: folders.dataDir, runsDir: folders.runsDir };
		const e = await refused(importUpload(bare, { kind: 'runs', fileName: 'plain-answers.jsonl', bytes: fixture('plain-answers.jsonl') }));
		expect(e).toMatchObject({ status: 409, message: expect.stringMatching(/covw data import/) });
		expect(existsSync(join(folders.dataDir, UPLOAD_DIR))).toBe(false);
		// With the benchmark's items table in the data folder, the same upload matches against it.
		mkdirSync(join(folders.dataDir, 'coveval'), { recursive: true });
		writeFileSync(join(folders.dataDir, 'coveval', 'items.arrow'), itemsToArrowStream(COMPLETION_ITEMS));
		const out = (await importUpload(bare, { kind: 'runs', fileName: 'plain-answers.jsonl', bytes: fixture('plain-answers.jsonl') })) as RunsImportAnswer;
		expect(out.imported).toBeGreaterThan(0);
		expect(readAllRuns(folders.runsDir).length).toBeGreaterThan(0);
	});

	it('a file from which nothing matches: every record listed, no run, the upload not kept', async () => {
		const bytes = new TextEncoder().encode('{"item_id": "completion/none/0", "model": "m", "response": "x = 1"}\n{"model": "m", "response": "y"}\n');
		const out = (await importUpload(folders, { kind: 'runs', fileName: 'nothing.jsonl', bytes })) as RunsImportAnswer;
		expect(out).toMatchObject({ records: 2, imported: 0, runs: [], already: false, problems_total: 2 });
		// In line order.
		expect(out.problems.map((p) => p.text)).toEqual([
			expect.stringMatching(/^nothing\.jsonl:1: field "item_id": unknown item id "completion\/none\/0"/),
			'nothing.jsonl:2: field "item_id": missing or empty; record not imported'
		]);
		expect(existsSync(join(folders.dataDir, UPLOAD_DIR, out.sha256))).toBe(false);
		expect(existsSync(folders.runsDir) ? readdirSync(folders.runsDir) : []).toEqual([]);
	});

	it('the judge name for promptfoo is checked before anything is written', async () => {
		const e = await refused(importUpload(folders, { kind: 'runs', fileName: 'promptfoo-results.json', bytes: fixture('promptfoo-results.json'), judgeName: '../x' }));
		expect(e.status).toBe(400);
		expect(existsSync(work.path + '/datasets')).toBe(false);
	});
});

/** A Big-Vul CSV of our own: a fixed C function (two programs), an unchanged one (one), a C++ fix (two, unsupported). */
const BIGVUL = [
	',CVE ID,CWE ID,codeLink,commit_id,func_after,func_before,lang,project,vul',
	'0,CVE-1,CWE-787,l,c1,"int f(char *b) { b[0] = 0; return 0; }","int f(char *b) { b[9] = 0; return 0; }",C,p,1',
	'1,CVE-1,CWE-787,l,c1,"int g(void) { return 1; }","int g(void) { return 1; }",C,p,0',
	'2,CVE-2,CWE-416,l,c2,"void q() { delete p; p = 0; }","void q() { delete p; p->f(); }",C++,p,1'
].join('\n') + '\n';

describe('a labelled set from an upload', () => {
	it('comes in as the CLI brings it in, with its counts and the CLI problem lines', async () => {
		const out = (await importUpload(folders, { kind: 'labelled', fileName: 'labelled.jsonl', bytes: fixture('labelled.jsonl'), setName: 'mine' })) as LabelledImportAnswer;
		expect(out).toMatchObject({ kind: 'labelled', set: 'mine', file: 'labelled.jsonl', written: true, records: 9, items: 6, vulnerable: 3, secure: 3, pairs: 3, unsupported: { 'c++': 1 }, problems_total: 2 });
		expect(out.problems.map((p) => p.text)).toEqual([
			expect.stringMatching(/^labelled\.jsonl:8: field "label": must be "vulnerable" or "secure", got "maybe"/),
			expect.stringMatching(/^labelled\.jsonl:9: field "code": missing or empty for empty-1/)
		]);
		expect((await loadLabelledSet(folders.dataDir, 'mine'))!.items).toHaveLength(6);
		const again = (await importUpload(folders, { kind: 'labelled', fileName: 'labelled.jsonl', bytes: fixture('labelled.jsonl'), setName: 'mine' })) as LabelledImportAnswer;
		expect(again.written).toBe(false);
	});

	it('a record that is not UTF-8 is a listed problem naming line and field; the rest come in unaltered (as the CLI)', async () => {
		const rec = (id: string, code: string) => `{"id": "${id}", "cwe": "CWE-79", "language": "python", "label": "secure", "code": "${code}"}\n`;
		const bytes = new Uint8Array(Buffer.concat([Buffer.from(rec('a', 'x = 1'), 'utf8'), Buffer.from(rec('b', 'y = \'café\''), 'latin1'), Buffer.from(rec('c', 'z = \'été\''), 'utf8')]));
		const out = (await importUpload(folders, { kind: 'labelled', fileName: 'mine.jsonl', bytes, setName: 'mine' })) as LabelledImportAnswer;
		expect(out).toMatchObject({ written: true, records: 3, bad_lines: 1, items: 2, problems_total: 1 });
		expect(out.problems[0]).toMatchObject({ line: 2, field: 'code', text: expect.stringMatching(/^mine\.jsonl:2: field "code": not UTF-8: byte 0xE9/) });
		expect((await loadLabelledSet(folders.dataDir, 'mine'))!.items.map((i) => i.code)).toEqual(['x = 1', "z = 'été'"]);
	});

	it('counts programs, not records (a Big-Vul row holds two), and gives the CLI counts line', async () => {
		const bytes = new TextEncoder().encode(BIGVUL);
		const out = (await importUpload(folders, { kind: 'labelled', fileName: 'bigvul.csv', bytes, setName: 'bigvul' })) as LabelledImportAnswer;
		expect(out).toMatchObject({ records: 3, programs: 5, items: 3, unsupported: { 'c++': 2 }, not_imported: {} });
		expect(out.counts[0]).toBe('counts: 3 record(s) holding 5 program(s) = 3 imported + 2 unsupported (c++ 2) + 0 not imported');
	});

	it('a file the CLI imported before (same sha256) is that set again under any name: no second set', async () => {
		const path = join(work.path, 'own.csv');
		writeFileSync(path, BIGVUL);
		await importLabelledSet({ dataDir: folders.dataDir, path, name: 'own' });
		const before = snapshot(work.path);
		const out = (await importUpload(folders, { kind: 'labelled', fileName: 'own.csv', bytes: new TextEncoder().encode(BIGVUL), setName: 'own-orig' })) as LabelledImportAnswer;
		expect(out).toMatchObject({ set: 'own', written: false, imported_as: 'own', items: 3, programs: 5 });
		expect(await loadLabelledSet(folders.dataDir, 'own-orig')).toBeNull();
		// nothing written, the upload not kept
		expect(snapshot(work.path)).toEqual(before);
		// the name it was imported under: no note
		const same = (await importUpload(folders, { kind: 'labelled', fileName: 'own.csv', bytes: new TextEncoder().encode(BIGVUL), setName: 'own' })) as LabelledImportAnswer;
		expect(same).toMatchObject({ set: 'own', written: false, imported_as: null });
	});

	it('a set name with slashes or a benchmark set name is refused; an existing set of another file is never overwritten', async () => {
		for (const bad of ['../mine', 'a/b', 'seed', '']) {
			const e = await refused(importUpload(folders, { kind: 'labelled', fileName: 'labelled.jsonl', bytes: fixture('labelled.jsonl'), setName: bad }));
			expect(e.status).toBe(400);
		}
		expect(existsSync(folders.dataDir)).toBe(false);
		await importUpload(folders, { kind: 'labelled', fileName: 'labelled.jsonl', bytes: fixture('labelled.jsonl'), setName: 'mine' });
		const before = snapshot(work.path);
		const other = new TextEncoder().encode('{"id": "x", "code": "int main(void) { return 0; }", "language": "c", "cwe": "CWE-476", "label": "secure"}\n');
		const e = await refused(importUpload(folders, { kind: 'labelled', fileName: 'other.jsonl', bytes: other, setName: 'mine' }));
		expect(e).toMatchObject({ status: 422, message: expect.stringMatching(/labelled set "mine" exists already .*not overwritten/) });
		expect(snapshot(work.path)).toEqual(before);
	});
});

// The real released results (../shared/coveval, read at run time, never copied): an upload makes
// the very runs `covw import` makes from the same file, so importing it both ways writes once.
const shared = resolve(__dirname, '../../../../../shared/coveval');
const releasedFile = join(shared, 'cov-eval/released_results/code_completion/llama3.1-8b-instruct.json');
const sharedMissing = !existsSync(releasedFile);
if (sharedMissing) console.warn(`skipping the released-results upload test: ${releasedFile} is absent`);

describe.skipIf(sharedMissing)('a released results file from ../shared, uploaded', () => {
	it('makes the runs the CLI makes (same ids, nothing written twice), GPT-4o verdicts with their template', async () => {
		const { loadItemsFromFolder } = await import('../../../../src/lib/node/coveval/load-items.ts');
		const { importRuns } = await import('../../../../src/lib/runs/import/import-runs.ts');
		const items = (await loadItemsFromFolder(shared)).items;
		const cli = await importRuns({ runsDir: folders.runsDir, path: releasedFile, items, onWarning: () => {} });
		const up = (await importUpload({ ...folders, loadItems: async () => items }, { kind: 'runs', fileName: 'llama3.1-8b-instruct.json', bytes: new Uint8Array(readFileSync(releasedFile)), task: 'completion' })) as RunsImportAnswer;
		expect(up).toMatchObject({ format: 'coveval-released', records: 54, imported: 54, problems_total: 2, already: true, sha256: cli.sha256 });
		expect(up.runs.map((r) => r.run_id)).toEqual(cli.runs.map((r) => r.run_id));
		// Two judges: GPT-4o's answers read strictly (its 2 cut-off answers are the 2 problems) and the harness reading.
		expect(readRun(folders.runsDir, up.runs.find((r) => r.who === 'openai/gpt-4o')!.run_id)!.manifest.params).toMatchObject({ judge: 'openai/gpt-4o', template: 'fewshot' });
		expect(readRun(folders.runsDir, up.runs.find((r) => r.who === 'openai/gpt-4o · harness reading')!.run_id)!.manifest.params).toMatchObject({ judge: 'openai/gpt-4o · harness reading', template: 'fewshot' });
	}, 60_000);
});
