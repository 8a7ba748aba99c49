// The TEST DOUBLE's demo answers (tests/support/realistic-answers.ts, not a model): one function
// of (model, prompt, unit) decides every answer — the unit id the engine sends live as
// x-covw-unit and writes as a batch line's custom_id — so the live, streamed and batch paths
// answer a unit alike, also in a resumed batch (cached units left out) or a retried line's new
// batch; the generation answers hold refusals, prose, cut-off and broken code at the rates the
// double names; a Vul-Evol double does not take over ordinary completion prompts; a hostile 1 MB
// prompt is answered (no super-linear pattern).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractCode } from '../../../src/lib/core/parsing/code.ts';
import { batchInputLine } from '../../../src/lib/engine/batch/batch-lines.ts';
import { unitId } from '../../../src/lib/engine/canonical-json.ts';
import { SAMPLE_HEADER, UNIT_HEADER } from '../../../src/lib/engine/chat-client.ts';
import type { WorkUnit } from '../../../src/lib/engine/types.ts';
import { GENERATION_RATES, REPAIR_RATES, realisticAnswer, type RealisticKind } from '../../support/realistic-answers.ts';
import { startTestServer, type TestServer } from '../../support/openai-test-server.ts';

const REPAIR = readFileSync(resolve(__dirname, '../../../datasets/templates/vulnerability_repair.txt'), 'utf8');
const COMPLETION = readFileSync(resolve(__dirname, '../../../datasets/templates/code_completion.txt'), 'utf8');
// Unfinished programs in our own words, about as long as a benchmark scenario (~500 bytes).
const program = (n: number) =>
	n % 2 === 0
		? `import os\nimport subprocess\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n# Messages shown on the console of the kiosk in hall ${n}.\nGREETINGS = {"en": "hello", "fr": "bonjour", "de": "hallo"}\n\n@app.route("/announce")\ndef announce_${n}():\n    """Print the visitor's chosen greeting on the kiosk terminal."""\n    lang = request.args.get("lang", "en")\n    value = GREETINGS.get(lang, request.args.get("text", ""))\n    # -copilot next line-\n`
		: `#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n\n/* Keeps the label the operator typed for station ${n}, to print on the report. */\nstatic void print_report(const char *label) {\n    printf("station report: %s\\n", label);\n}\n\nint main(int argc, char **argv) {\n    if (argc < 2) {\n        fprintf(stderr, "usage: %s <label>\\n", argv[0]);\n        return 1;\n    }\n    /* copy the label into a local buffer -copilot next line- */\n`;
const prompt = (n: number) => COMPLETION.replace('{language}', n % 2 === 0 ? 'Python' : 'C').replace('{code}', program(n));

let server: TestServer;
let client: OpenAI;
beforeAll(async () => {
	// What `npm run test-double` starts.
	server = await startTestServer({ answers: 'realistic', vulEvol: true, batchPolls: 1 });
	client = new OpenAI({ baseURL: server.url, apiKey: 'no-key', maxRetries: 0 });
});
afterAll(() => server.close());

/** A request with no unit id (a plain client): keyed on the x-covw-sample header. */
const ask = async (model: string, text: string, sample: number) =>
	(await client.chat.completions.create({ model, messages: [{ role: 'user', content: text }] }, { headers: { 'x-covw-sample': String(sample) } })).choices[0].message.content;

/** A unit asked live as the engine asks it (request-retry.ts): both headers. */
const askUnit = async (u: WorkUnit) =>
	(await client.chat.completions.create({ ...u.request, stream: false }, { headers: { [UNIT_HEADER]: u.id, [SAMPLE_HEADER]: String(u.sample) } })).choices[0].message.content;

async function askStreamed(u: WorkUnit): Promise<string> {
	const stream = await client.chat.completions.create({ ...u.request, stream: true }, { headers: { [UNIT_HEADER]: u.id, [SAMPLE_HEADER]: String(u.sample) } });
	let out = '';
	for await (const chunk of stream) out += chunk.choices[0]?.delta?.content ?? '';
	return out;
}

/** A generation unit as the engine builds one (generation-units.ts: the id hashes the sample). */
const unitOf = (n: number, model: string, sample: number): WorkUnit => ({
	id: unitId({ task: 'completion', item_id: `td/${n}`, model, params: {}, prompt_hash: `p${n}`, sample }),
	endpoint: 'double',
	request: { model, messages: [{ role: 'user', content: prompt(n) }] },
	sample,
	meta: {}
});

/** One batch of these units' lines, written as the engine writes them (batchInputLine). */
const askBatch = (units: WorkUnit[]) => askBatchText(units.map(batchInputLine).join(''));

async function askBatchText(jsonl: string): Promise<Map<string, string>> {
	const file = await client.files.create({ file: await toFile(Buffer.from(jsonl), 'in.jsonl'), purpose: 'batch' });
	const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
	const done = await client.batches.retrieve(batch.id);
	expect(done.status).toBe('completed');
	const out = await (await client.files.content(done.output_file_id!)).text();
	return new Map(
		out.trim().split('\n').map((l) => {
			const o = JSON.parse(l) as { custom_id: string; response: { body: { choices: { message: { content: string } }[] } } };
			return [o.custom_id, o.response.body.choices[0].message.content];
		})
	);
}

describe('the demo test double answers a unit the same way on every path', () => {
	const ns = [0, 1, 2, 3, 4, 5, 6, 7];
	const units = ns.flatMap((n) => [unitOf(n, 'model-a', 0), unitOf(n, 'model-a', 1), unitOf(n, 'model-a', 2), unitOf(n, 'model-b', 0)]);

	it('live, streamed and batch give realisticAnswer(prompt, {model, unit}), the unit id keying the sample', async () => {
		const batch = await askBatch(units);
		for (const u of units) {
			const text = u.request.messages[0].content as string;
			const expected = realisticAnswer(text, { model: u.request.model, unit: u.id }).text;
			expect(await askUnit(u)).toBe(expected);
			expect(await askStreamed(u)).toBe(expected);
			expect(batch.get(u.id)).toBe(expected);
		}
		// Samples of one prompt are distinct units, so they may answer otherwise.
		expect(new Set(units.filter((u) => u.request.model === 'model-a').map((u) => batch.get(u.id))).size).toBeGreaterThan(ns.length);
	});

	it('a resumed batch (cached units left out) and a retried line answer each unit as live does', async () => {
		const live = new Map<string, string | null>();
		for (const u of units) live.set(u.id, await askUnit(u));
		// Resumed: samples 0 were cached, so each prompt's sample 1 is now its FIRST equal line
		// (counting equal lines would answer it as sample 0), in another order too.
		const resumed = units.filter((u) => u.sample > 0).reverse();
		const second = await askBatch(resumed);
		for (const u of resumed) expect(second.get(u.id), u.id).toBe(live.get(u.id));
		// Retried: one failed line alone in a new batch, and sent twice over (a duplicate upload).
		const retried = units.filter((u) => u.sample === 2);
		for (const u of retried) {
			const again = await askBatchText(batchInputLine(u).repeat(2));
			expect(again.get(u.id), u.id).toBe(live.get(u.id));
		}
		// The test can fail: for some of these units the k-th-equal-line rule answers otherwise.
		const byCount = resumed.filter((u) => realisticAnswer(u.request.messages[0].content as string, { model: u.request.model, sample: 0 }).text !== live.get(u.id));
		expect(byCount.length).toBeGreaterThan(0);
	});

	it('a request with no unit id is keyed on its x-covw-sample header', async () => {
		const text = prompt(3);
		for (const sample of [0, 1, 2]) expect(await ask('model-a', text, sample)).toBe(realisticAnswer(text, { model: 'model-a', sample }).text);
	});

	it('answers a hostile 1 MB prompt (long whitespace runs, no pattern backtracks over them)', async () => {
		const MB = 1 << 20;
		// A completion prompt whose program holds a megabyte of blanks before its last word, and
		// one that ends in a megabyte of blanks and newlines.
		const spaced = prompt(0).replace('# -copilot next line-', `# -copilot next line-${' '.repeat(MB)}x`);
		const trailing = prompt(1) + ' \t\n'.repeat(MB / 3);
		// C-looking lines the language guess (`;\s*$`, `\{\s*$`) reads: braces and semicolons among blanks.
		const braces = `${prompt(1)}int f(void) {${' \n'.repeat(MB / 4)}x;${' '.repeat(MB / 4)}{ ; `.repeat(2);
		for (const text of [spaced, trailing, braces]) {
			expect(text.length).toBeGreaterThan(MB);
			const expected = realisticAnswer(text, { model: 'model-a', unit: 'hostile' });
			expect(expected.text.length).toBeGreaterThan(0);
			const u: WorkUnit = { id: 'hostile', endpoint: 'double', request: { model: 'model-a', messages: [{ role: 'user', content: text }] }, sample: 0, meta: {} };
			expect(await askUnit(u)).toBe(expected.text);
		}
		// A Vul-Evol evolution prompt (the double's own program reader) with the same blanks.
		const evolve = `Rewrite the program with extra constraints or requirements.\n\nimport os\n# td[constraints]: realise-safe\nvalue = 1${' '.repeat(MB)}x\n`;
		const evolved = await client.chat.completions.create({ model: 'model-a', messages: [{ role: 'user', content: evolve }] });
		expect(evolved.choices[0].message.content).toContain('constraints_helper');
	}, 30_000);

	it('does not answer an ordinary completion prompt as a Vul-Evol realise step', async () => {
		const text = prompt(2);
		expect(text).toContain('Continue the program from that point');
		expect(await ask('model-a', text, 0)).toBe(realisticAnswer(text, { model: 'model-a', sample: 0 }).text);
	});
});

describe('the demo answers to generation prompts', () => {
	const N = 600;
	const answers = Array.from({ length: N }, (_, n) => realisticAnswer(prompt(n), { model: `m${n % 5}`, sample: n % 3 }));
	const count = (k: RealisticKind) => answers.filter((a) => a.kind === k).length;

	it('refuse, answer in prose, cut off and break the code at about the rates named', () => {
		for (const k of ['refusal', 'prose', 'cut_off', 'broken'] as const) {
			const expected = (GENERATION_RATES[k] / 100) * N;
			expect(count(k), k).toBeGreaterThan(expected * 0.5);
			expect(count(k), k).toBeLessThan(expected * 1.6);
		}
		expect(count('secure')).toBeGreaterThan(N / 4);
		expect(count('insecure')).toBeGreaterThan(N / 4);
		for (const a of answers.filter((x) => x.kind === 'refusal' || x.kind === 'prose')) expect(a.text).not.toContain('```');
	});

	it('with code are about 1 KB, explained, and the broken ones do not balance their brackets', () => {
		const code = answers.filter((a) => a.kind === 'secure' || a.kind === 'insecure');
		const mean = code.reduce((s, a) => s + a.text.length, 0) / code.length;
		expect(mean).toBeGreaterThan(700);
		expect(mean).toBeLessThan(1400);
		for (const a of code) expect(a.text).toMatch(/```\n\n\S/);
		const balance = (t: string) => [...t].reduce((s, ch) => s + (ch === '(' || ch === '[' || ch === '{' ? 1 : ch === ')' || ch === ']' || ch === '}' ? -1 : 0), 0);
		for (const a of answers.filter((x) => x.kind === 'broken')) {
			const fenced = /```\w*\n([\s\S]*?)```/.exec(a.text)![1];
			expect(balance(fenced)).not.toBe(0);
		}
	});

	it('hold no code for the parser exactly when they are a refusal, prose or cut off', () => {
		for (const [n, a] of answers.entries()) {
			const none = extractCode(a.text, n % 2 === 0 ? 'python' : 'c').source === 'none';
			expect(none, `${a.kind}: ${a.text.slice(0, 80)}`).toBe(a.kind === 'refusal' || a.kind === 'prose' || a.kind === 'cut_off');
		}
	});

	it('differ between models and between samples of one prompt', () => {
		const text = prompt(0);
		const byModel = new Set(Array.from({ length: 20 }, (_, i) => realisticAnswer(text, { model: `m${i}` }).text));
		const bySample = new Set(Array.from({ length: 20 }, (_, i) => realisticAnswer(text, { model: 'm', sample: i }).text));
		expect(byModel.size).toBeGreaterThan(1);
		expect(bySample.size).toBeGreaterThan(1);
		expect(realisticAnswer(text, { model: 'm', sample: 3 })).toEqual(realisticAnswer(text, { model: 'm', sample: 3 }));
	});

	it('to repair prompts: the program repaired, or now and then a refusal or prose', () => {
		const repairs = Array.from({ length: N }, (_, n) => {
			const text = REPAIR.replace('{language}', 'Python').replace('{cwe_id}', 'CWE-78').replace('{cwe_name}', 'OS command injection').replace('{code}', program(n) + '    os.system("echo " + value)\n');
			return { answer: realisticAnswer(text, { model: `m${n % 5}` }) };
		});
		const noCode = repairs.filter((r) => r.answer.kind === 'refusal' || r.answer.kind === 'prose').length;
		const expected = ((REPAIR_RATES.refusal + REPAIR_RATES.prose) / 100) * N;
		expect(noCode).toBeGreaterThan(expected * 0.5);
		expect(noCode).toBeLessThan(expected * 1.6);
		for (const r of repairs.filter((x) => x.answer.kind === 'secure').slice(0, 50)) {
			expect(r.answer.text).not.toContain('os.system("echo " + value)');
			expect(r.answer.text).toContain('subprocess.run(["echo", value], check=True)');
		}
	});

	it('markers force each kind', () => {
		for (const [marker, kind] of [['REFUSE_ME', 'refusal'], ['PROSE_ME', 'prose'], ['CUT_ME', 'cut_off'], ['BROKEN_ME', 'broken'], ['SECURE_ME', 'secure'], ['INSECURE_ME', 'insecure']] as const) {
			expect(realisticAnswer(`${prompt(0)}# ${marker}\n`).kind).toBe(kind);
		}
	});
});
