// The rule judges on shapes of code in the wild that no labelled set has (our own small
// programs): what holds no program, does not parse, or nests past the limit is refused with a
// reason (UnjudgeableCodeError — a status, never "secure"), and line ends, tabs and indentation
// do not change a verdict. Speed on big inputs is measured in bench/judges-wild.ts, not here.

import { beforeAll, describe, expect, it } from 'vitest';
import { bracketDepth, createTreeRuleJudge, type TreeRuleJudge } from '../../../../src/lib/judges/rules/judge.ts';
import { judgeWithRules } from '../../../../src/lib/core/judges/rules/judge.ts';
import { UnjudgeableCodeError } from '../../../../src/lib/core/judges/rules/screen.ts';
import { RULE_CWES } from '../../../../src/lib/core/judges/rules/types.ts';
import { loadParsers } from '../../../../src/lib/judges/rules/parse.ts';
import { MAX_SYNTAX_DEPTH, toSyn, TooDeepError } from '../../../../src/lib/judges/rules/syntax.ts';
import { rulesJudge } from '../../../../src/lib/judges/rules/rules-judge.ts';
import type { JudgeTarget } from '../../../../src/lib/judges/target.ts';

let tree: TreeRuleJudge;
beforeAll(async () => {
	tree = await createTreeRuleJudge();
});

const refusal = (run: () => unknown): string | null => {
	try {
		run();
		return null;
	} catch (e) {
		if (!(e instanceof UnjudgeableCodeError)) throw e;
		return e.message;
	}
};

const PY_HANDLER = `import os
from flask import request


def lookup():
    name = request.args.get("name")
    cursor.execute("SELECT * FROM people WHERE name = '%s'" % name)
    os.system("finger " + name)
    return open("/var/data/" + name).read()
`;

const C_PROGRAM = `#include <string.h>
#include <stdlib.h>

int keep(const char *in)
{
    char small[16];
    strcpy(small, in);
    char *copy = malloc(32);
    free(copy);
    return copy[0] + small[0];
}
`;

describe('the tree rule judge on code in the wild', () => {
	it('refuses C++ handed in as C, for every CWE (with or without a tree family)', () => {
		const cpp = `namespace shop {\ntemplate <typename T>\nclass Basket : public Holder<T> {\npublic:\n    explicit Basket(std::vector<T> items) : items_(std::move(items)) {}\n    T &pick(std::size_t k) { return items_[k]; }\nprivate:\n    std::vector<T> items_;\n};\n}\n`;
		for (const cwe of ['CWE-787', 'CWE-798', 'CWE-20']) expect(refusal(() => tree.judge({ code: cpp, language: 'c', cwe }))).toMatch(/this is C\+\+, not C: .*`std::`/);
		// the screen (screen.ts) refuses it before any rule: the token rules too
		expect(refusal(() => judgeWithRules({ code: cpp, language: 'c', cwe: 'CWE-787' }))).toMatch(/this is C\+\+, not C/);
		// C++ without those marks still meets the parser's own refusal
		const bare = `class Basket : public Holder<T> {\n    explicit Basket(Items<T> items) : items_(move(items)) {}\n    T &pick(size_t k) { return items_[k]; }\n    Items<T> items_;\n    Basket &operator=(const Basket &) = delete;\n};\n`;
		expect(refusal(() => tree.judge({ code: bare, language: 'c', cwe: 'CWE-787' }))).toMatch(/does not parse as C: the parser could not place \d+% of its tokens/);
	});

	it('still judges C with a few constructs the parser does not know (a C-like C++ line, a macro)', () => {
		const code = C_PROGRAM.replace('free(copy);', 'free(copy);\n    FOR_EACH_ITEM(list, item) { count++; }');
		expect(tree.judge({ code, language: 'c', cwe: 'CWE-416' }).vulnerable).toBe(true);
	});

	it('refuses nesting past the limit with its reason instead of overflowing the stack', async () => {
		const deep = `int deep(int x)\n{\n    return ${'('.repeat(5000)}x${')'.repeat(5000)};\n}\n`;
		expect(refusal(() => tree.judge({ code: deep, language: 'c', cwe: 'CWE-190' }))).toMatch(new RegExp(`nesting deeper than ${MAX_SYNTAX_DEPTH} syntax levels`));
		const blocks = `void deep(int x)\n{\n${'{ x++;\n'.repeat(3000)}${'}\n'.repeat(3000)}}\n`;
		expect(refusal(() => tree.judge({ code: blocks, language: 'c', cwe: 'CWE-476' }))).toMatch(/nesting deeper/);
		const lists = `deep = ${'['.repeat(3000)}${']'.repeat(3000)}\n`;
		expect(refusal(() => tree.judge({ code: lists, language: 'python', cwe: 'CWE-89' }))).toMatch(/nesting deeper/);
		// just under the limit: a tree, built without recursion
		const parsers = await loadParsers();
		const t = parsers.parse(`x = ${'('.repeat(300)}1${')'.repeat(300)}\n`, 'python');
		try {
			expect(toSyn(t).type).toBe('module');
		} finally {
			t.delete();
		}
		const tooDeep = parsers.parse(`x = ${'('.repeat(MAX_SYNTAX_DEPTH)}1${')'.repeat(MAX_SYNTAX_DEPTH)}\n`, 'python');
		try {
			expect(() => toSyn(tooDeep)).toThrow(TooDeepError);
		} finally {
			tooDeep.delete();
		}
	});

	it('refuses brackets nested past the limit before parsing, 100k deep and unclosed too; counts none in strings or comments', () => {
		for (const [code, language] of [
			[`int f(int x) { return ${'('.repeat(100_000)}x; }`, 'c'],
			[`int f(int x) { ${'{'.repeat(100_000)} }`, 'c'],
			[`def f(x):\n    return ${'['.repeat(100_000)}x${']'.repeat(100_000)}\n`, 'python']
		] as const)
			expect(refusal(() => tree.judge({ code, language, cwe: language === 'c' ? 'CWE-787' : 'CWE-89' }))).toMatch(/nesting deeper than 1000 syntax levels \(brackets nested over 1000 deep: refused before parsing\)/);
		expect(bracketDepth('int f(void) { if (a[(1)]) { g("((((", \'(\'); /* (((( */ } }\n// ((((\n')).toBe(4);
		expect(bracketDepth('x = "[[[" # [[[\ny = [[1]]\n')).toBe(2);
		// a program judged before is judged as before (well under the limit)
		expect(typeof tree.judge({ code: C_PROGRAM, language: 'c', cwe: 'CWE-416' }).vulnerable).toBe('boolean');
	});

	it('refuses empty, comment-only and NUL-byte programs for every CWE, as the token rules do', () => {
		for (const language of ['c', 'python'] as const)
			for (const cwe of RULE_CWES) {
				expect(refusal(() => tree.judge({ code: '', language, cwe }))).toMatch(/no code/);
				expect(refusal(() => tree.judge({ code: language === 'c' ? '// only this\n' : '# only this\n', language, cwe }))).toMatch(/only comments/);
				expect(refusal(() => tree.judge({ code: C_PROGRAM.replace('char small', 'char\u0000small'), language, cwe }))).toMatch(/NUL byte on line 6/);
			}
	});

	it('gives the same verdicts with CRLF line ends, with tabs, and for a method still indented', () => {
		const variants: Record<string, string> = {
			crlf: PY_HANDLER.replace(/\n/g, '\r\n'),
			tabs: PY_HANDLER.replace(/^ {4}/gm, '\t'),
			indented: PY_HANDLER.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n')
		};
		for (const cwe of ['CWE-89', 'CWE-78', 'CWE-22']) {
			const lf = tree.judge({ code: PY_HANDLER, language: 'python', cwe });
			expect(lf.vulnerable).toBe(true);
			for (const [name, code] of Object.entries(variants)) expect({ name, cwe, vulnerable: tree.judge({ code, language: 'python', cwe }).vulnerable }).toEqual({ name, cwe, vulnerable: true });
		}
		for (const cwe of ['CWE-787', 'CWE-416']) {
			expect(tree.judge({ code: C_PROGRAM, language: 'c', cwe }).vulnerable).toBe(true);
			expect(tree.judge({ code: C_PROGRAM.replace(/\n/g, '\r\n'), language: 'c', cwe }).vulnerable).toBe(true);
		}
	});

	it('judges Python 2 code handed in as Python (print statements parse)', () => {
		const py2 = `import os\n\ndef run(name):\n    print "running", name\n    os.system("convert " + name)\n`;
		expect(tree.judge({ code: py2, language: 'python', cwe: 'CWE-78' }).vulnerable).toBe(true);
	});

	it('a judge run writes a refused program as an error row with the reason, never a verdict', async () => {
		const target = (code: string): JudgeTarget => ({ target_id: 't', item_id: 'i', model: null, sample: 0, task: 'detection', cwe: 'CWE-787', language: 'c', scenario: 's', code, response: code, label: null, label_class: null });
		if (rulesJudge.execution.via !== 'direct') throw new Error('rules is a direct judge');
		const units = await rulesJudge.execution.units([target(''), target(C_PROGRAM)], { sourceRunId: null, unitId: (k) => JSON.stringify(k) });
		const [empty, real] = units.map((u) => u.compute());
		expect(empty).toMatchObject({ status: 'error', fields: { vulnerable: null } });
		expect(empty.error).toMatch(/rule judge: cannot judge this code: no code: the program is empty/);
		expect(real).toMatchObject({ status: 'ok', fields: { vulnerable: true } });
	});
});

// False-positive families found on the Python standard library (bench/judges-wild.ts): library
// code is mostly not vulnerable; each case below is a shape that fired there, in our own words.
describe('library code is not a web handler (false-positive families from the standard library)', () => {
	const flags = (code: string, cwe: string) => tree.judge({ code, language: 'python', cwe }).findings.map((f) => f.rule);

	it('a path joined from outside data is still CWE-22, in library code too', () => {
		const joined = `import os\n\ndef read_table(root, name):\n    path = os.path.join(root, name)\n    return open(path).read()\n`;
		expect(flags(joined, 'CWE-22').length).toBeGreaterThan(0);
	});

	it('asking about a joined path (isfile, exists) opens nothing; a method of the object named open is not the file API', () => {
		const probe = `import os\n\ndef find_tool(folder, name):\n    candidate = os.path.join(folder, name)\n    if os.path.isfile(candidate):\n        return candidate\n    return None\n`;
		expect(flags(probe, 'CWE-22')).toEqual([]);
		const method = `class Client:\n    def __init__(self, host, port):\n        self.open(host, port)\n`;
		expect(flags(method, 'CWE-22')).toEqual([]);
	});

	it('a shell redirection in a command string is not HTML (CWE-79)', () => {
		const code = `import subprocess\n\ndef compiler_macros(cc):\n    text = subprocess.check_output('%s -dM -E - </dev/null' % (cc,), shell=True)\n    return text\n`;
		expect(flags(code, 'CWE-79')).toEqual([]);
		const html = `from flask import request\n\n@app.route("/hi")\ndef hi():\n    name = request.args.get("name")\n    return "<b>%s</b>" % name\n`;
		expect(flags(html, 'CWE-79').length).toBeGreaterThan(0);
	});

	it('returning a parameter or a caught exception from library code is no response (CWE-79, CWE-200)', () => {
		const library = `def parse(text):\n    try:\n        return int(text)\n    except ValueError as error:\n        return str(error)\n\ndef echo(value):\n    return value\n`;
		expect(flags(library, 'CWE-200')).toEqual([]);
		expect(flags(library, 'CWE-79')).toEqual([]);
		const handler = `from flask import Flask, request\napp = Flask(__name__)\n\n@app.route("/parse")\ndef parse():\n    try:\n        return int(request.args["n"])\n    except ValueError as error:\n        return str(error)\n`;
		expect(flags(handler, 'CWE-200')).toContain('py.cwe-200.exception-in-response');
	});
});

describe('more library shapes from the standard library', () => {
	const flags = (code: string, cwe: string) => tree.judge({ code, language: 'python', cwe }).findings.map((f) => f.rule);

	it('library code opening the path its caller passed is not CWE-22; a web handler doing so is', () => {
		const library = `def dump(table, filename):\n    with open(filename, "wb") as handle:\n        handle.write(table)\n`;
		expect(flags(library, 'CWE-22')).toEqual([]);
		const handler = `from flask import request, send_file\n\n@app.route("/get")\ndef get(filename):\n    return open(filename, "rb").read()\n`;
		expect(flags(handler, 'CWE-22')).toContain('py.path.unchecked');
	});

	it('writing text to a stream is a page only in web code (CWE-79)', () => {
		const library = `def emit(out, items):\n    line = "%s;" % ",".join(items)\n    out.write(line)\n`;
		expect(flags(library, 'CWE-79')).toEqual([]);
	});

	it('a command runner given one literal word (a step name) is not CWE-78; a command line still is', () => {
		expect(flags(`class Build:\n    def run(self):\n        self.run_command('compile')\n`, 'CWE-78')).toEqual([]);
		expect(flags(`def deploy(host):\n    run_command("rm -rf /srv/app")\n`, 'CWE-78')).toContain('py.shell.remote-command-string');
	});
});
