// A judge run of carried verdicts written by `covw import` BEFORE the no-code fix (its params
// have no `carried`): its rows on answers with no code say 'ok' with a verdict. The fixture
// (tests/fixtures/import/legacy-carried/, our own four answers: two programs, a refusal, an
// empty answer) is such an import exactly as the pre-fix code (12c22a4) wrote it, with the
// verdicts.arrow the workbench's server compacted next to it. Reading must report those rows
// with their answers' status (no_code), never as verdicts — in the run tables (the page, the
// notebooks), in `covw runs show` and `covw runs`, in the summaries self-correct reads — while
// every file of the saved runs stays byte for byte as it was.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { runsListCommand, runsShowCommand } from '../../../../src/cli/commands/runs.ts';
import { importRuns } from '../../../../src/lib/runs/import/import-runs.ts';
import { isLegacyCarriedRun } from '../../../../src/lib/runs/import/carried-legacy.ts';
import { liveCounts, readRun } from '../../../../src/lib/runs/run-list.ts';
import { RunTableSet, runTablesIPC } from '../../../../src/lib/runs/run-tables.ts';
import { summarizeRun } from '../../../../src/lib/runs/run-summary.ts';
import { runJudge } from '../../../../src/lib/runs/judge-run.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';
import { fakeContext } from '../../cli/fake-context.ts';
import { ALL_ITEMS } from '../fixtures.ts';

const FIXTURE = resolve(__dirname, '../../../fixtures/import/legacy-carried');
const GEN = 'import-completion-old-model-6c3618607a';
const OLD = 'import-judge-old-reviewer-import-completion-old-model-6c3618607a-0e42f1cd5c';

let work: { path: string; remove: () => void };
let runsDir: string;
beforeEach(() => {
	work = tempDir('covw-legacy-carried-');
	runsDir = join(work.path, 'runs');
	cpSync(join(FIXTURE, 'runs'), runsDir, { recursive: true });
});
afterEach(() => work.remove());

/** Every file under the runs folder with its bytes, to show nothing was rewritten. */
function snapshot(dir: string): Record<string, string> {
	const out: Record<string, string> = {};
	for (const run of readdirSync(dir).sort()) {
		for (const f of readdirSync(join(dir, run)).sort()) out[`${run}/${f}`] = readFileSync(join(dir, run, f)).toString('base64');
	}
	return out;
}

const noCodeTargets = () => new Set(readRun(runsDir, GEN)!.rows.filter((g) => g.status === 'no_code').map((g) => g.unit_id));

describe('an import made before carried verdicts kept code-less answers from verdicts', () => {
	it('the fixture is what the old import wrote: ok verdicts on the two answers with no code', () => {
		const manifest = JSON.parse(readFileSync(join(runsDir, OLD, 'manifest.json'), 'utf8'));
		expect(manifest.params.carried).toBeUndefined();
		expect(manifest.counts).toMatchObject({ ok: 4 });
		const noCode = noCodeTargets();
		expect(noCode.size).toBe(2);
		const logged = readFileSync(join(runsDir, OLD, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(logged.filter((r) => noCode.has(r.target_id)).every((r) => r.status === 'ok' && typeof r.vulnerable === 'boolean')).toBe(true);
		expect(isLegacyCarriedRun(manifest)).toBe(true);
	});

	it('readRun (covw runs show, self-correct, the run page) reports those rows as no_code, never as verdicts', () => {
		const run = readRun(runsDir, OLD)!;
		expect(liveCounts(run)).toMatchObject({ ok: 2, no_code: 2, error: 0, unparsed: 0 });
		const noCode = noCodeTargets();
		for (const row of run.rows.filter((r) => noCode.has(String(r.meta.target_id)))) {
			expect(row.status).toBe('no_code');
			expect(row.meta.vulnerable).toBeNull();
			expect(row.response).not.toBeNull(); // the carried value stays readable
		}
		// The two programs keep their verdicts.
		expect(run.rows.filter((r) => r.status === 'ok').map((r) => r.meta.vulnerable).sort()).toEqual([false, true]);
		const sr = summarizeRun(run, readRun(runsDir, GEN)).judges[0];
		expect(sr).toMatchObject({ ok: 2 });
		expect(sr.securityRate).toMatchObject({ n_ok: 2, n_no_code: 2 });
	});

	it('the run tables (page and notebooks) show no verdict on an answer with no code, the compacted file notwithstanding', async () => {
		const before = snapshot(runsDir);
		const check = (verdictsIpc: Uint8Array, runsIpc: Uint8Array) => {
			const verdicts = tableFromIPC(verdictsIpc).toArray().map((r) => r.toJSON()).filter((r) => r.run_id === OLD);
			expect(verdicts).toHaveLength(4);
			const onNoCode = verdicts.filter((v) => noCodeTargets().has(String(v.target_id)));
			expect(onNoCode).toHaveLength(2);
			expect(onNoCode.every((v) => v.status === 'no_code' && v.vulnerable === null)).toBe(true);
			const runRow = tableFromIPC(runsIpc).toArray().map((r) => r.toJSON()).find((r) => r.run_id === OLD)!;
			expect(runRow).toMatchObject({ ok: 2, no_code: 2 });
		};
		const once = runTablesIPC(runsDir);
		check(once.verdicts, once.runs);
		// The server's set: compacting, stepping again and again, asked for changes.
		const set = new RunTableSet(runsDir, { compact: true });
		for (let i = 0; i < 4; i++) await set.update();
		check(await set.ipc('verdicts'), set.runsIPC());
		const changes = await set.runChanges('verdicts', OLD, '', 0);
		const changed = tableFromIPC(changes.bytes).toArray().map((r) => r.toJSON());
		expect(changed.filter((v) => v.status === 'ok')).toHaveLength(2);
		expect(set.source(OLD)!.summary).toMatchObject({ ok: 2, no_code: 2 });
		// Nothing on disk changed: no log, manifest or compacted file rewritten.
		expect(snapshot(runsDir)).toEqual(before);
	});

	it('covw runs show and covw runs count them as no code', async () => {
		const root = work.path;
		const show = fakeContext([OLD], { root, cwd: root });
		expect(await runsShowCommand.run(show)).toBe(0);
		const text = show.out.join('');
		expect(text).toContain('units         4: ok 2, error 0, unparsed 0, no code 2');
		const list = fakeContext([], { root, cwd: root });
		expect(await runsListCommand.run(list)).toBe(0);
		const line = list.out.join('').split('\n').find((l) => l.startsWith(OLD))!;
		// ok error unparsed no_code pending
		expect(line.split(/\s+/).slice(4, 9)).toEqual(['2', '0', '0', '2', '0']);
	});

	it('a new import (carried: 2) and a judge run of our own are read as written', async () => {
		const again = await importRuns({ runsDir, path: join(FIXTURE, 'old-answers.csv'), items: ALL_ITEMS, onWarning: () => {} });
		expect(again.stale).toEqual([OLD]);
		const fresh = again.runs.find((r) => r.kind === 'judge')!.run_id;
		expect(isLegacyCarriedRun(readRun(runsDir, fresh)!.manifest)).toBe(false);
		expect(liveCounts(readRun(runsDir, fresh)!)).toMatchObject({ ok: 2, no_code: 2 });
		const rules = await runJudge({ runsDir, judge: 'rules', sourceRunId: GEN, onWarning: () => {} });
		expect(isLegacyCarriedRun(rules.manifest)).toBe(false);
		// The old run reads the same as before the re-import.
		expect(liveCounts(readRun(runsDir, OLD)!)).toMatchObject({ ok: 2, no_code: 2 });
	});
});
