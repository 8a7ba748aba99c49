// The runs list's "what" column: every run kind is named — evolve and its filter steps too (they
// carry no task, and showed as "? · model").
import { describe, expect, it } from 'vitest';
import { drainedReplicaWarnings, runIdPieces, runWhat, shortRunId } from '../../../src/lib/workbench/runs/run-format.ts';

const run = (kind: string, p: { task?: string; model?: string; judge?: string; source_run?: string } = {}) => ({ kind, task: p.task ?? null, model: p.model ?? null, judge: p.judge ?? null, source_run: p.source_run ?? null });

describe('runWhat', () => {
	it('names evolve runs and each evolve step by what it is', () => {
		expect(runWhat(run('evolve', { model: 'local/m' }))).toBe('evolve (new scenarios from seeds) · local/m');
		expect(runWhat(run('evolve-realise', { model: 'local/m' }))).toBe('evolve step: realisable filter · local/m');
		expect(runWhat(run('evolve-induce', { model: 'local/m' }))).toBe('evolve step: induces-CWE filter · local/m');
		expect(runWhat(run('evolve-secure', { model: 'local/m' }))).toBe('evolve step: already-secure filter · local/m');
		for (const kind of ['evolve', 'evolve-realise', 'evolve-induce', 'evolve-secure', 'something-new']) expect(runWhat(run(kind, { model: 'm' }))).not.toContain('?');
	});

	it('keeps generation and judge runs as they were', () => {
		expect(runWhat(run('generation', { task: 'completion', model: 'm' }))).toBe('completion · m');
		expect(runWhat(run('judge', { judge: 'rules', source_run: 'gen-1' }))).toBe('judge · rules over run gen-1');
		expect(runWhat(run('judge', { judge: 'bandit' }))).toBe('judge · bandit on items');
	});

	it('names the item set a judge run of items judges (a labelled set too)', () => {
		expect(runWhat({ ...run('judge', { judge: 'rules' }), item_set: 'own' })).toBe('judge · rules on own');
		expect(runWhat({ ...run('judge', { judge: 'gcc' }), item_set: 'pearce' })).toBe('judge · gcc on pearce');
	});
});

describe('drainedReplicaWarnings', () => {
	const sessions = ['2026-11-01T10:00:00.000Z', '2026-11-02T09:30:12.345Z'];
	it('says which replica of which endpoint, in which session, why, and what it cost', () => {
		const lines = drainedReplicaWarnings(
			[
				{ endpoint: 'farm', url: 'http://a:8000/v1', failures: 3, drains: 1, last_error: 'Connection error.', session: sessions[0] },
				{ endpoint: 'farm', url: 'http://b:8000/v1', failures: 7, drains: 2, last_error: null, session: sessions[1] }
			],
			sessions
		);
		expect(lines).toEqual([
			'replica http://a:8000/v1 of endpoint "farm" was drained once in session 1 of 2 (started 2026-11-01 10:00 UTC) after 3 failed attempts; its requests went to the endpoint\'s other replicas meanwhile — last failure: Connection error.',
			'replica http://b:8000/v1 of endpoint "farm" was drained 2× in session 2 of 2 (started 2026-11-02 09:30 UTC) after 7 failed attempts; its requests went to the endpoint\'s other replicas meanwhile'
		]);
	});
	it('reads manifests written before drains named their session, and runs without any', () => {
		expect(drainedReplicaWarnings([{ endpoint: 'e', url: 'http://c/v1', failures: 1, drains: 1, last_error: 'timeout' }], sessions)[0]).toContain('drained once in its latest session after 1 failed attempt;');
		expect(drainedReplicaWarnings(undefined)).toEqual([]);
	});
});

describe('shortRunId', () => {
	it('keeps short ids, and shortens long ones in the middle, keeping the start and the telling end', () => {
		expect(shortRunId('gen-repair-m3')).toBe('gen-repair-m3');
		const long = 'import-released-outputs-codellama-13b-instruct-hf-completion-0123456789abcdef';
		const short = shortRunId(long);
		expect(short.length).toBe(34);
		expect(short).toBe('import-released-output…56789abcdef');
		expect(short.startsWith(long.slice(0, 10))).toBe(true);
		expect(short.endsWith(long.slice(-8))).toBe(true);
		expect(shortRunId('x'.repeat(34))).toBe('x'.repeat(34));
	});
});

describe('judge runs over different runs read apart (/runs "what" column)', () => {
	it('says the model and task of the run each judges, found among the listed runs', () => {
		const listed = new Map([
			['gen-a', run('generation', { task: 'completion', model: 'double/gpt-4o' })],
			['gen-b', run('generation', { task: 'completion', model: 'double/llama-3-8b' })],
			['judge-c', run('judge', { judge: 'double/gpt-4o', source_run: 'gen-a' })]
		]);
		const of = (id: string) => listed.get(id);
		expect(runWhat(run('judge', { judge: 'rules', source_run: 'gen-a' }), of)).toBe('judge · rules over double/gpt-4o completion');
		expect(runWhat(run('judge', { judge: 'rules', source_run: 'gen-b' }), of)).toBe('judge · rules over double/llama-3-8b completion');
		expect(runWhat(run('judge', { judge: 'parser', source_run: 'judge-c' }), of)).toBe('judge · parser over double/gpt-4o verdicts');
		expect(runWhat(run('judge', { judge: 'rules', source_run: 'gen-gone' }), of)).toBe('judge · rules over run gen-gone');
	});

	it('ids are shown whole, in pieces that break only after a dash or underscore', () => {
		const id = 'judge-rules-gen-completion-double_qwen-7b-b5651bed0f-d716ebe6c3';
		const pieces = runIdPieces(id);
		expect(pieces.join('')).toBe(id);
		expect(pieces).toEqual(['judge-', 'rules-', 'gen-', 'completion-', 'double_', 'qwen-', '7b-', 'b5651bed0f-', 'd716ebe6c3']);
		expect(runIdPieces('plain')).toEqual(['plain']);
	});
});
