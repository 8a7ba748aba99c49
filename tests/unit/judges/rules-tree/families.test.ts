// The tree-sitter rule judge, family by family, on our own small programs: each vulnerable
// version must be flagged by its family (rule id and line), each fixed version must not.

import { beforeAll, describe, expect, it } from 'vitest';
import { createTreeRuleJudge, type TreeRuleJudge } from '../../../../src/lib/judges/rules/judge.ts';
import { analyseFunction, functionsOf } from '../../../../src/lib/judges/rules/dataflow.ts';
import { loadParsers } from '../../../../src/lib/judges/rules/parse.ts';
import { toSyn } from '../../../../src/lib/judges/rules/syntax.ts';

let judge: TreeRuleJudge;
beforeAll(async () => {
	judge = await createTreeRuleJudge();
});

interface Case {
	name: string;
	language: 'c' | 'python';
	cwe: string;
	vulnerable: string;
	fixed: string;
	rule: string;
	line: number;
}

const CASES: Case[] = [
	{
		name: 'SQL built with % in a library method (parameter as source)',
		language: 'python',
		cwe: 'CWE-89',
		vulnerable: `    def find_owner(self, pet_name):\n        sql = "SELECT owner FROM pets WHERE name = '%s'" % pet_name\n        return self.db.exec(sql)\n`,
		fixed: `    def find_owner(self, pet_name):\n        sql = "SELECT owner FROM pets WHERE name = %s"\n        return self.db.exec(sql, (pet_name,))\n`,
		rule: 'py.sql.built-query',
		line: 3
	},
	{
		name: 'SQL text formatted and handed to a project helper',
		language: 'python',
		cwe: 'CWE-89',
		vulnerable: `def remove_member(club, email):\n    text = "DELETE FROM members WHERE club = %d AND email = '%s'" % (club, email)\n    return helpers.run_statement(text)\n`,
		fixed: `def remove_member(club, email):\n    text = "DELETE FROM members WHERE club = %s AND email = %s"\n    return helpers.run_statement(text, (club, email))\n`,
		rule: 'py.sql.formatted-text',
		line: 3
	},
	{
		name: 'shell command through a project wrapper',
		language: 'python',
		cwe: 'CWE-78',
		vulnerable: `def rotate_logs(host, folder):\n    _run_remote("ls -1 " + folder, host)\n`,
		fixed: `def rotate_logs(host, folder):\n    _run_remote(["ls", "-1", folder], host)\n`,
		rule: 'py.shell.wrapper-string',
		line: 2
	},
	{
		name: 'subprocess with shell=True',
		language: 'python',
		cwe: 'CWE-78',
		vulnerable: `import subprocess\ndef archive(name):\n    subprocess.call(f"tar czf out.tgz {name}", shell=True)\n`,
		fixed: `import subprocess\ndef archive(name):\n    subprocess.call(["tar", "czf", "out.tgz", name])\n`,
		rule: 'py.shell.shell-true',
		line: 3
	},
	{
		name: 'file opened from a joined path without a prefix check',
		language: 'python',
		cwe: 'CWE-22',
		vulnerable: `import os\ndef read_note(base, note):\n    path = os.path.join(base, note)\n    with open(path) as fh:\n        return fh.read()\n`,
		fixed: `import os\ndef read_note(base, note):\n    path = os.path.realpath(os.path.join(base, note))\n    if not path.startswith(os.path.realpath(base) + os.sep):\n        raise ValueError(note)\n    with open(path) as fh:\n        return fh.read()\n`,
		rule: 'py.path.unchecked',
		line: 4
	},
	{
		name: 'one command string sent to a remote shell',
		language: 'python',
		cwe: 'CWE-78',
		vulnerable: `    def pool_names(self):\n        cmd = 'listpools -delim !'\n        out, err = self._run_ssh(cmd)\n        return out\n`,
		fixed: `    def pool_names(self):\n        cmd = ['listpools', '-delim', '!']\n        out, err = self._run_ssh(cmd)\n        return out\n`,
		rule: 'py.shell.remote-command-string',
		line: 3
	},
	{
		name: 'templates rendered without autoescape',
		language: 'python',
		cwe: 'CWE-79',
		vulnerable: `from jinja2 import Environment, FileSystemLoader\ndef page_renderer(folder):\n    return Environment(loader=FileSystemLoader(folder))\n`,
		fixed: `from jinja2 import Environment, FileSystemLoader\ndef page_renderer(folder):\n    return Environment(loader=FileSystemLoader(folder), autoescape=True)\n`,
		rule: 'py.xss.template-no-autoescape',
		line: 3
	},
	{
		name: 'a response writer given an unescaped value',
		language: 'python',
		cwe: 'CWE-79',
		vulnerable: `    def get(self, ticket):\n        self.response.write(ticket)\n`,
		fixed: `    def get(self, ticket):\n        self.response.write(html.escape(ticket))\n`,
		rule: 'py.xss.response-write',
		line: 2
	},
	{
		name: 'a key joined into a path for a store, no validation',
		language: 'python',
		cwe: 'CWE-22',
		vulnerable: `    def drop(self, key):\n        self.store.delete(os.path.join(self.root, key))\n`,
		fixed: `    def drop(self, key):\n        validate_key_name(key)\n        self.store.delete(os.path.join(self.root, key))\n`,
		rule: 'py.path.joined-unchecked',
		line: 2
	},
	{
		name: 'struct field freed and used afterwards',
		language: 'c',
		cwe: 'CWE-416',
		vulnerable: `void reset_cache(struct cache *c)\n{\n    free(c->slots);\n    c->count = c->slots[0];\n}\n`,
		fixed: `void reset_cache(struct cache *c)\n{\n    free(c->slots);\n    c->slots = NULL;\n    c->count = 0;\n}\n`,
		rule: 'c.lifetime.use-after-free',
		line: 4
	},
	{
		name: 'allocation result dereferenced without a NULL check',
		language: 'c',
		cwe: 'CWE-476',
		vulnerable: `struct node *make_node(int v)\n{\n    struct node *n = malloc(sizeof *n);\n    n->value = v;\n    return n;\n}\n`,
		fixed: `struct node *make_node(int v)\n{\n    struct node *n = malloc(sizeof *n);\n    if (!n)\n        return NULL;\n    n->value = v;\n    return n;\n}\n`,
		rule: 'c.null.unchecked-result',
		line: 4
	},
	{
		name: 'length from a header field used for a copy without a bound',
		language: 'c',
		cwe: 'CWE-125',
		vulnerable: `int read_label(const struct pkt *p, char *out)\n{\n    memcpy(out, p->data, p->label_len);\n    return 0;\n}\n`,
		fixed: `int read_label(const struct pkt *p, char *out)\n{\n    if (p->label_len > LABEL_MAX)\n        return -1;\n    memcpy(out, p->data, p->label_len);\n    return 0;\n}\n`,
		rule: 'c.bounds.unchecked-length',
		line: 3
	},
	{
		name: 'index from a parameter written without a bound (loop bound checked)',
		language: 'c',
		cwe: 'CWE-787',
		vulnerable: `void mark(int *flags, int slot)\n{\n    flags[slot] = 1;\n}\n`,
		fixed: `void mark(int *flags, int slot)\n{\n    if (slot < 0 || slot >= FLAG_COUNT)\n        return;\n    flags[slot] = 1;\n}\n`,
		rule: 'c.bounds.unchecked-index-write',
		line: 3
	},
	{
		name: 'allocation size multiplied without an overflow check',
		language: 'c',
		cwe: 'CWE-190',
		vulnerable: `int *grid_new(unsigned rows, unsigned cols)\n{\n    return malloc(rows * cols * sizeof(int));\n}\n`,
		fixed: `int *grid_new(unsigned rows, unsigned cols)\n{\n    if (cols && rows > SIZE_MAX / cols / sizeof(int))\n        return NULL;\n    return malloc(rows * cols * sizeof(int));\n}\n`,
		rule: 'c.integer.alloc-size-overflow',
		line: 3
	}
];

describe('tree rule families: vulnerable flagged with rule and line, fixed passes', () => {
	for (const c of CASES) {
		it(`${c.cwe} ${c.language}: ${c.name}`, () => {
			const bad = judge.judge({ code: c.vulnerable, language: c.language, cwe: c.cwe });
			expect(bad.vulnerable).toBe(true);
			expect(bad.findings).toContainEqual(expect.objectContaining({ rule: c.rule, line: c.line }));
			const good = judge.judge({ code: c.fixed, language: c.language, cwe: c.cwe });
			expect(good.findings).toEqual([]);
			expect(good.vulnerable).toBe(false);
		});
	}
});

describe('annotated assignment', () => {
	const vulnerable = `def lookup(request, cursor):\n    name: str = request.GET['name']\n    cursor.execute("SELECT * FROM users WHERE name = '" + name + "'")\n`;
	const fixed = `def lookup(request, cursor):\n    name: str = request.GET['name']\n    cursor.execute("SELECT * FROM users WHERE name = %s", [name])\n`;

	it('taints the assigned name, not the type name', async () => {
		const parsers = await loadParsers();
		const tree = parsers.parse(vulnerable, 'python');
		const [fn] = functionsOf(toSyn(tree), 'python');
		const facts = analyseFunction(vulnerable, fn, 'python');
		tree.delete();
		expect(facts.tainted.has('name')).toBe(true);
		expect(facts.tainted.has('str')).toBe(false);
	});

	it('judges the built query vulnerable and the parameterised one secure', () => {
		const bad = judge.judge({ code: vulnerable, language: 'python', cwe: 'CWE-89' });
		expect(bad.findings).toContainEqual(expect.objectContaining({ rule: 'py.sql.built-query', line: 3 }));
		expect(judge.judge({ code: fixed, language: 'python', cwe: 'CWE-89' }).vulnerable).toBe(false);
	});
});

describe('robustness', () => {
	it('broken code that still reads as C gets a verdict, text it cannot place is refused, an unknown CWE throws', () => {
		const cut = 'int f(char *p, int n)\n{\n    int k = 0;\n    char *q = malloc(n);\n    q[0] = 0;\n    k = n * 2;\n    while (*p++ != ';
		expect(judge.judge({ code: cut, language: 'c', cwe: 'CWE-476' }).cwe).toBe('CWE-476');
		expect(() => judge.judge({ code: 'Dear team, the build broke again; please see the log and fix it before Monday.\n', language: 'c', cwe: 'CWE-476' })).toThrow(/does not parse as C/);
		expect(() => judge.judge({ code: 'x', language: 'c', cwe: 'CWE-1' })).toThrow(/unknown CWE/);
	});
});
