// The TEST DOUBLE's demo answers (tests/support/realistic-answers.ts, not a model): one function
// of (model, prompt, sample) decides every answer, so the live, streamed and batch paths answer a
// prompt alike; the generation answers hold refusals, prose, cut-off and broken code at the
// rates the double names; a Vul-Evol double does not take over ordinary completion prompts.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractCode } from '../../../src/lib/core/parsing/code.ts';
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

const ask = async (model: string, text: string, sample: number) =>
	(await client.chat.completions.create({ model, messages: [{ role: 'user', content: text }] }, { headers: { 'x-covw-sample': String(sample) } })).choices[0].message.content;

async function askStreamed(model: string, text: string, sample: number): Promise<string> {
	const stream = await client.chat.completions.create({ model, stream: true, messages: [{ role: 'user', content: text }] }, { headers: { 'x-covw-sample': String(sample) } });
	let out = '';
	for await (const chunk of stream) out += chunk.choices[0]?.delta?.content ?? '';
	return out;
}

async function askBatch(lines: { id: string; model: string; text: string }[]): Promise<Map<string, string>> {
	const jsonl = lines.map((l) => JSON.stringify({ custom_id: l.id, method: 'POST', url: '/v1/chat/completions', body: { model: l.model, messages: [{ role: 'user', content: l.text }] } })).join('\n');
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

describe('the demo test double answers a prompt the same way on every path', () => {
	it('live, streamed and batch give realisticAnswer(prompt, {model, sample}); the k-th equal batch line is sample k', async () => {
		const cases = [0, 1, 2, 3, 4, 5].map((n) => ({ n, text: prompt(n) }));
		const lines = cases.flatMap((c) => [
			{ id: `${c.n}-a-0`, model: 'model-a', text: c.text },
			{ id: `${c.n}-a-1`, model: 'model-a', text: c.text },
			{ id: `${c.n}-b-0`, model: 'model-b', text: c.text }
		]);
		const batch = await askBatch(lines);
		for (const c of cases) {
			for (const [model, sample, id] of [['model-a', 0, `${c.n}-a-0`], ['model-a', 1, `${c.n}-a-1`], ['model-b', 0, `${c.n}-b-0`]] as const) {
				const expected = realisticAnswer(c.text, { model, sample }).text;
				expect(await ask(model, c.text, sample)).toBe(expected);
				expect(await askStreamed(model, c.text, sample)).toBe(expected);
				expect(batch.get(id)).toBe(expected);
			}
		}
	});

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
