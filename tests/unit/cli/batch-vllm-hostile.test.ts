// A vLLM export run folder from someone else (review10b, the export/import side of
// batch-resume-hostile.test.ts): a units.jsonl with a planted line. `covw batch export` and
// `covw batch import` check it against the manifest as `covw batch resume` does
// (resume-units.ts checkResumeUnits) and refuse by file and line: no input file, no rows, the
// manifest and the batch record as they were. An output line for a unit the list does not hold
// is skipped, never a row.
import { appendFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, testConfig } from '../../support/engine-fixtures.ts';
import { prepareBatchExport } from '../../../src/lib/engine/batch/batch-run.ts';
import { readRunLog } from '../../../src/lib/engine/run-log.ts';
import { batchExportCommand, batchImportCommand } from '../../../src/cli/commands/batch.ts';
import { fakeContext } from './fake-context.ts';
import { resumableParams, resumableUnits } from './batch-resume-fixtures.ts';

let dir: ReturnType<typeof tempDir>;

beforeAll(() => {
	dir = tempDir('covw-batch-vllm-hostile-');
});
afterAll(() => dir.remove());

const runs = () => join(dir.path, 'runs');
const env = () => ({ COVW_RUNS: runs(), COVW_CACHE: join(dir.path, 'cache') });
const batchDir = (runId: string) => join(runs(), runId, 'batch');
const unitsPath = (runId: string) => join(batchDir(runId), 'units.jsonl');
const manifestText = (runId: string) => readFileSync(join(runs(), runId, 'manifest.json'), 'utf8');
const rowsOf = (runId: string) => (existsSync(join(runs(), runId, 'log.jsonl')) ? readRunLog(join(runs(), runId, 'log.jsonl')).rows.length : 0);
/** What the folder holds that an export or import would change. */
const snapshot = (runId: string) => ({ manifest: manifestText(runId), batch: readdirSync(batchDir(runId)).sort(), record: readFileSync(join(batchDir(runId), 'batches.json'), 'utf8'), rows: rowsOf(runId) });

/** A 3-unit vLLM export run as `covw run … --batch-export` leaves it: waiting for its output. */
function exportedRun(runId: string): void {
	const r = prepareBatchExport({ runId, runsDir: runs(), config: testConfig('http://127.0.0.1:9/v1'), units: resumableUnits(3), kind: 'generation', params: resumableParams({ batch: 'vllm' }), cache: null });
	expect(r.exported.lines).toBe(3);
}

/** vLLM's output: an answer for each id. */
function output(ids: string[]): string {
	return ids.map((id, i) => JSON.stringify({
		id: `vllm-${i}`, custom_id: id, error: null,
		response: { status_code: 200, body: { model: 'test-model', choices: [{ index: 0, message: { role: 'assistant', content: `answer ${i}` }, finish_reason: 'stop' }], usage: { prompt_tokens: 5, completion_tokens: 2 } } }
	})).join('\n') + '\n';
}

async function run(command: typeof batchExportCommand, args: string[]): Promise<{ status: number | null; error: string; out: string }> {
	const ctx = fakeContext(args, { root: dir.path, cwd: dir.path, env: env() });
	try {
		const status = await command.run(ctx);
		return { status, error: ctx.err.join(''), out: ctx.out.join('') };
	} catch (e) {
		return { status: null, error: (e as Error).message, out: ctx.out.join('') };
	}
}

const exportTo = (runId: string, out: string) => run(batchExportCommand, [runId, '--vllm', out, '--no-cache']);
const importFrom = (runId: string, file: string) => run(batchImportCommand, [runId, file]);

describe('units.jsonl from someone else: covw batch export and import', () => {
	it('a planted line (another model, max_tokens 100000) is refused by file and line: nothing exported, nothing imported, the folder as it was', async () => {
		const runId = 'vllm-planted';
		exportedRun(runId);
		const lines = readFileSync(unitsPath(runId), 'utf8').split('\n').filter((l) => l);
		const first = JSON.parse(lines[0]);
		const evil = { ...first, id: 'f'.repeat(32), request: { ...first.request, model: 'pricey-model', max_tokens: 100000, messages: [{ role: 'user', content: 'anything' }] } };
		appendFileSync(unitsPath(runId), JSON.stringify(evil) + '\n');
		const before = snapshot(runId);

		const out = join(dir.path, 'planted-in.jsonl');
		const e = await exportTo(runId, out);
		expect(e.status).toBeNull();
		expect(e.error).toContain(`batch export: ${unitsPath(runId)}:4:`);
		expect(e.error).toMatch(/more than the 3|model "local\/pricey-model" is not the run's model "local\/test-model"/);
		expect(e.error).toMatch(/: nothing exported/);
		expect(existsSync(out)).toBe(false);
		expect(snapshot(runId)).toEqual(before);

		// An output answering the run's units and the planted one: refused whole, no row written.
		const file = join(dir.path, 'planted-out.jsonl');
		writeFileSync(file, output([...lines.map((l) => JSON.parse(l).id), evil.id]));
		const i = await importFrom(runId, file);
		expect(i.status).toBeNull();
		expect(i.error).toContain(`batch import: ${unitsPath(runId)}:4:`);
		expect(i.error).toMatch(/: nothing imported/);
		expect(snapshot(runId)).toEqual(before);
		expect(rowsOf(runId)).toBe(0);
	});

	it('each kind of tampering with a line is named by both commands: model, request parameters, id, a repeated unit, one unit too many', async () => {
		const runId = 'vllm-tampered';
		exportedRun(runId);
		const text = readFileSync(unitsPath(runId), 'utf8');
		const lines = text.split('\n').filter((l) => l);
		const second = JSON.parse(lines[1]);
		const file = join(dir.path, 'tampered-out.jsonl');
		writeFileSync(file, output(lines.map((l) => JSON.parse(l).id)));
		for (const [list, why] of [
			[[lines[0], JSON.stringify({ ...second, request: { ...second.request, model: 'pricey-model' } }), lines[2]], /units\.jsonl:2: its model "local\/pricey-model" is not the run's model/],
			[[lines[0], JSON.stringify({ ...second, request: { ...second.request, max_tokens: 100000 } }), lines[2]], /units\.jsonl:2: its request parameters .*max_tokens":100000.* are not the run's/],
			[[lines[0], JSON.stringify({ ...second, request: { ...second.request, messages: [{ role: 'user', content: 'another prompt' }] } }), lines[2]], /units\.jsonl:2: its id .* is not the one its content derives/],
			[[lines[0], lines[0], lines[2]], /units\.jsonl:2: unit .* is listed twice/],
			[[...lines, JSON.stringify(resumableUnits(4)[3])], /units\.jsonl: 4 units, more than the 3 the run's manifest counts/]
		] as const) {
			writeFileSync(unitsPath(runId), list.join('\n') + '\n');
			const before = snapshot(runId);
			const e = await exportTo(runId, join(dir.path, 'tampered-in.jsonl'));
			expect(e.error).toMatch(why);
			const i = await importFrom(runId, file);
			expect(i.error).toMatch(why);
			expect(snapshot(runId)).toEqual(before);
		}
		expect(existsSync(join(dir.path, 'tampered-in.jsonl'))).toBe(false);

		// The untouched list exports and imports: the run completes.
		writeFileSync(unitsPath(runId), text);
		const e = await exportTo(runId, join(dir.path, 'tampered-in.jsonl'));
		expect(e.status, e.error).toBe(0);
		expect(readFileSync(join(dir.path, 'tampered-in.jsonl'), 'utf8').trim().split('\n')).toHaveLength(3);
		const i = await importFrom(runId, file);
		expect(i.status, i.error).toBe(0);
		expect(i.out).toContain('3 row(s) imported');
		expect(JSON.parse(manifestText(runId)).state).toBe('completed');
	});

	it('an output line for a unit the checked list does not hold is skipped by line, never a row', async () => {
		const runId = 'vllm-foreign-line';
		exportedRun(runId);
		const ids = readFileSync(unitsPath(runId), 'utf8').split('\n').filter((l) => l).map((l) => JSON.parse(l).id);
		const file = join(dir.path, 'foreign-out.jsonl');
		writeFileSync(file, output([ids[0], 'f'.repeat(32)]));
		const i = await importFrom(runId, file);
		expect(i.error).toContain(`${file}:2: skipped: custom_id "${'f'.repeat(32)}" is not a unit of this run`);
		expect(i.out).toContain('1 row(s) imported');
		expect(rowsOf(runId)).toBe(1);
	});
});
