// Hostile programs for bench/judges-wild.ts, written here (nothing copied from any data set):
// sizes and shapes real code can take that no labelled set has — a 2 MB file, a 50,000-line
// function, 10,000-deep nesting — and text that is not a clean program: a NUL byte, invalid
// UTF-8, CRLF line ends, tabs against spaces, C++ and Python 2 handed in as C / Python, empty
// programs. `expect: 'error'` = the judge must give no verdict (an error status, never "secure");
// `expect: 'verdict'` = it must judge; `sameAs` = its verdicts must equal another program's.

export interface HostileProgram {
	id: string;
	source: 'hostile';
	kind: 'program';
	language: 'c' | 'python';
	code: string;
	sameAs?: string;
	expect?: 'error' | 'verdict';
	/** Per judge, where the judges differ (the token rules have no parser: C++ gets a verdict). */
	expectOf?: Record<string, 'error' | 'verdict'>;
}

const C_FUNCTION = (k: number) => `static int sum_${k}(const int *values, int count)
{
    int total = 0;
    for (int i = 0; i < count; i++)
        total += values[i];
    return total;
}
`;

const PY_FUNCTION = (k: number) => `def total_${k}(values):
    result = 0
    for value in values:
        result += value
    return result

`;

/** A C program with a shell command built from argv and a copy into a fixed buffer (LF line ends). */
const C_VULNERABLE = `#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    char line[64];
    char command[128];
    strcpy(line, argv[1]);
    sprintf(command, "ls %s", argv[1]);
    system(command);
    char *copy = malloc(strlen(line) + 1);
    strcpy(copy, line);
    free(copy);
    printf("%s\\n", copy);
    return 0;
}
`;

/** A Python handler with a query and a command built from request values (LF, 4 spaces). */
const PY_VULNERABLE = `import os
import sqlite3
from flask import request


def show_user():
    name = request.args.get("name")
    db = sqlite3.connect("app.db")
    rows = db.execute("SELECT * FROM users WHERE name = '%s'" % name).fetchall()
    os.system("echo " + name)
    with open("/srv/files/" + name) as handle:
        return handle.read() + str(rows)
`;

const repeatTo = (bytes: number, piece: (k: number) => string) => {
	const parts: string[] = [];
	let size = 0;
	for (let k = 0; size < bytes; k++) {
		const p = piece(k);
		parts.push(p);
		size += p.length;
	}
	return parts.join('');
};

export function hostilePrograms(): HostileProgram[] {
	const out: HostileProgram[] = [];
	const add = (id: string, language: 'c' | 'python', code: string, more: Partial<HostileProgram> = {}) => out.push({ id, source: 'hostile', kind: 'program', language, code, ...more });

	add('empty C', 'c', '', { expect: 'error' });
	add('empty Python', 'python', '', { expect: 'error' });
	add('blank C', 'c', ' \n\t\n  \n', { expect: 'error' });
	add('comment-only Python', 'python', '# nothing here\n# at all\n', { expect: 'error' });
	add('comment-only C', 'c', '/* nothing */\n// here\n', { expect: 'error' });

	// past the judges' limits (core/judges/rules/screen.ts): refused at once; just under them: judged
	add('2 MB C file', 'c', repeatTo(2_000_000, C_FUNCTION), { expect: 'error' });
	add('2 MB Python file', 'python', repeatTo(2_000_000, PY_FUNCTION), { expect: 'error' });
	const longC = (lines: number) => `int long_one(int *a, int n)\n{\n    int t = 0;\n${Array.from({ length: lines }, (_, k) => `    t += a[${k % 97}] * ${k};\n`).join('')}    return t;\n}\n`;
	const longPy = (lines: number) => `def long_one(a):\n    t = 0\n${Array.from({ length: lines }, (_, k) => `    t += a[${k % 97}] * ${k}\n`).join('')}    return t\n`;
	add('50,000-line C function', 'c', longC(50_000), { expect: 'error' });
	add('50,000-line Python function', 'python', longPy(50_000), { expect: 'error' });
	add('9,898-line C file', 'c', Array.from({ length: 1414 }, (_, k) => C_FUNCTION(k)).join(''), { expect: 'verdict' });
	add('9,900-line Python file', 'python', repeatTo(490_000, PY_FUNCTION).split('\n').slice(0, 9_900).join('\n'), { expect: 'verdict' });
	add('9,900-line C function', 'c', longC(9_900), { expect: 'verdict' });
	add('9,900-line Python function', 'python', longPy(9_900), { expect: 'verdict' });
	add('10,000-deep C blocks', 'c', `void deep(int x)\n{\n${'{ x++;\n'.repeat(10_000)}${'}\n'.repeat(10_000)}}\n`);
	add('10,000-deep C parentheses', 'c', `int deep(int x)\n{\n    return ${'('.repeat(10_000)}x${')'.repeat(10_000)};\n}\n`);
	add('10,000-deep Python parentheses', 'python', `def deep(x):\n    return ${'('.repeat(10_000)}x${')'.repeat(10_000)}\n`);
	add('10,000-deep Python lists', 'python', `deep = ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`);
	add('600-deep Python blocks', 'python', Array.from({ length: 600 }, (_, k) => `${' '.repeat(k)}if x${k}:\n`).join('') + `${' '.repeat(600)}pass\n`);

	add('NUL byte in C', 'c', C_VULNERABLE.replace('char line[64];', 'char line[64];\u0000'), { expect: 'error' });
	add('NUL byte in Python', 'python', PY_VULNERABLE.replace('import os', 'import os\u0000'), { expect: 'error' });
	const invalid = new TextDecoder().decode(new Uint8Array([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1]));
	add('invalid UTF-8 in a C comment', 'c', C_VULNERABLE.replace('#include <stdio.h>', `/* ${invalid} */\n#include <stdio.h>`), { expect: 'verdict' });
	add('invalid UTF-8 in a Python string', 'python', PY_VULNERABLE.replace('"app.db"', `"app${invalid}.db"`), { expect: 'verdict' });
	const binary = new TextDecoder().decode(Uint8Array.from({ length: 4000 }, (_, k) => (k * 151 + 7) % 256));
	add('binary bytes as C', 'c', binary, { expect: 'error' });
	add('binary bytes as Python', 'python', binary, { expect: 'error' });

	add('C program (LF)', 'c', C_VULNERABLE, { expect: 'verdict' });
	add('C program (CRLF)', 'c', C_VULNERABLE.replace(/\n/g, '\r\n'), { expect: 'verdict', sameAs: 'C program (LF)' });
	add('Python program (LF)', 'python', PY_VULNERABLE, { expect: 'verdict' });
	add('Python program (CRLF)', 'python', PY_VULNERABLE.replace(/\n/g, '\r\n'), { expect: 'verdict', sameAs: 'Python program (LF)' });
	add('Python program (tabs)', 'python', PY_VULNERABLE.replace(/^( {4})+/gm, (m) => '\t'.repeat(m.length / 4)), { expect: 'verdict', sameAs: 'Python program (LF)' });
	add('Python program (tabs and spaces mixed)', 'python', PY_VULNERABLE.replace(/^ {4}(\S.*(?:execute|system).*)$/gm, '\t$1'), { expect: 'verdict' });
	add('Python method (indented, cut from a class)', 'python', PY_VULNERABLE.split('\n').map((l) => (l ? `    ${l}` : l)).join('\n'), { expect: 'verdict', sameAs: 'Python program (LF)' });

	add('C++ handed in as C', 'c', `#include <string>\n#include <vector>\nnamespace app {\ntemplate <typename T>\nclass Store : public Base<T> {\npublic:\n    explicit Store(std::vector<T> items) : items_(std::move(items)) {}\n    T &at(std::size_t i) { return items_[i]; }\nprivate:\n    std::vector<T> items_;\n};\n}\nint main() { app::Store<int> s({1, 2}); auto &x = s.at(5); std::cout << x << std::endl; }\n`, { expect: 'error' });
	add('C-like C++ handed in as C', 'c', `#include <cstring>\nint copy(const char *in)\n{\n    char *buf = new char[8];\n    strcpy(buf, in);\n    delete[] buf;\n    return buf[0];\n}\n`);
	add('Python 2 handed in as Python', 'python', `import os\n\ndef run(name):\n    print "running", name\n    try:\n        os.system("convert " + name)\n    except OSError, e:\n        print >>sys.stderr, e\n    return raw_input("next? ")\n`);
	return out;
}
