// The C rule families of wave 8 (families/c-guard-gaps.ts), each on our own small vulnerable and fixed programs: the vulnerable version is
// flagged with the rule and line, the fixed one (with the guard a fix adds) passes.

import { beforeAll, describe, expect, it } from 'vitest';
import { createTreeRuleJudge, type TreeRuleJudge } from '../../../../src/lib/judges/rules/judge.ts';

let judge: TreeRuleJudge;
beforeAll(async () => {
	judge = await createTreeRuleJudge();
});

const findings = (code: string, cwe: string, rule: string) => judge.judge({ code, language: 'c', cwe }).findings.filter((f) => f.rule === rule);

interface Case {
	name: string;
	cwe: string;
	rule: string;
	vulnerable: string;
	fixed: string;
	line: number;
	says?: string;
}

const CASES: Case[] = [
	{
		name: 'a loop bounded by i < len reads buf[i + 1]; the fix tests i + 1 < len first',
		cwe: 'CWE-125',
		rule: 'c.bounds.read-ahead-in-loop',
		vulnerable: `int count_pairs(const unsigned char *buf, int len)\n{\n    int i, n = 0;\n    for (i = 0; i < len; i++) {\n        if (buf[i] == 0xff && buf[i + 1] == 0xd8)\n            n++;\n    }\n    return n;\n}\n`,
		fixed: `int count_pairs(const unsigned char *buf, int len)\n{\n    int i, n = 0;\n    for (i = 0; i < len; i++) {\n        if (i + 1 >= len)\n            break;\n        if (buf[i] == 0xff && buf[i + 1] == 0xd8)\n            n++;\n    }\n    return n;\n}\n`,
		line: 5,
		says: 'buf[i+1] reads ahead of i'
	},
	{
		name: 'the loop body moves the cursor on (tag, then value) and reads again; the fix tests the cursor against the length after the move',
		cwe: 'CWE-125',
		rule: 'c.bounds.read-ahead-in-loop',
		vulnerable: `int walk_options(const unsigned char *opt, unsigned int total, struct opts *o)\n{\n    unsigned int pos = 0;\n    while (pos < total) {\n        unsigned char kind = opt[pos++];\n        unsigned char val = opt[pos];\n        opts_store(o, kind, val);\n        pos++;\n    }\n    return 0;\n}\n`,
		fixed: `int walk_options(const unsigned char *opt, unsigned int total, struct opts *o)\n{\n    unsigned int pos = 0;\n    while (pos < total) {\n        unsigned char kind = opt[pos++];\n        if (pos >= total)\n            return -1;\n        unsigned char val = opt[pos];\n        opts_store(o, kind, val);\n        pos++;\n    }\n    return 0;\n}\n`,
		line: 6,
		says: 'reads again after pos moves on (line 5)'
	},
	{
		name: 'a struct laid over the bytes of a buffer is read with no sizeof check; the fix tests the bytes left against sizeof(*rec)',
		cwe: 'CWE-125',
		rule: 'c.bounds.header-over-bytes',
		vulnerable: `int next_record(const unsigned char *buf, int left)\n{\n    struct rec_head *rec = (struct rec_head *)buf;\n    int size = rec->size;\n    if (left < size)\n        return -1;\n    return size;\n}\n`,
		fixed: `int next_record(const unsigned char *buf, int left)\n{\n    struct rec_head *rec = (struct rec_head *)buf;\n    if (left < (int)sizeof(*rec))\n        return -1;\n    int size = rec->size;\n    if (left < size)\n        return -1;\n    return size;\n}\n`,
		line: 4,
		says: 'rec->size is read with no test'
	},
];

describe('wave-8 C families: vulnerable flagged with rule and line, fixed passes', () => {
	for (const c of CASES) {
		it(c.name, () => {
			const found = findings(c.vulnerable, c.cwe, c.rule);
			expect(found.length).toBeGreaterThan(0);
			expect(found[0].line).toBe(c.line);
			if (c.says) expect(found[0].message).toContain(c.says);
			expect(judge.judge({ code: c.vulnerable, language: 'c', cwe: c.cwe }).vulnerable).toBe(true);
			expect(findings(c.fixed, c.cwe, c.rule)).toEqual([]);
		});
	}
});

describe('wave-8 C families: what they leave alone', () => {
	it('a loop that indexes only with its counter (no read ahead, no move in the body) passes', () => {
		const code = `int sum_bytes(const unsigned char *buf, int len)\n{\n    int i, s = 0;\n    for (i = 0; i < len; i++)\n        s += buf[i];\n    return s;\n}\n`;
		expect(findings(code, 'CWE-125', 'c.bounds.read-ahead-in-loop')).toEqual([]);
	});

	it('a test of the counter against the bound minus one before the move guards the read after it', () => {
		const code = `int parse_flags(int argc, char **argv, struct conf *c)\n{\n    int i;\n    for (i = 1; i < argc; i++) {\n        if (!strcmp(argv[i], "-o") && i < argc - 1) {\n            i++;\n            c->out = argv[i];\n        }\n    }\n    return 0;\n}\n`;
		expect(findings(code, 'CWE-125', 'c.bounds.read-ahead-in-loop')).toEqual([]);
	});

	it('a named offset placing a copy (args[HDR + i]) is not a read ahead', () => {
		const code = `void put_msg(struct cmd *c, const struct msg *m)\n{\n    int i;\n    for (i = 0; i < m->len; i++)\n        c->args[HDR_LEN + i] = m->body[i];\n}\n`;
		expect(findings(code, 'CWE-787', 'c.bounds.read-ahead-in-loop')).toEqual([]);
	});

	it('a callback\'s object pointer (struct ctx *c = arg) is not a header laid over bytes', () => {
		const code = `static int on_event(void *arg)\n{\n    struct ctx *c = arg;\n    return c->count;\n}\n`;
		expect(findings(code, 'CWE-125', 'c.bounds.header-over-bytes')).toEqual([]);
	});

	it('a 20 KB hostile line (one long identifier, long runs of parentheses and arrows) is judged for every C CWE of the new families', () => {
		const long = 'a'.repeat(20_000);
		const code = `int f(struct s *p, unsigned char *buf, int len)\n{\n    int i;\n    struct h *hdr = (struct h *)buf;\n    for (i = 0; i < len; i++) x = buf[i + 1] + ${long} + p->${long}->${'x->'.repeat(300)}y;\n    memcpy(p->d + p->${long}, buf, len);\n    return hdr->n;\n}\n`;
		for (const cwe of ['CWE-125', 'CWE-787', 'CWE-119', 'CWE-476', 'CWE-190']) expect(typeof judge.judge({ code, language: 'c', cwe }).vulnerable).toBe('boolean');
	});
});
