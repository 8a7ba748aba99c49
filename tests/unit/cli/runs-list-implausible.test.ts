// `covw runs` (the list) says which runs' usage is implausible, in the words /runs and `covw runs
// show` use, under its table and in --json: a finished run from its compacted file's summary
// (no log read), a run still going from its rows. An ensemble's cost is its member runs', so a
// member's implausible rows flag the ensemble too — in the list, `covw runs show` and the run
// overview the pages use.
import { appendFileSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runsListCommand, runsShowCommand } from '../../../src/cli/commands/runs.ts';
import { compactRun, LOG_BYTES_KEY as ENGINE_LOG_BYTES_KEY, SUMMARY_KEY as ENGINE_SUMMARY_KEY } from '../../../src/lib/engine/compact-run.ts';
import { rowToLine } from '../../../src/lib/engine/run-log.ts';
import type { ResultRow } from '../../../src/lib/engine/types.ts';
import { compactedUsageImplausible, LOG_BYTES_KEY, SUMMARY_KEY } from '../../../src/lib/runs/compacted-summary.ts';
import { readRun } from '../../../src/lib/runs/run-list.ts';
import { overviewOf, rowTokens } from '../../../src/lib/runs/run-overview.ts';
import { usageImplausibleRows } from '../../../src/lib/engine/types.ts';
import { tempDir } from '../../support/engine-fixtures.ts';
import { fakeContext } from './fake-context.ts';

let work: ReturnType<typeof tempDir>;
let runsDir: string;
beforeEach(() => {
	work = tempDir('covw-runs-implausible-');
	runsDir = join(work.path, 'runs');
});
afterEach(() => work.remove());

function row(unit: string, tokensOut: number): ResultRow {
	return {
		unit_id: unit, sample: 0, status: 'ok', response: 'short answer', error: null, latency_ms: 5, tokens_in: 3, tokens_out: tokensOut,
		cached: false, attempts: 1, finished_at: '2026-01-01T00:00:00.000Z', meta: { item_id: `item-${unit}`, model: 'm', task: 'completion' }
	};
}

const PRICED = [{ name: 'a', models: { m: { prices: { inputPer1M: 2, outputPer1M: 8 } } } }];

function plant(runId: string, rows: ResultRow[], opts: { kind?: string; state?: string; params?: Record<string, unknown>; started?: number } = {}): string {
	const dir = join(runsDir, runId);
	mkdirSync(dir, { recursive: true });
	const state = opts.state ?? 'completed';
	const ok = rows.length;
	writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
		run_id: runId, kind: opts.kind ?? 'generation', params: opts.params ?? { task: 'completion', model: 'a/m' }, dataset_hash: null, endpoints: PRICED,
		state, started_at: `2026-01-01T00:00:0${opts.started ?? 0}.000Z`, sessions: [], finished_at: state === 'running' ? null : '2026-01-01T00:01:00.000Z',
		counts: { total: ok, ok, error: 0, unparsed: 0, pending: 0, cached: 0 }, tokens: { in: 0, out: 0, cached_in: 0, cached_out: 0 }, cost_usd: null, log_warnings: []
	}));
	// A judge run's rows carry their verdict.
	const logged = opts.kind === 'judge' ? rows.map((r) => ({ ...r, meta: { ...r.meta, vulnerable: false } })) : rows;
	writeFileSync(join(dir, 'log.jsonl'), logged.map(rowToLine).join(''));
	return dir;
}

const env = () => ({ COVW_RUNS: runsDir, COVW_DATA: join(work.path, 'data') });
async function cli(command: typeof runsListCommand, args: string[]): Promise<string> {
	const ctx = fakeContext(args, { root: work.path, cwd: work.path, env: env() });
	expect(await command.run(ctx), ctx.err.join('')).toBe(0);
	return ctx.out.join('');
}

describe('a compacted file\'s summary, read without apache-arrow', () => {
	it('uses the engine\'s metadata keys, and counts only for the log it was made from', () => {
		expect([LOG_BYTES_KEY, SUMMARY_KEY]).toEqual([ENGINE_LOG_BYTES_KEY, ENGINE_SUMMARY_KEY]);
		const dir = plant('gen', [row('a', 90_000), row('b', 4), row('c', 50_000)]);
		expect(compactedUsageImplausible(dir, 'generation')).toBe(null); // no compacted file yet
		compactRun(dir, 'gen');
		expect(compactedUsageImplausible(dir, 'generation')).toBe(2);
		expect(compactedUsageImplausible(dir, 'judge')).toBe(null);
		appendFileSync(join(dir, 'log.jsonl'), rowToLine(row('d', 4)));
		expect(compactedUsageImplausible(dir, 'generation')).toBe(null); // made from another log
	});

	it('is never read through a link', () => {
		const dir = plant('gen', [row('a', 90_000)]);
		compactRun(dir, 'gen');
		const other = plant('linked', [row('a', 90_000)]);
		symlinkSync(join(dir, 'generations.arrow'), join(other, 'generations.arrow'));
		expect(compactedUsageImplausible(other, 'generation')).toBe(null);
	});
});

describe('covw runs (the list)', () => {
	it('notes the runs whose usage is implausible, finished (compacted) or still going, as the other views word it', async () => {
		compactRun(plant('done-bad', [row('a', 90_000), row('b', 70_000)], { started: 1 }), 'done-bad');
		compactRun(plant('done-fine', [row('a', 4)], { started: 2 }), 'done-fine');
		plant('live-bad', [row('a', 90_000)], { state: 'running', started: 3 });
		const text = await cli(runsListCommand, []);
		const notes = text.split('\n').filter((l) => l.includes('usage implausible'));
		expect(notes).toEqual([
			'done-bad: usage implausible on 2 rows: tokens and cost may be inflated (covw runs show done-bad)',
			'live-bad: usage implausible on 1 row: tokens and cost may be inflated (covw runs show live-bad)'
		]);
		const json = JSON.parse(await cli(runsListCommand, ['--json'])) as { run_id: string; usage_implausible_rows: number }[];
		expect(Object.fromEntries(json.map((r) => [r.run_id, r.usage_implausible_rows]))).toEqual({ 'done-bad': 2, 'done-fine': 0, 'live-bad': 1 });
	});

	it('flags an ensemble whose member run\'s usage is implausible: list, show and the pages\' overview', async () => {
		compactRun(plant('gen', [row('u', 4)], { started: 1 }), 'gen');
		const judge = (spec: string) => ({ judge: spec, template: 'zeroshot', source: { run: 'gen' } });
		compactRun(plant('member-1', [row('u', 90_000)], { kind: 'judge', params: judge('a/m'), started: 2 }), 'member-1', 'verdicts.arrow');
		compactRun(plant('member-2', [row('u', 4)], { kind: 'judge', params: judge('a/m'), started: 3 }), 'member-2', 'verdicts.arrow');
		const members = [{ judge: 'a/m', run: 'member-1' }, { judge: 'rules', run: 'member-2' }];
		compactRun(plant('ens', [{ ...row('u', 0), tokens_in: 0, tokens_out: 0 }], { kind: 'judge', params: { ...judge('ensemble:any:a/m+rules'), members }, started: 4 }), 'ens', 'verdicts.arrow');

		const text = await cli(runsListCommand, []);
		expect(text).toContain('ens: usage implausible on 1 row of its member runs: tokens and cost may be inflated (covw runs show ens)');
		const json = JSON.parse(await cli(runsListCommand, ['--json'])) as { run_id: string; usage_implausible_rows: number; cost_usd: number | null }[];
		const ens = json.find((r) => r.run_id === 'ens')!;
		expect(ens.usage_implausible_rows).toBe(1);
		expect(ens.cost_usd).toBeGreaterThan(0);

		const show = await cli(runsShowCommand, ['ens']);
		expect(show).toMatch(/\n {2}usage implausible on 1 row: the endpoint reported more tokens .* \(rows of its member runs\)\n/);
		expect((JSON.parse(await cli(runsShowCommand, ['ens', '--json'])) as { usage_implausible_rows: number }).usage_implausible_rows).toBe(1);

		// The overview /runs, the run page and the run cell show: "(may be inflated)" beside its cost.
		const part = (id: string) => {
			const run = readRun(runsDir, id)!;
			return { manifest: run.manifest, rowTokens: rowTokens(run), usageImplausible: usageImplausibleRows(run.rows) };
		};
		const line = overviewOf(readRun(runsDir, 'ens')!, false, Date.now(), false, part);
		expect(line.cost_usd).toBeGreaterThan(0);
		expect(line.usage_implausible).toBe(1);
	});
});
