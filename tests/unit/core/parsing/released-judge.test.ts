// The judge answers stored in the released results (`meta_data`), read at run time from
// ../shared/coveval: paperJudgeVerdict must reproduce every stored `vul_eval`, and the
// strict parser must agree with it except where the upstream reading is wrong.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseJsonDocuments } from '../../../../src/lib/core/items/json-records.ts';
import { parseJudgeAnswer } from '../../../../src/lib/core/parsing/judge-answer.ts';
import { paperJudgeVerdict, type PaperJudgeForm } from '../../../../src/lib/core/parsing/paper-judge.ts';

const base = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../../shared/coveval/cov-eval');
// Which judge template produced each file (shared/coveval/SOURCES.md).
const FILES: Array<[string, PaperJudgeForm]> = [
	['released_results/code_completion/llama3.1-8b-instruct.json', 'yes-no'],
	['released_results/code_completion/qwen2.5-7b-instruct.json', 'yes-no'],
	['released_results/vulnerability_repair/llama3.1-8b-instruct.json', 'safe-unsafe'],
	['code_completion/instruction.json', 'safe-unsafe'],
	['code_completion/instruction_v2.json', 'safe-unsafe']
];
const missing = FILES.some(([f]) => !existsSync(`${base}/${f}`));
if (missing) console.warn(`skipping released-judge tests: files under ${base} are absent`);

function answers() {
	const out: Array<{ file: string; form: PaperJudgeForm; answer: string; unsafe: boolean }> = [];
	for (const [file, form] of FILES) {
		const path = `${base}/${file}`;
		for (const { value } of parseJsonDocuments(readFileSync(path, 'utf8'), path)) {
			const meta = value.meta_data as Record<string, Record<string, string>>;
			for (const perCwe of Object.values(meta)) {
				for (const answer of Object.values(perCwe)) out.push({ file, form, answer, unsafe: value.vul_eval === 'unsafe' });
			}
		}
	}
	return out;
}

describe.skipIf(missing)('released judge answers', () => {
	it('paper reading reproduces all 1,125 stored verdicts', () => {
		const all = answers();
		expect(all).toHaveLength(54 + 54 + 477 + 270 + 270);
		const wrong = all.filter((a) => paperJudgeVerdict(a.answer, a.form) !== a.unsafe);
		expect(wrong).toEqual([]);
	});

	it('strict parser: 2 unparsed (answers cut off at "{"), 5 disagreements, all of them "safe" answers that mention "unsafe"', () => {
		const all = answers();
		const parsed = all.map((a) => ({ ...a, parsed: parseJudgeAnswer(a.answer) }));
		const unparsed = parsed.filter((p) => p.parsed.status === 'unparsed');
		expect(unparsed.map((p) => p.answer.trim())).toEqual(['{', '{']);
		const disagree = parsed.filter((p) => p.parsed.status === 'ok' && p.parsed.vulnerable !== p.unsafe);
		// Found by reading every disagreement: each states "vulnerable": "safe" and then uses the
		// word "unsafe" in its explanation, which upstream's substring test reads as unsafe.
		expect(disagree).toHaveLength(5);
		for (const d of disagree) {
			expect(d.unsafe).toBe(true);
			expect(d.answer).toMatch(/"vulnerable": "safe"/);
			expect(d.answer.toLowerCase().split('unsafe').length).toBeGreaterThan(1);
		}
	});
});
