// Human acceptance of Vul-Evol survivors, end to end in process against the test double:
// `covw evolve` makes a small run; the labelling API offers its survivors (seed beside the
// evolved scenario, strategy, every filter) and saves accept / reject; running the command
// again builds the set from the annotators' majority (ties and unreviewed ones stay out) with
// the votes in its lineage, and --review off keeps every filter survivor.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evolveCommand } from '../../../../src/cli/commands/evolve.ts';
import { writeItemsArrow } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { runTablesIPC } from '../../../../src/lib/runs/run-tables.ts';
import { Labelling, LabellingInputError } from '../../../../src/lib/server/labels/labelling.ts';
import { EVOLVE_SEEDS } from '../../../fixtures/evolve/seeds.ts';
import { tempDir } from '../../../support/engine-fixtures.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { fakeContext } from '../../cli/fake-context.ts';

const ROOT = resolve(__dirname, '../../../..');
let server: TestServer;
let work: ReturnType<typeof tempDir>;
let itemsFile: string;
let env: Record<string, string>;

beforeAll(async () => {
	server = await startTestServer({ vulEvol: true });
	work = tempDir('covw-evolve-review-');
	itemsFile = join(work.path, 'seeds.arrow');
	await writeItemsArrow(itemsFile, EVOLVE_SEEDS);
	env = {
		OPENAI_BASE_URL: server.url,
		OPENAI_API_KEY: 'sk-test-evolve-review',
		COVW_RUNS: join(work.path, 'runs'),
		COVW_CACHE: join(work.path, 'cache'),
		COVW_DATA: join(work.path, 'data')
	};
});
afterAll(async () => {
	await server.close();
	work.remove();
});

async function evolve(...extra: string[]) {
	const c = fakeContext(['--model', 'test-model', '--items-file', itemsFile, '--name', 'rev', ...extra], { root: ROOT, cwd: work.path, env });
	const status = await evolveCommand.run(c);
	expect(status, c.err.join('')).toBe(0);
	return c.out.join('');
}
const setDir = () => join(work.path, 'data/evolved/rev');
const lineage = () =>
	readFileSync(join(setDir(), 'evolved_rev_lineage.jsonl'), 'utf8')
		.trim()
		.split('\n')
		.map((l) => JSON.parse(l));

describe('human acceptance of Vul-Evol survivors', () => {
	it('offers the survivors for accept / reject and builds the set from the majority', async () => {
		// No label yet: every filter survivor goes in, and the command says so.
		const first = await evolve();
		expect(first).toMatch(/human review: no vote yet on the 4 survivor\(s\): all go in/);
		expect(first).toMatch(/accepted 4: evolved set/);
		expect(lineage().map((l) => l.human_decision)).toEqual([null, null, null, null]);
		const runId = /evolve run (\S+): completed/.exec(first)![1];

		const labelling = new Labelling(env.COVW_DATA, async () => runTablesIPC(env.COVW_RUNS).verdicts, null, env.COVW_RUNS);
		const sources = await labelling.sources();
		expect(sources.available).toBe(true);
		expect(sources.evolve_runs).toEqual([{ run_id: runId, model: 'default/test-model', candidates: 12, survivors: 4, cwes: [{ value: 'CWE-89', count: 4 }] }]);

		const filter = { evolve: runId };
		const next = await labelling.target('Ann', filter);
		const s1 = next.target!;
		expect(s1.kind).toBe('survivor');
		expect(next.progress).toEqual({ answered: 0, skipped: 0, total: 4 });
		expect(s1.evolve!.seed_code).toBe(EVOLVE_SEEDS[0].code);
		expect(s1.code).not.toBe(s1.evolve!.seed_code);
		expect(s1.evolve!.strategy).toBe('constraints');
		expect(s1.evolve!.filters.map((f) => [f.filter, f.outcome])).toEqual([
			['answer', 'pass'],
			['parses', 'pass'],
			['differs', 'pass'],
			['realisable', 'pass'],
			['induces', 'pass'],
			['not_secure', 'pass']
		]);
		expect(s1.evolve!.filters[1].reason).toBe('parses as python');
		expect(s1.evolve!.filters[2].reason).toMatch(/^distance to the seed 0\.\d+$/);
		// Nothing tells who evolved it before the answer.
		expect(JSON.stringify(next.target)).not.toContain('test-model');
		expect(next.reveal).toBeNull();

		const ids = await survivorIds(labelling, runId);
		expect(ids[0]).toBe(s1.target_id);
		// A survivor is accepted or rejected, not called vulnerable; a rejection needs a reason.
		await expect(labelling.give({ target_id: ids[0], annotator: 'Ann', answer: 'vulnerable' })).rejects.toThrow(LabellingInputError);
		await expect(labelling.give({ target_id: ids[1], annotator: 'Ann', answer: 'reject' })).rejects.toThrow(/a rejection needs a reason/);

		const given = await labelling.give({ target_id: ids[0], annotator: 'Ann', answer: 'accept', note: 'harder: adds a limit' });
		expect(given.label).toMatchObject({ decision: 'accept', reason: null, vulnerable: null, note: 'harder: adds a limit' });
		expect(given.reveal!.evolve).toEqual({ run_id: runId, model: 'default/test-model' });
		await labelling.give({ target_id: ids[1], annotator: 'Ann', answer: 'reject', reason: 'same_as_seed' });
		await labelling.give({ target_id: ids[2], annotator: 'Ann', answer: 'accept' });
		await labelling.give({ target_id: ids[0], annotator: 'Bo', answer: 'accept' });
		await labelling.give({ target_id: ids[1], annotator: 'Bo', answer: 'accept' });
		expect((await labelling.target('Ann', filter)).progress).toEqual({ answered: 3, skipped: 0, total: 4 });
		expect((await labelling.target('Ann', filter)).target!.target_id).toBe(ids[3]);

		// Saved like other labels: one line each on disk, in the CSV export, in the agreement panel.
		const onDisk = readFileSync(join(env.COVW_DATA, 'labels/labels.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
		expect(onDisk[1]).toMatchObject({ target_id: ids[1], annotator: 'Ann', decision: 'reject', reason: 'same_as_seed', vulnerable: null });
		expect(await labelling.exportCsv()).toContain(`${ids[1]},Ann,,,,false,false,`);
		const agreement = await labelling.agreement({ a: 'Ann', b: 'Bo' });
		expect(agreement.acceptance).toMatchObject({ targets: 3, accepted: 2, rejected: 0, agreement: { pairs: 2, agreeing: 1, percent: 50 }, cohen: { subjects: 2, agreed: 1 } });
		expect(agreement.acceptance.needs_review.map((t) => t.target_id)).toEqual([ids[1]]);

		// Built again: only the majority's accepted go in, the tie and the unreviewed one stay out.
		const second = await evolve();
		expect(second).toMatch(/human review of 4 survivor\(s\): accepted 2, rejected 0, tied 1, unreviewed 1 \(only the accepted go in\)/);
		expect(second).toContain(`ties to settle (another annotator's vote): ${ids[1]}`);
		expect(second).toMatch(/accepted 2: evolved set/);
		expect(lineage().map((l) => [l.candidate_id, l.human_decision, l.human_accept, l.human_reject, l.human_annotators])).toEqual([
			[ids[0], 'accept', 2, 0, 'Ann, Bo'],
			[ids[2], 'accept', 1, 0, 'Ann']
		]);

		// notebooks/vul-evol.md counts the votes per CWE and strategy from the labels table.
		const { notebookRunCommand } = await import('../../../../src/cli/commands/notebook.ts');
		const nb = fakeContext(['notebooks/vul-evol.md', '--json', '--cell', 'acceptance_votes', '--cell', 'acceptance', '--cell', 'reject_reasons', '--cell', 'funnel'], { root: ROOT, cwd: ROOT, env });
		const nbStatus = await notebookRunCommand.run(nb);
		const cells = JSON.parse(nb.out.join('')).cells as { id: string; status: string; rows: Record<string, unknown>[]; error?: unknown }[];
		expect(cells.filter((x) => x.status !== 'ok').map((x) => ({ id: x.id, error: x.error }))).toEqual([]);
		expect(nbStatus).toBe(0);
		const rows = (id: string) => cells.find((x) => x.id === id)!.rows;
		expect(rows('acceptance_votes').length).toBe(5);
		expect(rows('acceptance').map((r) => [r.strategy, r.survivors, r.human_accepted, r.human_rejected, r.tied, r.unreviewed, r.votes])).toEqual(
			expect.arrayContaining([['constraints', 1, 1, 0, 0, 0, 2]])
		);
		const total = (col: string) => rows('acceptance').reduce((a, r) => a + Number(r[col]), 0);
		expect(['survivors', 'human_accepted', 'human_rejected', 'tied', 'unreviewed', 'votes'].map(total)).toEqual([4, 2, 0, 1, 1, 5]);
		expect(rows('reject_reasons')).toEqual([{ reason: 'same_as_seed', n: 1 }]);
		// The funnel's last filter column counts filter survivors, and beside it the human decision:
		// the 2 `covw evolve` accepted above, not the 4 survivors.
		const funnelTotal = (col: string) => rows('funnel').reduce((a, r) => a + Number(r[col]), 0);
		expect(['filter_survivors', 'human_accepted', 'in_set', 'unreviewed'].map(funnelTotal)).toEqual([4, 2, 2, 1]);
		expect(Object.keys(rows('funnel')[0])).not.toContain('accepted');

		// --review off: the filters alone decide, as before any review.
		const off = await evolve('--review', 'off');
		expect(off).toMatch(/human review off: all 4 filter survivor\(s\) go in/);
		expect(lineage().length).toBe(4);
		// The funnel's in_set follows what the set holds (all 4), the human votes stay 2.
		const nbOff = fakeContext(['notebooks/vul-evol.md', '--json', '--cell', 'funnel'], { root: ROOT, cwd: ROOT, env });
		expect(await notebookRunCommand.run(nbOff)).toBe(0);
		const offFunnel = (JSON.parse(nbOff.out.join('')).cells as { id: string; rows: Record<string, unknown>[] }[]).find((x) => x.id === 'funnel')!.rows;
		expect(['human_accepted', 'in_set'].map((col) => offFunnel.reduce((a, r) => a + Number(r[col]), 0))).toEqual([2, 4]);

		// Everyone rejects what was accepted: no set, and the earlier build is gone.
		await labelling.give({ target_id: ids[0], annotator: 'Ann', answer: 'reject', reason: 'unlikely_cwe' });
		await expect(labelling.give({ target_id: ids[0], annotator: 'Bo', answer: 'reject', reason: 'other' })).rejects.toThrow(/needs a note saying why/);
		await labelling.give({ target_id: ids[0], annotator: 'Bo', answer: 'reject', reason: 'other', note: 'asks for a different program' });
		await labelling.give({ target_id: ids[2], annotator: 'Ann', answer: 'reject', reason: 'already_secure' });
		const none = await evolve();
		expect(none).toMatch(/accepted 0, rejected 2, tied 1, unreviewed 1/);
		expect(none).toMatch(/accepted 0: no evolved set written/);
		expect(existsSync(join(setDir(), 'evolved_rev.arrow'))).toBe(false);
		expect(existsSync(join(setDir(), 'evolved_rev_lineage.jsonl'))).toBe(false);
	}, 120_000);

	it('says what is wrong with a bad --review', async () => {
		const c = fakeContext(['--model', 'test-model', '--items-file', itemsFile, '--review', 'maybe'], { root: ROOT, cwd: work.path, env });
		await expect(evolveCommand.run(c)).rejects.toThrow(/--review must be auto, require or off, got "maybe"/);
	});
});

async function survivorIds(labelling: Labelling, runId: string): Promise<string[]> {
	return ((await labelling.survivors.targets(runId)) ?? []).map((t) => t.target_id);
}

describe('a damaged filter table', () => {
	it('is reported by the sources, names its line, and does not stop other labelling', async () => {
		const { mkdtempSync, mkdirSync, writeFileSync, rmSync } = await import('node:fs');
		const { tmpdir } = await import('node:os');
		const root = mkdtempSync(join(tmpdir(), 'covw-bad-filters-'));
		try {
			mkdirSync(join(root, 'runs', 'evolve-bad'), { recursive: true });
			writeFileSync(join(root, 'runs', 'evolve-bad', 'filters.jsonl'), '{"candidate_id": "x"\n');
			const labelling = new Labelling(join(root, 'data'), async () => runTablesIPC(join(root, 'runs')).verdicts, null, join(root, 'runs'));
			const sources = await labelling.sources();
			expect(sources.evolve_runs).toEqual([]);
			expect(sources.evolve_error).toMatch(/^the evolve runs could not be read: runs\/evolve-bad\/filters\.jsonl: line 1: not JSON/);
			expect(sources.evolve_error).not.toContain(root);
			// A label on something else (an item of our own) is still saved.
			await writeItemsArrow(join(root, 'data', 'coveval', 'items.arrow'), [{ ...EVOLVE_SEEDS[0], item_id: 'some-target' }]);
			const given = await labelling.give({ target_id: 'some-target', annotator: 'Ann', answer: 'not_vulnerable' });
			expect(given.label.vulnerable).toBe(false);
		} finally {
			rmSync(root, { recursive: true, force: true });
		}
	});
});
