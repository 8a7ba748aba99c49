// The C rule changes of wave 5, each on our own small vulnerable and fixed programs: the
// vulnerable version is flagged with the rule and line, the fixed one passes.

import { beforeAll, describe, expect, it } from 'vitest';
import { createTreeRuleJudge, type TreeRuleJudge } from '../../../../src/lib/judges/rules/judge.ts';

let judge: TreeRuleJudge;
beforeAll(async () => {
	judge = await createTreeRuleJudge();
});

describe('allocators known by their name', () => {
	const cases = [
		{ callee: 'arena_malloc', cwe: 'CWE-190' },
		{ callee: 'PoolAllocate', cwe: 'CWE-190' },
		{ callee: 'scratch_zalloc_n', cwe: 'CWE-787' }
	];
	for (const { callee, cwe } of cases) {
		it(`${cwe}: a size from a record plus one reaches ${callee}() unchecked; the fix rejects the largest size first`, () => {
			const vulnerable = `char *dup_label(const struct record *rec)\n{\n    char *out = ${callee}(rec->label_len + 1);\n    if (!out)\n        return NULL;\n    memcpy(out, rec->label, rec->label_len);\n    out[rec->label_len] = 0;\n    return out;\n}\n`;
			const fixed = `char *dup_label(const struct record *rec)\n{\n    char *out;\n    if (rec->label_len >= SIZE_MAX)\n        return NULL;\n    out = ${callee}(rec->label_len + 1);\n    if (!out)\n        return NULL;\n    memcpy(out, rec->label, rec->label_len);\n    out[rec->label_len] = 0;\n    return out;\n}\n`;
			const bad = judge.judge({ code: vulnerable, language: 'c', cwe });
			expect(bad.findings).toContainEqual(expect.objectContaining({ rule: 'c.integer.alloc-size-overflow', line: 3 }));
			const good = judge.judge({ code: fixed, language: 'c', cwe });
			expect(good.findings.filter((f) => f.rule === 'c.integer.alloc-size-overflow')).toEqual([]);
		});
	}

	it('a call that frees is no allocator, whatever its name says', () => {
		const code = `void drop_label(struct record *rec)\n{\n    pool_dealloc(rec->label_len + 1);\n}\n`;
		const v = judge.judge({ code, language: 'c', cwe: 'CWE-190' });
		expect(v.findings.filter((f) => f.rule === 'c.integer.alloc-size-overflow')).toEqual([]);
	});
});
