// The unjudgeable-code screen (core/judges/rules/screen.ts) is the one gate of every offline
// judge: empty or comment-only text, NUL bytes and binary, and programs in another language
// handed in as C or Python (Go, Rust, Java, PHP, C++, JavaScript; C as Python, Python as C) are an
// error with the reason from the rule judges and from every analyzer — and no analyzer process
// is started for them (an empty PATH would make the tool's error "not installed" instead). Real
// C and Python, including Python 2 and code that mentions other languages in its strings and
// comments, passes. Programs written here, in our own words; the real sets are read from
// ../shared at run time.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeWithRules } from '../../../src/lib/core/judges/rules/judge.ts';
import { screenCode, screenProgram, UnjudgeableCodeError } from '../../../src/lib/core/judges/rules/screen.ts';
import { parsePearcePrograms } from '../../../src/lib/core/judges/rules/pearce-measure.ts';
import { judgeBatchWithAnalyzer } from '../../../src/lib/judges/analyzers/judge.ts';
import { ANALYZER_TOOL_LIST } from '../../../src/lib/judges/analyzers/tools/index.ts';
import { createTreeRuleJudge, type TreeRuleJudge } from '../../../src/lib/judges/rules/judge.ts';
import { rulesJudge, tokenRulesJudge } from '../../../src/lib/judges/rules/rules-judge.ts';
import { parseSven } from '../../../src/lib/judges/rules/sven-split.ts';
import type { JudgeTarget } from '../../../src/lib/judges/target.ts';

const GO = `package billing

import (
	"database/sql"
	"fmt"
)

func Lookup(db *sql.DB, who string) (*sql.Rows, error) {
	q := fmt.Sprintf("SELECT total FROM bills WHERE owner = '%s'", who)
	return db.Query(q)
}
`;
const RUST = `use std::io::Read;

fn read_name(input: &mut dyn Read) -> String {
    let mut buf = [0u8; 16];
    let n = input.read(&mut buf).unwrap();
    String::from_utf8_lossy(&buf[..n]).to_string()
}
`;
const JAVA = `import java.sql.Connection;

public class Accounts {
    public ResultSet find(Connection c, String who) throws Exception {
        return c.createStatement().executeQuery("SELECT * FROM acct WHERE id = " + who);
    }
}
`;
const PHP = `<?php
$name = $_GET['name'];
$sql = "SELECT * FROM people WHERE name = '" . $name . "'";
mysqli_query($conn, $sql);
`;
const JS = `const express = require('express');
const app = express();

app.get('/greet', (req, res) => {
  res.send('<p>Hello ' + req.query.who + '</p>');
});
`;
const CPP = `#include <iostream>
#include <cstring>

void keep(const std::string &in)
{
    char *copy = new char[8];
    std::strcpy(copy, in.c_str());
    std::cout << copy << std::endl;
    delete[] copy;
}
`;
const C = `#include <string.h>
#include <stdio.h>

int greet(const char *who)
{
    char line[32];
    strcpy(line, "hello ");
    strcat(line, who);
    return puts(line);
}
`;
const PYTHON = `import os
from flask import request


def remove_upload():
    name = request.args.get("name")
    if name:
        os.system("rm uploads/" + name)
    return "done"
`;

/** Code in another language, the language it is handed in as, and the language the reason must name. */
const HANDED_IN: [string, string, 'c' | 'python', string][] = [
	['Go', GO, 'c', 'Go'],
	['Go', GO, 'python', 'Go'],
	['Rust', RUST, 'c', 'Rust'],
	['Rust', RUST, 'python', 'Rust'],
	['Java', JAVA, 'c', 'Java'],
	['Java', JAVA, 'python', 'Java'],
	['PHP', PHP, 'c', 'PHP'],
	['PHP', PHP, 'python', 'PHP'],
	['JavaScript', JS, 'c', 'JavaScript'],
	['JavaScript', JS, 'python', 'JavaScript'],
	['C++', CPP, 'c', 'C\\+\\+'],
	['C', C, 'python', 'C'],
	['Python', PYTHON, 'c', 'Python']
];

/** Real programs of the claimed language that must pass: each has something of another language in a string or comment, or a construct close to one. */
const ALLOWED: [string, string, 'c' | 'python'][] = [
	['C', C, 'c'],
	['Python', PYTHON, 'python'],
	['Python 2 (print statements, except X, e:)', `import os\n\ndef run(name):\n    print "running", name\n    try:\n        os.system("convert " + name)\n    except OSError, e:\n        print >>sys.stderr, e\n`, 'python'],
	['Python with the walrus operator and type hints', `import re\n\ndef first_word(text: str) -> str | None:\n    if (m := re.match(r"\\w+", text)) is not None:\n        return m.group(0)\n    return None\n`, 'python'],
	['Python returning a page with a script in it', `from flask import Flask\napp = Flask(__name__)\n\n@app.route("/")\ndef page():\n    return """<script>\nconst who = document.location.hash;\nfunction show() { console.log(who); }\nlet f = (x) => x === 1;\n</script>"""\n`, 'python'],
	['Python that checks uploads for PHP', `def is_script(data):\n    text = data.decode("latin-1")\n    return "<?php" in text or text.startswith("#!")\n`, 'python'],
	['Python with a comment on C', `# include the header before calling\n# define the buffer size here\ndef size():\n    return 16\n`, 'python'],
	['C with a variable called new and a label', `struct node *push(struct node *head, int v)\n{\n    struct node *new = malloc(sizeof *new);\n    if (!new)\n        goto out;\n    new->v = v;\n    new->next = head;\n    return new;\nout:\n    return head;\n}\n`, 'c'],
	['C printing Go and JavaScript', `void help(void)\n{\n    puts("package main");\n    puts("func main() { x := 1 }");\n    puts("const a = () => 1;");\n    /* fn main() { let mut x = 1; } */\n}\n`, 'c'],
	['a C function cut from its file, no includes', `static int\nparse_len(const unsigned char *p, size_t n)\n{\n    if (n < 2)\n        return -1;\n    return (p[0] << 8) | p[1];\n}\n`, 'c']
];

describe('screenProgram: another language handed in', () => {
	for (const [name, code, claimed, named] of HANDED_IN) {
		it(`refuses ${name} handed in as ${claimed === 'c' ? 'C' : 'Python'}, naming the marks and their lines`, () => {
			const reason = screenProgram(code, claimed);
			expect(reason).toMatch(new RegExp(`^this is ${named}, not ${claimed === 'c' ? 'C' : 'Python'}: .*\\(line \\d+\\)`));
		});
	}
	for (const [name, code, claimed] of ALLOWED) it(`passes ${name}`, () => expect(screenProgram(code, claimed)).toBeNull());

	it('refuses what holds no program or is not text, as before', () => {
		expect(screenProgram('', 'c')).toBe('no code: the program is empty');
		expect(screenProgram('  \n\t\n', 'python')).toBe('no code: the program is empty');
		expect(screenProgram('/* nothing */\n// here\n', 'c')).toBe('no code: only comments');
		expect(screenProgram('int x;\u0000\n', 'c')).toMatch(/^a NUL byte on line 1/);
		expect(screenProgram('\u0001\u0002\u0003\u0004\u0005ELF', 'c')).toMatch(/^not source text/);
	});

	it('leaves the size limits to the rule judges (screenCode), not to the analyzers', () => {
		const big = `${'int x;\n'.repeat(10_001)}`;
		expect(screenProgram(big, 'c')).toBeNull();
		expect(screenCode(big, 'c')).toMatch(/^too large for the rule judge/);
	});
});

const target = (code: string, language: 'c' | 'python', cwe: string) =>
	({ target_id: 't', item_id: 'own/t', model: null, sample: 0, task: 'reference', cwe, language, scenario: 's', code, response: '', label: null, label_class: null }) as unknown as JudgeTarget;

/** The trial's hostile cases (written again here): each must be an error from every offline judge. */
const HOSTILE: [string, string, 'c' | 'python', string][] = [
	['Go as C', GO, 'c', 'CWE-89'],
	['Go as Python', GO, 'python', 'CWE-89'],
	['NUL bytes as C', '\u0000\u0001\u0002ELF\u007f garbage\n\u0000', 'c', 'CWE-787'],
	['C as Python', C, 'python', 'CWE-78'],
	['Python as C', PYTHON, 'c', 'CWE-78'],
	['C++ as C', CPP, 'c', 'CWE-787'],
	['comments only, as C', '// to do\n/* later */\n', 'c', 'CWE-787']
];

describe('every offline judge refuses what the screen refuses', () => {
	let tree: TreeRuleJudge;
	let scratch: string;
	beforeAll(async () => {
		tree = await createTreeRuleJudge();
		scratch = mkdtempSync(join(tmpdir(), 'covw-screen-test-'));
	});
	afterAll(() => rmSync(scratch, { recursive: true, force: true }));

	for (const [name, code, language, cwe] of HOSTILE) {
		it(`${name}: rules and rules-v1 give an error row with the reason`, async () => {
			for (const judge of [rulesJudge, tokenRulesJudge]) {
				if (judge.execution.via !== 'direct') throw new Error('a rule judge runs directly');
				const [unit] = await judge.execution.units([target(code, language, cwe)], { sourceRunId: null, unitId: () => 'u' });
				const out = await unit.compute();
				expect(out.status, judge.name).toBe('error');
				expect(out.error, judge.name).toMatch(/^rule judge: cannot judge this code: /);
				expect(out.fields?.vulnerable, judge.name).toBeNull();
			}
			expect(() => tree.judge({ code, language, cwe })).toThrow(UnjudgeableCodeError);
			expect(() => judgeWithRules({ code, language, cwe })).toThrow(UnjudgeableCodeError);
		});

		it(`${name}: every analyzer of that language refuses it before its tool runs`, async () => {
			const tools = ANALYZER_TOOL_LIST.filter((t) => t.language === language && (!t.cwes || t.cwes.includes(cwe as never)));
			expect(tools.length).toBeGreaterThan(0);
			for (const tool of tools) {
				// no tool on this PATH: had the tool been asked, the error would say it is not installed
				const [verdict] = await judgeBatchWithAnalyzer(tool.name, [{ code, language, cwe }], { path: join(scratch, 'no-bin') });
				expect(verdict.status, tool.name).toBe('error');
				if (verdict.status === 'error') expect(verdict.error, tool.name).toMatch(new RegExp(`^${tool.name}: cannot judge this code: `));
			}
		});
	}

	it('the same code in its own language still reaches the tool (here: not installed)', async () => {
		const [verdict] = await judgeBatchWithAnalyzer('flawfinder', [{ code: C, language: 'c', cwe: 'CWE-787' }], { path: join(scratch, 'no-bin') });
		expect(verdict).toMatchObject({ status: 'error', error: 'flawfinder is not installed: apt-get install flawfinder' });
	});
});

describe('no false refusals on the real sets (../shared)', () => {
	const shared = join(__dirname, '../../../../shared');
	const svenPath = join(shared, 'sven/train.jsonl');
	const pearcePath = join(shared, 'coveval/pearce/dow_programs.jsonl');
	const detectionPath = join(shared, 'coveval/cov-eval/detection_classification/detection_inputs.jsonl');
	if (!existsSync(svenPath) || !existsSync(pearcePath)) console.log(`screen.test: ../shared/sven or ../shared/coveval/pearce not found: the real-set checks are skipped`);

	it.skipIf(!existsSync(svenPath))('refuses none of SVEN\'s C and Python programs (dev and held-out)', () => {
		const programs = parseSven(readFileSync(svenPath, 'utf8'), svenPath).filter((p) => p.language !== 'cpp');
		expect(programs.length).toBeGreaterThan(1000);
		const refused = programs.flatMap((p) => (screenProgram(p.code, p.language as 'c' | 'python') ? [p.id] : []));
		expect(refused).toEqual([]);
	});

	it.skipIf(!existsSync(pearcePath))('refuses none of the Pearce et al. programs', () => {
		const programs = parsePearcePrograms(readFileSync(pearcePath, 'utf8'), pearcePath);
		expect(programs.length).toBeGreaterThan(1000);
		expect(programs.flatMap((p) => (screenProgram(p.code, p.language) ? [p.id] : []))).toEqual([]);
	});

	it.skipIf(!existsSync(detectionPath))('refuses none of the CoV-Eval detection items', () => {
		const rows = readFileSync(detectionPath, 'utf8').split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as { id: string; language: string; code: string });
		const refused = rows.flatMap((r) => ((r.language === 'c' || r.language === 'python') && screenProgram(r.code, r.language) ? [r.id] : []));
		expect(refused).toEqual([]);
	});
});

// Hostile lines (review): patterns whose time grows with the square of a line's length held the
// event loop for minutes on one 200,000-character line. No fingerprint reads a line that long;
// before the fix each of these took minutes (past the test's timeout), now they are refused or
// passed at once. Not timed: a regression shows as a timeout.
describe('the screen on hostile long lines', () => {
	const long = 200_000;
	it.each([
		['a C head of stars, claimed Python', 'int ' + '*'.repeat(long), 'python'],
		['a Rust fn with a tab run, claimed C', 'pub fn a' + '\t'.repeat(long), 'c'],
		['an import with a tab run, claimed C', 'import ' + '\t'.repeat(long), 'c'],
		['a Java method of modifiers, claimed C', 'public ' + 'static '.repeat(long / 7), 'c']
	] as const)('%s: answered', (_what, line, language) => {
		expect(screenProgram(`${line}\nx = 1\n`, language)).toBeNull();
	});
	it('still reads the fingerprints of the lines it keeps', () => {
		const go = `package main\n${'// ' + 'x'.repeat(3000)}\nfunc main() {\n\tx := 1\n\tif err != nil {\n\t}\n}\n`;
		expect(screenProgram(go, 'c')).toMatch(/^this is Go, not C: .*\(line 1\)/);
	});
});
