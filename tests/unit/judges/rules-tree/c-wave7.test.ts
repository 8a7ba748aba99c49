// The C rule changes of wave 7 (trial report, item 3), each on our own small vulnerable and
// fixed programs: copies and indexes bounded by sizeof of the destination, a field freed just
// before the structure holding it, and a loop that steps through the pointer it has freed.

import { beforeAll, describe, expect, it } from 'vitest';
import { createTreeRuleJudge, type TreeRuleJudge } from '../../../../src/lib/judges/rules/judge.ts';

let judge: TreeRuleJudge;
beforeAll(async () => {
	judge = await createTreeRuleJudge();
});

const bounds = (code: string, cwe = 'CWE-787') => judge.judge({ code, language: 'c', cwe }).findings.filter((f) => f.rule.startsWith('c.bounds.'));

describe('copies and indexes bounded by sizeof of the destination', () => {
	it('strncpy bounded by sizeof(dest) - 1 and a terminator at sizeof(dest) - 1 are not flagged', () => {
		const code = `void label_set(struct label *l, const char *text)\n{\n    strncpy(l->title, text, sizeof(l->title) - 1);\n    l->title[sizeof(l->title) - 1] = '\\0';\n}\n`;
		expect(bounds(code)).toEqual([]);
		expect(bounds(code, 'CWE-119')).toEqual([]);
	});

	it('snprintf and memcpy sized by sizeof of the destination (with or without parentheses) pass', () => {
		const code = `void note_fill(struct note *n, const char *who, const struct note *src)\n{\n    char line[64];\n    snprintf(line, sizeof line, "%s", who);\n    memcpy(n->body, src->body, sizeof(n->body));\n    line[sizeof line - 1] = 0;\n}\n`;
		expect(bounds(code)).toEqual([]);
	});

	it('a length tested against sizeof the buffer first passes; without the test it is flagged, naming the length and the destination', () => {
		const fixed = `int frame_copy(struct frame *fr, const unsigned char *data, size_t n)\n{\n    unsigned char buf[128];\n    if (n < sizeof buf) {\n        memcpy(buf, data, n);\n        return buf[0];\n    }\n    return -1;\n}\n`;
		const vulnerable = `int frame_copy(struct frame *fr, const unsigned char *data, size_t n)\n{\n    unsigned char buf[128];\n    memcpy(buf, data, n);\n    return buf[0];\n}\n`;
		expect(bounds(fixed).filter((f) => f.rule === 'c.bounds.unchecked-length')).toEqual([]);
		const found = bounds(vulnerable).find((f) => f.rule === 'c.bounds.unchecked-length');
		expect(found).toMatchObject({ line: 4 });
		expect(found!.message).toBe("memcpy() copies n bytes into buf with no check of n against the destination's size");
	});

	it('a copy length taken from the record is still flagged, and the message names the length expression and the destination', () => {
		const code = `void tag_copy(struct tag *t, const struct rec *r)\n{\n    strncpy(t->name, r->name, r->name_len + 1);\n}\n`;
		const found = bounds(code).find((f) => f.rule === 'c.bounds.unchecked-length');
		expect(found).toMatchObject({ line: 3 });
		expect(found!.message).toContain('copies r->name_len+1 bytes into t->name');
		expect(found!.message).toContain('no check of r->name_len');
		expect(found!.message).not.toContain('check of t->name');
	});

	it('an index that is a field of the data (no sizeof) is still flagged', () => {
		const code = `void slot_mark(struct table *t, const struct req *q)\n{\n    t->slots[q->slot] = 1;\n}\n`;
		expect(bounds(code)).toContainEqual(expect.objectContaining({ rule: 'c.bounds.unchecked-index-write', line: 3 }));
	});
});

const lifetime = (code: string) => judge.judge({ code, language: 'c', cwe: 'CWE-416' }).findings.filter((f) => f.rule.startsWith('c.lifetime.'));

describe('a field freed just before its structure', () => {
	it('free(c->buf); free(c); is no dangling field', () => {
		const code = `void conn_destroy(struct conn *c)\n{\n    free(c->buf);\n    free(c->peer);\n    free(c);\n}\n`;
		expect(lifetime(code)).toEqual([]);
	});

	it('a field reset to NULL is no dangling field either', () => {
		const code = `void conn_reset(struct conn *c)\n{\n    free(c->buf);\n    c->buf = NULL;\n    c->len = 0;\n}\n`;
		expect(lifetime(code)).toEqual([]);
	});

	it('a field freed while its structure lives on (not reset, owner not freed) is still a dangling field', () => {
		const code = `void conn_reset(struct conn *c)\n{\n    free(c->buf);\n    c->len = 0;\n}\n`;
		expect(lifetime(code)).toContainEqual(expect.objectContaining({ rule: 'c.lifetime.dangling-field', line: 3 }));
	});

	it('another structure freed after the field does not count as its owner', () => {
		const code = `void conn_reset(struct conn *c, struct pool *p)\n{\n    free(c->buf);\n    free(p);\n}\n`;
		expect(lifetime(code)).toContainEqual(expect.objectContaining({ rule: 'c.lifetime.dangling-field', line: 3 }));
	});

	it('the structure used after it is freed is still a use after free', () => {
		const code = `int conn_close(struct conn *c)\n{\n    free(c->buf);\n    free(c);\n    return c->fd;\n}\n`;
		expect(lifetime(code)).toContainEqual(expect.objectContaining({ rule: 'c.lifetime.use-after-free', line: 5 }));
	});
});

describe('a loop that steps through the pointer it freed', () => {
	it('for (…; e; e = e->next) free(e); is a use after free; saving the next pointer first is the fix', () => {
		const vulnerable = `void entries_clear(struct entry *first)\n{\n    struct entry *e;\n    for (e = first; e != NULL; e = e->next)\n        free(e);\n}\n`;
		const fixed = `void entries_clear(struct entry *first)\n{\n    struct entry *e, *following;\n    for (e = first; e != NULL; e = following) {\n        following = e->next;\n        free(e);\n    }\n}\n`;
		expect(lifetime(vulnerable)).toContainEqual(expect.objectContaining({ rule: 'c.lifetime.use-after-free', line: 4 }));
		expect(lifetime(fixed)).toEqual([]);
	});

	it('while (e) { free(e); e = e->next; } is a use after free; tmp = e->next; free(e); e = tmp; is not', () => {
		const vulnerable = `void entries_clear(struct entry *e)\n{\n    while (e) {\n        free(e->data);\n        free(e);\n        e = e->next;\n    }\n}\n`;
		const fixed = `void entries_clear(struct entry *e)\n{\n    while (e) {\n        struct entry *tmp = e->next;\n        free(e->data);\n        free(e);\n        e = tmp;\n    }\n}\n`;
		expect(lifetime(vulnerable)).toContainEqual(expect.objectContaining({ rule: 'c.lifetime.use-after-free', line: 6 }));
		expect(lifetime(fixed)).toEqual([]);
	});

	it('a free in a for loop that leaves right after (break) does not step through it', () => {
		const code = `void entries_drop(struct entry *first, int key)\n{\n    struct entry *e;\n    for (e = first; e; e = e->next) {\n        if (e->key == key) {\n            unlink_entry(e);\n            free(e);\n            break;\n        }\n    }\n}\n`;
		expect(lifetime(code)).toEqual([]);
	});
});

describe('a ring index the function wraps itself', () => {
	it('slots[q->tail] with q->tail = (q->tail + 1) % QLEN passes; with q->tail++ alone it is flagged', () => {
		const wrapped = `void queue_push(struct queue *q, int job)\n{\n    q->slots[q->tail] = job;\n    q->tail = (q->tail + 1) % QLEN;\n}\n`;
		const unwrapped = `void queue_push(struct queue *q, int job)\n{\n    q->slots[q->tail] = job;\n    q->tail++;\n}\n`;
		expect(bounds(wrapped, 'CWE-119')).toEqual([]);
		expect(bounds(unwrapped, 'CWE-119')).toContainEqual(expect.objectContaining({ rule: 'c.bounds.unchecked-index', line: 3 }));
	});
});
