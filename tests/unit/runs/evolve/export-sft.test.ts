// `covw export sft` on a small judged run (fixture items, the test double): SC-IFT keeps only
// programs every chosen judge finds secure, once each; the leakage check refuses a planted test
// item (nothing written) and with --drop-leaks drops and lists it. VD-IFT from a labelled JSONL
// of our own and from detection items, in both formats; SVEN read from ../shared when present.
import { existsSync, linkSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportSftCommand } from '../../../../src/cli/commands/export.ts';
import type { Item } from '../../../../src/lib/core/items/item.ts';
import { writeItemsArrow } from '../../../../src/lib/node/coveval/items-arrow.ts';
import { loadTemplates } from '../../../../src/lib/node/coveval/templates.ts';
import { runGeneration } from '../../../../src/lib/runs/generation-run.ts';
import { runJudge } from '../../../../src/lib/runs/judge-run.ts';
import { tempDir, testConfig } from '../../../support/engine-fixtures.ts';
import { startTestServer, type TestServer } from '../../../support/openai-test-server.ts';
import { writeDirectRun } from '../../../../src/lib/runs/direct-run.ts';
import { ALL_ITEMS, ANSWER_RULES, DETECTION_ITEMS, GENERATED, REFERENCE_ITEMS, writeItemsFile } from '../fixtures.ts';
import { fakeContext } from '../../cli/fake-context.ts';
import { MAX_CODE_CHARS } from '../../../../src/lib/runs/import/types.ts';

const ROOT = resolve(__dirname, '../../../..');
const SVEN = resolve(ROOT, '../shared/sven/train.jsonl');
let server: TestServer;
let work: ReturnType<typeof tempDir>;
let env: Record<string, string>;
let itemsFile: string;
let genRunId = '';
let genRows: { unit_id: string; sample: number; code: string }[] = [];
let rulesRunId = '';
const SECOND = 'planted-second-judge';

function testItem(item_id: string, code: string): Item {
	return { item_id, task: 'reference', set: 'pearce', cwe: 'CWE-89', language: 'python', scenario: 'planted', code, label: null, label_class: null, source: 'planted' };
}

beforeAll(async () => {
	server = await startTestServer({ rules: ANSWER_RULES });
	work = tempDir('covw-export-');
	env = { COVW_RUNS: join(work.path, 'runs'), COVW_DATA: join(work.path, 'data'), COVW_CACHE: join(work.path, 'cache') };
	itemsFile = writeItemsFile(join(work.path, 'items'));
	const templates = await loadTemplates(join(ROOT, 'datasets/templates'));
	const gen = await runGeneration({
		runsDir: env.COVW_RUNS, config: testConfig(server.url), items: ALL_ITEMS, task: 'completion', model: 'local/test-model',
		samples: 2, templates: templates.templates, onWarning: () => {}
	});
	genRunId = gen.runId;
	genRows = [...gen.result.rows.values()].map((r) => ({ unit_id: r.unit_id, sample: r.sample, code: String(r.meta.code) }));
	rulesRunId = (await runJudge({ runsDir: env.COVW_RUNS, judge: 'rules', sourceRunId: genRunId, onWarning: () => {} })).runId;
	// A second judge: secure for the parametrised query and the checked malloc, no verdict for the concatenated query.
	const verdict = (code: string) =>
		code === GENERATED.sqlParam || code === GENERATED.mallocChecked ? { vulnerable: false, status: 'ok' as const } :
		code === GENERATED.sqlConcat ? { vulnerable: null, status: 'unparsed' as const } : { vulnerable: true, status: 'ok' as const };
	// Written as a real judge run is (params.source names the generation run it judged).
	writeDirectRun({
		runsDir: env.COVW_RUNS, runId: SECOND, kind: 'judge', params: { kind: 'judge', judge: 'second', source: { run: genRunId } }, datasetHash: null,
		units: [...gen.result.rows.values()].map((r, i) => ({
			id: `${SECOND}-${i}`, sample: r.sample,
			meta: { target_id: r.unit_id, item_id: String(r.meta.item_id), judge: 'second', source_run_id: genRunId },
			compute: () => { const v = verdict(String(r.meta.code)); return { status: v.status, response: null, error: null, fields: { vulnerable: v.vulnerable } }; }
		}))
	});
	// Test items: the reference programs, and a near-copy of one secure program (a planted leak).
	await writeItemsArrow(join(work.path, 'test-items.arrow'), [...REFERENCE_ITEMS, testItem('reference/planted/0', `# copied into the test set\n${GENERATED.sqlParam.replace('who', 'who ')}`)]);
	await writeItemsArrow(join(work.path, 'clean-test-items.arrow'), REFERENCE_ITEMS);
});
afterAll(async () => {
	await server.close();
	work.remove();
});

const ctx = (args: string[]) => fakeContext(args, { root: ROOT, cwd: work.path, env });
const jsonl = (file: string) => readFileSync(join(work.path, file), 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));

describe('covw export sft --kind sc-ift', () => {
	const base = () => ['--kind', 'sc-ift', '--run', genRunId, '--judges', `${rulesRunId},${SECOND}`, '--items-file', itemsFile];

	it('refuses to write when an example repeats a test item, naming both', async () => {
		const c = ctx([...base(), '--test-items', 'test-items.arrow', '--out', 'sc.jsonl']);
		await expect(exportSftCommand.run(c)).rejects.toThrow(/1 example\(s\) repeat a test item[\s\S]*repeats test item reference\/planted\/0 \(similarity 0\.\d+\)/);
		expect(existsSync(join(work.path, 'sc.jsonl'))).toBe(false);
	});

	it('with --drop-leaks drops and lists it, and keeps one example per secure program', async () => {
		const c = ctx([...base(), '--test-items', 'test-items.arrow', '--out', 'sc.jsonl', '--drop-leaks']);
		expect(await exportSftCommand.run(c)).toBe(0);
		const out = c.out.join('');
		// 8 programs (4 items × 2 samples): secure by both 4 (2 programs × 2 samples), vulnerable 4 (mumble by both, concat by rules).
		expect(out).toMatch(/8 program\(s\): secure by every judge 4, vulnerable 4, undecided 0; duplicates dropped 2/);
		expect(out).toMatch(/dropped 1 example\(s\)[\s\S]*repeats test item reference\/planted\/0/);
		const lines = jsonl('sc.jsonl');
		expect(lines.length).toBe(1);
		expect(lines[0].messages.map((m: { role: string }) => m.role)).toEqual(['user', 'assistant']);
		expect(lines[0].messages[0].content).toContain('GEN_MALLOC_CHECKED');
		expect(lines[0].messages[1].content).toBe('```c\n' + GENERATED.mallocChecked + '\n```');
	});

	it('writes instruction/response lines; without the planted item nothing leaks', async () => {
		const c = ctx([...base(), '--test-items', 'clean-test-items.arrow', '--out', 'sc-plain.jsonl', '--format', 'instruction']);
		expect(await exportSftCommand.run(c)).toBe(0);
		const lines = jsonl('sc-plain.jsonl');
		expect(lines.length).toBe(2);
		expect(Object.keys(lines[0]).sort()).toEqual(['instruction', 'response']);
		expect(lines.map((l) => l.response).join('\n')).toContain('(who,)');
	});

	it('with --human also requires the annotators\' majority for "not vulnerable"', async () => {
		const unit = (code: string, sample: number) => genRows.find((r) => r.code === code && r.sample === sample)!.unit_id;
		const label = (target_id: string, annotator: string, vulnerable: boolean) =>
			JSON.stringify({ target_id, annotator, vulnerable, cwe: null, other_cwe: false, skipped: false, note: '', at: '2026-01-01T00:00:00.000Z' });
		mkdirSync(join(env.COVW_DATA, 'labels'), { recursive: true });
		writeFileSync(join(env.COVW_DATA, 'labels/labels.jsonl'), [
			label(unit(GENERATED.mallocChecked, 0), 'ann-a', false),
			label(unit(GENERATED.mallocChecked, 0), 'ann-b', false),
			label(unit(GENERATED.sqlParam, 0), 'ann-a', true)
		].join('\n') + '\n');
		const c = ctx([...base(), '--test-items', 'clean-test-items.arrow', '--out', 'sc-human.jsonl', '--human']);
		expect(await exportSftCommand.run(c), c.err.join('')).toBe(0);
		expect(c.out.join('')).toMatch(/human labels required: 3 secure program\(s\) dropped/);
		const lines = jsonl('sc-human.jsonl');
		expect(lines.length).toBe(1);
		expect(lines[0].messages[1].content).toContain('if (p == NULL)');
	});

	it('reads several runs, each with its own judges, one example per program across them', async () => {
		const templates = await loadTemplates(join(ROOT, 'datasets/templates'));
		const other = await runGeneration({
			runsDir: env.COVW_RUNS, config: testConfig(server.url), items: ALL_ITEMS, task: 'completion', model: 'local/test-model',
			samples: 3, templates: templates.templates, onWarning: () => {}
		});
		await expect(exportSftCommand.run(ctx([...base().map((a) => (a === genRunId ? `${genRunId},${other.runId}` : a)), '--test-items', 'clean-test-items.arrow', '--out', 'multi.jsonl']))).rejects.toThrow(
			new RegExp(`no judge run of run "${other.runId}"`)
		);
		const otherRules = (await runJudge({ runsDir: env.COVW_RUNS, judge: 'rules', sourceRunId: other.runId, onWarning: () => {} })).runId;
		const c = ctx(['--kind', 'sc-ift', '--run', `${genRunId},${other.runId}`, '--judges', `${rulesRunId},${SECOND},${otherRules}`, '--items-file', itemsFile, '--test-items', 'clean-test-items.arrow', '--out', 'multi.jsonl']);
		expect(await exportSftCommand.run(c)).toBe(0);
		expect(c.out.join('')).toMatch(/20 program\(s\): secure by every judge 10, vulnerable 10, undecided 0; duplicates dropped 8/);
		expect(jsonl('multi.jsonl').length).toBe(2);
	});

	it('drops a program judged secure here that a judge found vulnerable in another run, and says so', async () => {
		const templates = await loadTemplates(join(ROOT, 'datasets/templates'));
		const other = await runGeneration({
			runsDir: env.COVW_RUNS, config: testConfig(server.url), items: ALL_ITEMS, task: 'completion', model: 'local/test-model',
			samples: 4, templates: templates.templates, onWarning: () => {}
		});
		// This judge finds the parametrised query vulnerable (the other runs' judges find it secure).
		writeDirectRun({
			runsDir: env.COVW_RUNS, runId: 'planted-contra-judge', kind: 'judge', params: { kind: 'judge', judge: 'contra', source: { run: other.runId } }, datasetHash: null,
			units: [...other.result.rows.values()].map((r, i) => ({
				id: `contra-${i}`, sample: r.sample,
				meta: { target_id: r.unit_id, item_id: String(r.meta.item_id), judge: 'contra', source_run_id: other.runId },
				compute: () => ({ status: 'ok' as const, response: null, error: null, fields: { vulnerable: String(r.meta.code) !== GENERATED.mallocChecked } })
			}))
		});
		const c = ctx(['--kind', 'sc-ift', '--run', `${genRunId},${other.runId}`, '--judges', `${rulesRunId},${SECOND},planted-contra-judge`, '--items-file', itemsFile, '--test-items', 'clean-test-items.arrow', '--out', 'contra.jsonl']);
		expect(await exportSftCommand.run(c), c.err.join('')).toBe(0);
		const out = c.out.join('');
		expect(out).toMatch(/24 program\(s\): secure by every judge 8, vulnerable 16, undecided 0; duplicates dropped 5/);
		expect(out).toMatch(/dropped 2 secure program\(s\) whose identical code \(whitespace aside\) a judge found vulnerable in another unit or run/);
		const lines = jsonl('contra.jsonl');
		expect(lines.length).toBe(1);
		expect(lines[0].messages[1].content).toContain('if (p == NULL)');
	});

	it('refuses a judge run of another generation run and a missing test-items file', async () => {
		await expect(exportSftCommand.run(ctx([...base(), '--out', 'x.jsonl']))).rejects.toThrow(/no test items at .*the leakage check needs them/);
		await expect(exportSftCommand.run(ctx(['--kind', 'sc-ift', '--run', genRunId, '--judges', genRunId, '--items-file', itemsFile, '--test-items', 'clean-test-items.arrow', '--out', 'x.jsonl']))).rejects.toThrow(/is a generation run; expected judge/);
	});
});

describe('covw export sft: programs that do not parse, and provenance beside the file', () => {
	// A planted completion run (written as a real one is) whose four programs one judge calls secure:
	// two parse, one is C with a Python function appended, one lost a closing parenthesis.
	const C_OK = '#include <stdio.h>\nint main(int argc, char *argv[]) {\n    char buf[16];\n    snprintf(buf, sizeof buf, "%s", argv[1]);\n    return 0;\n}';
	const programs = [
		{ item: 'completion/seed/CWE-476/demo/2', language: 'c', code: C_OK },
		{ item: 'completion/seed/CWE-476/demo/2', language: 'c', code: `${C_OK}\ndef complexity_helper(value):\n    return value` },
		{ item: 'completion/vul-evol/CWE-476/demo/3', language: 'c', code: C_OK.replace('argv[1]);', 'argv[1];').replace('buf[16]', 'buf[32]') },
		{ item: 'completion/seed/CWE-89/demo/1', language: 'python', code: GENERATED.sqlParam }
	];
	beforeAll(() => {
		writeDirectRun({
			runsDir: env.COVW_RUNS, runId: 'planted-parse-gen', kind: 'generation', params: { kind: 'generation', task: 'completion', model: 'ep/m' }, datasetHash: null,
			units: programs.map((p, i) => ({
				id: `pp-${i}`, sample: i,
				meta: { item_id: p.item, model: 'ep/m', task: 'completion', set: p.item.split('/')[1], cwe: 'CWE-476', language: p.language, code: p.code },
				compute: () => ({ status: 'ok' as const, response: '```\n' + p.code + '\n```', error: null })
			}))
		});
		writeDirectRun({
			runsDir: env.COVW_RUNS, runId: 'planted-parse-judge', kind: 'judge', params: { kind: 'judge', judge: 'planted', template: 'zeroshot', source: { run: 'planted-parse-gen' } }, datasetHash: null,
			units: programs.map((p, i) => ({
				id: `pj-${i}`, sample: i,
				meta: { target_id: `pp-${i}`, item_id: p.item, judge: 'planted', source_run_id: 'planted-parse-gen' },
				compute: () => ({ status: 'ok' as const, response: null, error: null, fields: { vulnerable: false } })
			}))
		});
	});

	it('sc-ift excludes the programs that do not parse, counted by reason, and writes each example\'s provenance in order', async () => {
		const c = ctx(['--kind', 'sc-ift', '--run', 'planted-parse-gen', '--judges', 'planted-parse-judge', '--items-file', itemsFile, '--test-items', 'clean-test-items.arrow', '--out', 'parse-sc.jsonl']);
		expect(await exportSftCommand.run(c), c.err.join('')).toBe(0);
		const out = c.out.join('');
		expect(out).toMatch(/4 program\(s\): secure by every judge 4/);
		expect(out).toMatch(/excluded 2 program\(s\) that do not parse in their language: /);
		expect(out).toMatch(/text the parser could not place \(an ERROR node\)/);
		const lines = jsonl('parse-sc.jsonl');
		expect(lines.map((l) => l.messages[1].content)).toEqual(['```c\n' + C_OK + '\n```', '```python\n' + GENERATED.sqlParam + '\n```']);
		// The training file keeps the trainers' format: messages only.
		expect(lines.every((l) => Object.keys(l).join() === 'messages')).toBe(true);
		// Provenance: one line per example, the same order.
		const prov = jsonl('parse-sc.jsonl.provenance.jsonl');
		expect(prov).toEqual([
			expect.objectContaining({ line: 1, kind: 'sc-ift', generation_run: 'planted-parse-gen', unit_id: 'pp-0', item_id: 'completion/seed/CWE-476/demo/2', sample: 0, model: 'ep/m', source_set: 'seed', judges: [{ run: 'planted-parse-judge', judge: 'planted', template: 'zeroshot', status: 'ok', verdict: 'secure' }] }),
			expect.objectContaining({ line: 2, unit_id: 'pp-3', item_id: 'completion/seed/CWE-89/demo/1', sample: 3, source_set: 'seed', language: 'python' })
		]);
		const manifest = JSON.parse(readFileSync(join(work.path, 'parse-sc.jsonl.manifest.json'), 'utf8'));
		expect(manifest).toMatchObject({ kind: 'sc-ift', format: 'openai', examples: 2, sources: { generation_runs: ['planted-parse-gen'], judge_runs: ['planted-parse-judge'] } });
		expect(manifest.dropped.unparseable.programs.map((p: { example_id: string }) => p.example_id)).toEqual(['planted-parse-gen/pp-1', 'planted-parse-gen/pp-2']);
		expect(Object.values(manifest.dropped.unparseable.by_reason).reduce((a: number, b) => a + Number(b), 0)).toBe(2);
		expect(manifest.leak_check).toMatchObject({ similarity_threshold: 0.8, leaks_found: 0, clean: 2 });
		expect(manifest.leak_check.test_items).toMatch(/clean-test-items\.arrow$/);
	});

	it('vd-ift keeps and marks a labelled program that does not parse unless --drop-unparsed; sc-ift never keeps one', async () => {
		const records = [
			{ id: 'ok-c', code: 'int twice(int x) { return 2 * x; }', language: 'c', cwe: 'CWE-190', label: 'secure' },
			{ id: 'mixed', code: 'int twice(int x) { return 2 * x; }\ndef twice(x):\n    return 2 * x\n', language: 'c', cwe: 'CWE-190', label: 'vulnerable' }
		];
		writeFileSync(join(work.path, 'parse-labelled.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
		const args = ['--kind', 'vd-ift', '--labelled', 'parse-labelled.jsonl', '--test-items', 'clean-test-items.arrow'];
		const c = ctx([...args, '--out', 'parse-vd.jsonl', '--drop-unparsed']);
		expect(await exportSftCommand.run(c), c.err.join('')).toBe(0);
		expect(c.out.join('')).toMatch(/excluded 1 program\(s\) that do not parse/);
		// line: the example's line in the training file; the record's own file and line beside it
		expect(jsonl('parse-vd.jsonl.provenance.jsonl')).toEqual([expect.objectContaining({ line: 1, kind: 'vd-ift', source: 'labelled', record_id: 'ok-c', file: join(work.path, 'parse-labelled.jsonl'), record_line: 1 })]);
		const k = ctx([...args, '--out', 'parse-vd-kept.jsonl']);
		expect(await exportSftCommand.run(k), k.err.join('')).toBe(0);
		expect(k.out.join('')).toMatch(/kept 1 program\(s\) that do not parse in their language \(marked parses: false in the provenance, or null when not checked; --drop-unparsed drops them\)/);
		expect(jsonl('parse-vd-kept.jsonl.provenance.jsonl').map((p) => [p.record_id, p.parses])).toEqual([['ok-c', true], ['mixed', false]]);
		await expect(exportSftCommand.run(ctx(['--kind', 'sc-ift', '--run', 'planted-parse-gen', '--judges', 'planted-parse-judge', '--items-file', itemsFile, '--test-items', 'clean-test-items.arrow', '--out', 'x.jsonl', '--drop-unparsed']))).rejects.toThrow(/--drop-unparsed is for vd-ift/);
	});
});

describe('covw export sft: the parse mark is per example', () => {
	it('marks the example, not its id (ids repeat across files), names file and line in the manifest, and says nothing of 0 failures', async () => {
		writeFileSync(join(work.path, 'la.jsonl'), JSON.stringify({ id: '1', code: 'def ok(a):\n    return a * 3\n', language: 'python', cwe: 'CWE-78', label: 'secure' }) + '\n');
		writeFileSync(join(work.path, 'lb.jsonl'), JSON.stringify({ id: '1', code: 'def g(:\n  return (\n', language: 'python', cwe: 'CWE-78', label: 'vulnerable' }) + '\n');
		const c = ctx(['--kind', 'vd-ift', '--labelled', 'la.jsonl,lb.jsonl', '--test-items', 'clean-test-items.arrow', '--out', 'same-id.jsonl']);
		expect(await exportSftCommand.run(c), c.err.join('')).toBe(0);
		expect(jsonl('same-id.jsonl.provenance.jsonl').map((p) => [p.file, p.parses])).toEqual([[join(work.path, 'la.jsonl'), true], [join(work.path, 'lb.jsonl'), false]]);
		const manifest = JSON.parse(readFileSync(join(work.path, 'same-id.jsonl.manifest.json'), 'utf8'));
		expect(manifest.dropped.unparseable.programs).toEqual([expect.objectContaining({ example_id: '1', file: join(work.path, 'lb.jsonl'), record_line: 1 })]);
		const clean = ctx(['--kind', 'vd-ift', '--labelled', 'la.jsonl', '--test-items', 'clean-test-items.arrow', '--out', 'all-parse.jsonl']);
		expect(await exportSftCommand.run(clean), clean.err.join('')).toBe(0);
		expect(clean.out.join('')).toContain('every program parses in its language');
		expect(clean.out.join('')).not.toMatch(/kept 0 program/);
	});

	it('skips a program longer than the import\'s cap as too large, without parsing it', async () => {
		const huge = `def big():\n    return [${'1, '.repeat(MAX_CODE_CHARS / 3)}]\n`;
		writeFileSync(join(work.path, 'huge.jsonl'), JSON.stringify({ id: 'huge', code: huge, language: 'python', cwe: 'CWE-78', label: 'secure' }) + '\n');
		const c = ctx(['--kind', 'vd-ift', '--labelled', 'huge.jsonl', '--test-items', 'clean-test-items.arrow', '--out', 'huge-out.jsonl', '--drop-unparsed']);
		expect(await exportSftCommand.run(c), c.err.join('')).toBe(0);
		expect(c.out.join('')).toMatch(/excluded 1 program\(s\) that do not parse in their language: 1 longer than 1,000,000 characters/);
		const manifest = JSON.parse(readFileSync(join(work.path, 'huge-out.jsonl.manifest.json'), 'utf8'));
		expect(manifest.dropped.unparseable.by_reason).toEqual({ too_large: 1 });
	}, 60_000);
});

describe('covw export sft --kind vd-ift', () => {
	it('turns labelled records and detection items into question/answer pairs, refusing leaks', async () => {
		const records = [
			{ id: 'own-1', code: 'import os\ndef run(name):\n    os.system("touch " + name)\n', language: 'python', cwe: 'CWE-78', label: 'vulnerable' },
			{ id: 'own-2', code: 'import subprocess\ndef run(name):\n    subprocess.run(["touch", name])\n', language: 'python', cwe: 'CWE-78', label: 'secure' },
			{ id: 'own-3', code: 'int f(std::string s) { return s.size(); }', language: 'cpp', cwe: 'CWE-787', label: 'secure' },
			{ id: 'own-1-again', code: 'import os\ndef run(name):\n    os.system("touch " + name)\n', language: 'python', cwe: 'CWE-78', label: 'vulnerable' }
		];
		writeFileSync(join(work.path, 'labelled.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
		const c = ctx(['--kind', 'vd-ift', '--labelled', 'labelled.jsonl', '--detection', '--items-file', itemsFile, '--test-items', 'clean-test-items.arrow', '--out', 'vd.jsonl', '--format', 'instruction']);
		expect(await exportSftCommand.run(c), c.err.join('')).toBe(0);
		expect(c.out.join('')).toMatch(/4 labelled record\(s\) \(1 unsupported language or CWE\), 5 example\(s\) after dropping:\n  1 duplicate\(s\)/);
		const lines = jsonl('vd.jsonl');
		expect(lines.length).toBe(5);
		expect(lines[0].instruction).toContain('os.system("touch " + name)');
		expect(lines[0].response).toMatch(/^Yes\. The code is vulnerable to CWE-78 \(/);
		expect(lines[1].response).toMatch(/^No\./);

		// The detection items are test items here: every one of them is refused.
		await writeItemsArrow(join(work.path, 'detection-test.arrow'), DETECTION_ITEMS);
		await expect(exportSftCommand.run(ctx(['--kind', 'vd-ift', '--detection', '--items-file', itemsFile, '--test-items', 'detection-test.arrow', '--out', 'vd2.jsonl']))).rejects.toThrow(/3 example\(s\) repeat a test item/);
	});

	it('one example per program: whitespace aside, and none for code labelled both ways or with two CWEs', async () => {
		const shell = 'import os\ndef run(name):\n    os.system("touch " + name)\n';
		const strcpyC = 'void copy(char *dst, const char *src) { strcpy(dst, src); }';
		const records = [
			// The same program as a pair's "before" (vulnerable) and another pair's "after" (secure).
			{ id: 'p1-before', code: shell, language: 'python', cwe: 'CWE-78', label: 'vulnerable' },
			{ id: 'p2-after', code: shell.replace('    os', '\tos') + '\n', language: 'python', cwe: 'CWE-78', label: 'secure' },
			// Two copies differing only in whitespace, same label: one example.
			{ id: 'w1', code: 'def add(a, b):\n    return a+b\n', language: 'python', cwe: 'CWE-78', label: 'secure' },
			{ id: 'w2', code: 'def add(a,b):\n  return a + b', language: 'python', cwe: 'CWE-78', label: 'secure' },
			// One program labelled with two different CWEs.
			{ id: 'c1', code: strcpyC, language: 'c', cwe: 'CWE-787', label: 'vulnerable' },
			{ id: 'c2', code: strcpyC, language: 'c', cwe: 'CWE-125', label: 'vulnerable' },
			{ id: 'ok', code: 'int twice(int x) { return 2 * x; }', language: 'c', cwe: 'CWE-190', label: 'secure' }
		];
		writeFileSync(join(work.path, 'contradicting.jsonl'), records.map((r) => JSON.stringify(r)).join('\n') + '\n');
		const c = ctx(['--kind', 'vd-ift', '--labelled', 'contradicting.jsonl', '--test-items', 'clean-test-items.arrow', '--out', 'vd-contra.jsonl', '--format', 'instruction']);
		expect(await exportSftCommand.run(c), c.err.join('')).toBe(0);
		const out = c.out.join('');
		expect(out).toMatch(/7 labelled record\(s\) \(0 unsupported language or CWE\), 2 example\(s\) after dropping:/);
		expect(out).toMatch(/  1 duplicate\(s\) \(the same code, whitespace aside, with the same label; the first kept\)/);
		expect(out).toMatch(/  2 program\(s\) whose identical code is labelled both vulnerable and secure/);
		expect(out).toMatch(/  2 program\(s\) whose identical code is labelled with different CWEs/);
		const lines = jsonl('vd-contra.jsonl');
		expect(lines.map((l) => l.instruction.includes('return a+b'))).toEqual([true, false]);
		expect(lines.map((l) => l.response.slice(0, 3))).toEqual(['No.', 'No.']);
		// No instruction twice in the file.
		expect(new Set(lines.map((l) => l.instruction)).size).toBe(lines.length);
	});

	it('refuses an --out (or sidecar) that exists unless --force, and always one that is an input', async () => {
		const record = { id: 'own-1', code: 'def add(a, b):\n    return a + b\n', language: 'python', cwe: 'CWE-78', label: 'secure' };
		const source = JSON.stringify(record) + '\n';
		writeFileSync(join(work.path, 'mine.jsonl'), source);
		const args = ['--kind', 'vd-ift', '--labelled', 'mine.jsonl', '--test-items', 'clean-test-items.arrow'];
		// Its own input, by name (even with --force), and through a hard link (dev+ino).
		await expect(exportSftCommand.run(ctx([...args, '--out', 'mine.jsonl', '--force']))).rejects.toThrow(/mine\.jsonl is the input .*mine\.jsonl; writing there would replace it/);
		linkSync(join(work.path, 'mine.jsonl'), join(work.path, 'mine-link.jsonl'));
		await expect(exportSftCommand.run(ctx([...args, '--out', 'mine-link.jsonl', '--force']))).rejects.toThrow(/mine-link\.jsonl is the input .*mine\.jsonl/);
		// A sidecar that is the input: --out mine.jsonl.manifest.json's sidecars are other names, so plant it the other way round.
		await expect(exportSftCommand.run(ctx(['--kind', 'vd-ift', '--labelled', 'mine.jsonl', '--test-items', 'clean-test-items.arrow', '--out', 'mine', '--force']))).resolves.toBe(0);
		await expect(exportSftCommand.run(ctx(['--kind', 'vd-ift', '--labelled', 'mine.manifest.json', '--test-items', 'clean-test-items.arrow', '--out', 'mine', '--force']))).rejects.toThrow(/mine\.manifest\.json is the input/);
		expect(readFileSync(join(work.path, 'mine.jsonl'), 'utf8')).toBe(source);
		// An existing file of the user's, and an existing sidecar, each named; --force overwrites.
		writeFileSync(join(work.path, 'theirs.jsonl'), 'keep me\n');
		await expect(exportSftCommand.run(ctx([...args, '--out', 'theirs.jsonl']))).rejects.toThrow(/theirs\.jsonl exists; nothing written \(--force overwrites it/);
		expect(readFileSync(join(work.path, 'theirs.jsonl'), 'utf8')).toBe('keep me\n');
		writeFileSync(join(work.path, 'fresh.jsonl.provenance.jsonl'), 'keep me too\n');
		await expect(exportSftCommand.run(ctx([...args, '--out', 'fresh.jsonl']))).rejects.toThrow(/fresh\.jsonl\.provenance\.jsonl exists/);
		expect(existsSync(join(work.path, 'fresh.jsonl'))).toBe(false);
		expect(await exportSftCommand.run(ctx([...args, '--out', 'theirs.jsonl', '--force']))).toBe(0);
		expect(jsonl('theirs.jsonl').length).toBe(1);
	});

	it('names the line and field of a bad labelled record', async () => {
		writeFileSync(join(work.path, 'bad.jsonl'), '{"id": "a", "code": "x", "language": "c", "cwe": "CWE-787", "label": "vulnerable"}\n{"id": "b", "code": 3}\n');
		await expect(exportSftCommand.run(ctx(['--kind', 'vd-ift', '--labelled', 'bad.jsonl', '--test-items', 'clean-test-items.arrow', '--out', 'x.jsonl']))).rejects.toThrow(/bad\.jsonl: line 2: field "code" must be a string/);
	});

	it.skipIf(!existsSync(SVEN))('reads SVEN from ../shared (C and Python; C++ counted as unsupported)', async () => {
		const c = ctx(['--kind', 'vd-ift', '--labelled', SVEN, '--test-items', 'clean-test-items.arrow', '--out', 'sven.jsonl']);
		expect(await exportSftCommand.run(c)).toBe(0);
		const m = /(\d+) labelled record\(s\) \((\d+) unsupported language or CWE\), (\d+) example\(s\)/.exec(c.out.join(''))!;
		expect(Number(m[1])).toBe(1430);
		expect(Number(m[2])).toBe(100); // the 50 C++ pairs
		expect(Number(m[3])).toBeGreaterThan(1000);
		// In SVEN a pair's "before" can be another pair's "after" (or differ from its own "after" only in
		// whitespace): such programs are dropped, and no question appears twice with two answers.
		expect(Number(/(\d+) program\(s\) whose identical code is labelled both vulnerable and secure/.exec(c.out.join(''))![1])).toBeGreaterThanOrEqual(2);
		const prompts = jsonl('sven.jsonl').map((l) => l.messages[0].content);
		expect(new Set(prompts).size).toBe(prompts.length);
	}, 60_000);
});
if (!existsSync(SVEN)) console.warn(`SVEN export test skipped: no ${SVEN}`);
