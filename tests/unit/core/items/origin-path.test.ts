import { describe, expect, it } from 'vitest';
import { collectItems } from '../../../../src/lib/core/items/collect.ts';
import { checkCounts, countItems } from '../../../../src/lib/core/items/counts.ts';
import { makeItem } from '../../../../src/lib/core/items/make-item.ts';
import { classifyOriginPath } from '../../../../src/lib/core/items/origin-path.ts';

describe('classifyOriginPath', () => {
	it('recognises the five item kinds behind any prefix, with either separator', () => {
		expect(classifyOriginPath('/home/me/CoV-Eval/datasets/CoV-Eval_v1/code_completion_task/cwe-22/tar-x/3_scenario.py')).toEqual({
			kind: 'vul-evol',
			cwe: 'CWE-22',
			scenario: 'tar-x',
			language: 'python',
			index: 3,
			folderLabel: null,
			upstreamPath: 'datasets/CoV-Eval_v1/code_completion_task/cwe-22/tar-x/3_scenario.py'
		});
		const repair = classifyOriginPath('C:\\clone\\datasets\\CoV-Eval_v1\\vulnerability_repair_task\\cwe-190\\experiments_dow_cwe-190_add-one-a_scenario_copilot_12.c');
		expect(repair).toMatchObject({ kind: 'repair', cwe: 'CWE-190', scenario: 'add-one-a', index: 12, language: 'c' });
		expect(classifyOriginPath('datasets/CoV-Eval_v1/vulnerability_detection_classification_task/non_vulnerable/cwe-732/experiments_dow_cwe-732_perm_scenario_copilot_0.c')).toMatchObject({
			kind: 'detection',
			folderLabel: 'non_vulnerable'
		});
		expect(classifyOriginPath('experiments_dow/cwe-78/ping/gen_scenario/experiments_dow_cwe-78_ping_scenario_copilot_4.py')?.kind).toBe('pearce');
		expect(classifyOriginPath('datasets/CoV-Eval_v1/code_completion_task_seed/cwe-78/ping/scenario.py')?.kind).toBe('seed');
	});

	it('returns null for other files and throws on self-contradicting paths', () => {
		expect(classifyOriginPath('evaluation.py')).toBeNull();
		expect(classifyOriginPath('datasets/CoV-Eval_v1/code_completion_task/cwe-22/tar-x/notes.txt')).toBeNull();
		expect(() => classifyOriginPath('datasets/CoV-Eval_v1/vulnerability_repair_task/cwe-79/experiments_dow_cwe-798_k_scenario_copilot_1.py')).toThrow(
			'the file name says cwe-798 but the folder says cwe-79'
		);
	});
});

describe('makeItem', () => {
	it('peels the Vul-Evol fence and keeps the marker and everything else byte for byte', () => {
		const info = classifyOriginPath('datasets/CoV-Eval_v1/code_completion_task/cwe-476/maybe-null/0_scenario.cpp'.replace('.cpp', '.c'))!;
		const code = '```cpp\n#include <stdio.h>\n\n  //-copilot next line-\n```\n';
		const item = makeItem({ info, code, originPath: info.upstreamPath });
		expect(item.code).toBe('#include <stdio.h>\n\n  //-copilot next line-');
		expect(item.item_id).toBe('completion/vul-evol/CWE-476/maybe-null/0');
	});

	it('gives repair items their CWE as label class', () => {
		const info = classifyOriginPath('datasets/CoV-Eval_v1/vulnerability_repair_task/cwe-125/experiments_dow_cwe-125_idx_scenario_copilot_2.c')!;
		expect(makeItem({ info, code: 'x', originPath: 'p' })).toMatchObject({ label: 'vulnerable', label_class: 'CWE-125', item_id: 'repair/CWE-125/idx/copilot-2' });
	});
});

describe('collecting and counting', () => {
	const info = classifyOriginPath('datasets/CoV-Eval_v1/code_completion_task_seed/cwe-79/echo/scenario.py')!;
	const a = makeItem({ info, code: 'print(1)\n', originPath: 'a' });

	it('drops identical duplicates, refuses conflicting ones', () => {
		expect(collectItems([a, { ...a }]).duplicates).toBe(1);
		expect(() => collectItems([a, { ...a, code: 'print(2)\n', source: 'b' }])).toThrow('two different programs have the id completion/seed/CWE-79/echo: a and b');
	});

	it('counts per task, CWE and language and flags the mismatch with the full benchmark', () => {
		const counts = countItems([a]);
		expect(counts.byTask.completion).toBe(1);
		expect(counts.byCwe['CWE-79'].completion).toBe(1);
		expect(counts.byLanguage.python.completion).toBe(1);
		const checks = checkCounts(counts);
		expect(checks.find((c) => c.what === 'task completion')).toEqual({ what: 'task completion', expected: 324, actual: 1, ok: false });
	});
});
