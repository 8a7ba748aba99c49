// code-parses.ts on small programs of our own: the rule judge's tree-sitter parsers say whether a
// training example's program parses in its language, and why not (an ERROR node, a MISSING token).
import { beforeAll, describe, expect, it } from 'vitest';
import { parseChecker, type ParseFinding } from '../../../../src/lib/runs/evolve/code-parses.ts';
import { excludeUnparseable } from '../../../../src/lib/runs/evolve/sft-export.ts';
import { MAX_CODE_CHARS } from '../../../../src/lib/runs/import/types.ts';

let check: (code: string, language: string) => ParseFinding | null;
beforeAll(async () => {
	check = await parseChecker();
});

const C_OK = '#include <stdio.h>\n\nint main(int argc, char *argv[]) {\n    char buf[16];\n    snprintf(buf, sizeof buf, "%s", argv[1]);\n    return 0;\n}\n';

describe('parseChecker', () => {
	it('passes programs that parse in their language', () => {
		expect(check(C_OK, 'c')).toBeNull();
		expect(check('import subprocess\n\ndef run(name):\n    subprocess.run(["touch", name], check=True)\n    return "done"\n', 'python')).toBeNull();
		// unreachable code after a return still parses: parsing is not judging
		expect(check('def helper(value):\n    return value\n    print(value)\n', 'python')).toBeNull();
	});

	it('refuses a C program with a Python function appended (an ERROR node), naming its line', () => {
		const mixed = '#include <stdlib.h>\n\nint main(void) {\n    return 0;\n}\ndef complexity_helper(value):\n    return value  # helper\n';
		expect(check(mixed, 'c')).toMatchObject({ problem: 'syntax_error' });
		expect(check(mixed, 'c')!.line).toBeGreaterThanOrEqual(6);
	});

	it('refuses a call with its closing parenthesis missing', () => {
		const cut = C_OK.replace('argv[1]);', 'argv[1];');
		const f = check(cut, 'c');
		expect(f).not.toBeNull();
		expect(['missing_token', 'syntax_error']).toContain(f!.problem);
		expect(f!.line).toBe(5);
		expect(check('def f(x:\n    return x\n', 'python')).not.toBeNull();
	});

	it('refuses C handed in as Python, and a language with no parser', () => {
		expect(check(C_OK, 'python')).toMatchObject({ problem: 'syntax_error' });
		expect(check('int f(std::string s) { return s.size(); }', 'cpp')).toEqual({ problem: 'unknown_language', line: null });
	});

	it('refuses a program over the import\'s cap as too_large, before parsing', () => {
		expect(check('#'.repeat(MAX_CODE_CHARS + 1), 'python')).toEqual({ problem: 'too_large', line: null });
		expect(check('#'.repeat(MAX_CODE_CHARS), 'python')).toBeNull();
	});
});

describe('excludeUnparseable', () => {
	const ex = (id: string, code: string) => ({ id, kind: 'vd-ift' as const, prompt: '', response: '', codes: [code], language: 'python' as const });
	it('past its time budget reports the rest "not_checked" (excluded, never assumed to parse), by index', () => {
		// A stand-in checker and clock: each check takes 10 ms of a 15 ms budget.
		let t = 0;
		const checked: string[] = [];
		const r = excludeUnparseable([ex('a', 'x = 1\n'), ex('b', 'def f(:\n'), ex('c', 'y = 2\n'), ex('d', 'z = 3\n')], (code) => {
			checked.push(code);
			t += 10;
			return code.includes('(:') ? { problem: 'syntax_error', line: 1 } : null;
		}, { budgetMs: 15, now: () => t });
		expect(checked.length).toBe(2);
		expect(r.kept.map((e) => e.id)).toEqual(['a']);
		expect(r.byReason).toEqual({ syntax_error: 1, not_checked: 2 });
		expect(r.excluded.map((x) => [x.index, x.problem])).toEqual([[1, 'syntax_error'], [2, 'not_checked'], [3, 'not_checked']]);
	});
});
