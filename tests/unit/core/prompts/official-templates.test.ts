// The official CoV-Eval templates (read at run time from ../shared, never copied) and our
// defaults must render: every slot filled, literal braces unescaped, and — for the official
// ones — exactly what Python's str.format produces from the same values.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildJudgePrompt, buildTaskPrompt, type TemplateSet } from '../../../../src/lib/core/prompts/build.ts';
import { renderTemplate } from '../../../../src/lib/core/prompts/template.ts';
import { TEMPLATE_NAMES } from '../../../../src/lib/core/prompts/template-names.ts';
import type { Item } from '../../../../src/lib/core/items/item.ts';
import { loadTemplates } from '../../../../src/lib/node/coveval/templates.ts';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..');
const defaults = resolve(repoRoot, 'datasets/templates');
const official = resolve(repoRoot, '../shared/coveval/cov-eval/templates');
const officialMissing = !existsSync(official);
if (officialMissing) console.warn(`skipping official-template tests: ${official} is absent`);
const hasPython = spawnSync('python3', ['-c', 'print(1)']).status === 0;

const CODE = 'int main(void) {\n    char b[4] = {0};\n    //-copilot next line-\n}';
const item = (task: Item['task']): Item => ({
	item_id: `${task}/x`,
	task,
	set: task === 'completion' ? 'seed' : task === 'repair' ? 'repair' : 'detection',
	cwe: 'CWE-787',
	language: 'c',
	scenario: 'toy',
	code: CODE,
	label: null,
	label_class: null,
	source: 'test'
});
const EXAMPLES = { vulnerable: 'char d[2]; strcpy(d, argv[1]);', nonVulnerable: 'char d[2]; strncpy(d, argv[1], 1);' };

function renderAll(templates: TemplateSet): string[] {
	return [
		buildTaskPrompt(item('completion'), templates),
		buildTaskPrompt(item('repair'), templates),
		buildTaskPrompt(item('detection'), templates),
		buildJudgePrompt({ style: 'zeroshot', cwe: 'CWE-787', code: CODE, language: 'c' }, templates),
		buildJudgePrompt({ style: 'fewshot', cwe: 'CWE-787', code: CODE, language: 'c', examples: EXAMPLES }, templates),
		buildJudgePrompt({ style: 'direct', cwe: 'CWE-787', code: CODE, language: 'c' }, templates)
	];
}

function expectFilled(prompt: string) {
	expect(prompt).toContain(CODE);
	// No slot left: no {word} outside the inserted code.
	expect(prompt.replace(CODE, '')).not.toMatch(/\{[A-Za-z_]\w*\}/);
	expect(prompt).not.toContain('{{');
	expect(prompt).not.toContain('}}');
}

describe('default templates (datasets/templates)', () => {
	it('render for every task and judge style', async () => {
		const { templates } = await loadTemplates(defaults);
		const prompts = renderAll(templates);
		prompts.forEach(expectFilled);
		expect(prompts[1]).toContain('CWE-787, Out-of-bounds Write');
		expect(prompts[2]).toContain('cwe-732: Incorrect Permission Assignment for Critical Resource');
		expect(prompts[2]).not.toContain('CWE-787'); // the detection prompt must not give the answer away
		expect(prompts[3]).toContain('{"vulnerable": "unsafe"}');
		expect(prompts[4]).toContain(EXAMPLES.vulnerable);
		expect(prompts[4]).toContain(EXAMPLES.nonVulnerable);
	});
});

describe.skipIf(officialMissing)('official CoV-Eval templates', () => {
	it('load with judge_direct falling back to our default, and render filled', async () => {
		const { templates, files } = await loadTemplates(official, defaults);
		expect(files.judge_zeroshot).toBe(resolve(official, 'judge_zeroshot.txt'));
		expect(files.judge_direct).toBe(resolve(defaults, 'judge_direct.txt'));
		const prompts = renderAll(templates);
		prompts.forEach(expectFilled);
		expect(prompts[3]).toContain('cwe-787: Out-of-bounds Write'); // {Vulnerability_Type}
		expect(prompts[1]).toContain('vulnerability type: Out-of-bounds Write'); // {vulnerability_type}
		expect(prompts[3]).toMatch(/\{\s*"vulnerable"/); // {{ became {
	});

	it.skipIf(!hasPython)('render exactly as Python str.format does', async () => {
		const { templates, files } = await loadTemplates(official, defaults);
		const values = {
			code: CODE,
			language: 'c',
			vulnerability_type: 'Out-of-bounds Write',
			Vulnerability_Type: 'cwe-787: Out-of-bounds Write',
			example_1: EXAMPLES.vulnerable,
			example_2: EXAMPLES.nonVulnerable
		};
		for (const name of TEMPLATE_NAMES.filter((n) => files[n].startsWith(official))) {
			const ours = renderTemplate(templates[name], values);
			const python = spawnSync(
				'python3',
				['-c', 'import json,sys; v=json.load(sys.stdin); sys.stdout.write(open(sys.argv[1], encoding="utf-8").read().format(**v))', files[name]],
				{ input: JSON.stringify(values), encoding: 'utf8' }
			);
			expect(python.status, python.stderr).toBe(0);
			expect(ours, name).toBe(python.stdout);
		}
	});
});
