// The tree rule families that recognise the FIX of a flaw (a guard before the sink, a reset
// after a free, an escape of a request value), each on our own small vulnerable and fixed
// programs: the vulnerable version is flagged with the rule and line, the fixed one passes.

import { beforeAll, describe, expect, it } from 'vitest';
import { createTreeRuleJudge, type TreeRuleJudge } from '../../../../src/lib/judges/rules/judge.ts';

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

const C: Case[] = [
	{
		name: 'buffer parameter read before its length parameter is checked',
		language: 'c',
		cwe: 'CWE-125',
		vulnerable: `int opcode_of(const unsigned char *bytes, int nbytes)\n{\n    int op = bytes[1] << 8 | bytes[0];\n    return op & 0x7fff;\n}\n`,
		fixed: `int opcode_of(const unsigned char *bytes, int nbytes)\n{\n    if (nbytes < 2)\n        return -1;\n    int op = bytes[1] << 8 | bytes[0];\n    return op & 0x7fff;\n}\n`,
		rule: 'c.bounds.length-unchecked',
		line: 3
	},
	{
		name: 'stream read before any remaining-length check',
		language: 'c',
		cwe: 'CWE-125',
		vulnerable: `static int read_hello(wStream *st, struct hello *h)\n{\n    Stream_Read_UINT16(st, h->version);\n    Stream_Read_UINT16(st, h->flags);\n    return 0;\n}\n`,
		fixed: `static int read_hello(wStream *st, struct hello *h)\n{\n    if (Stream_GetRemainingLength(st) < 4)\n        return -1;\n    Stream_Read_UINT16(st, h->version);\n    Stream_Read_UINT16(st, h->flags);\n    return 0;\n}\n`,
		rule: 'c.bounds.stream-read-unchecked',
		line: 3
	},
	{
		name: 'stream read of a length taken from the data, unchecked',
		language: 'c',
		cwe: 'CWE-125',
		vulnerable: `static int read_blob(wStream *st, BYTE *dst)\n{\n    UINT32 size;\n    if (Stream_GetRemainingLength(st) < 4)\n        return -1;\n    Stream_Read_UINT32(st, size);\n    Stream_Read(st, dst, size);\n    return 0;\n}\n`,
		fixed: `static int read_blob(wStream *st, BYTE *dst)\n{\n    UINT32 size;\n    if (Stream_GetRemainingLength(st) < 4)\n        return -1;\n    Stream_Read_UINT32(st, size);\n    if (Stream_GetRemainingLength(st) < size)\n        return -1;\n    Stream_Read(st, dst, size);\n    return 0;\n}\n`,
		rule: 'c.bounds.stream-length-unchecked',
		line: 7
	},
	{
		name: 'freed pointer loaded from a field, field never reset',
		language: 'c',
		cwe: 'CWE-416',
		vulnerable: `static void walker_stop(struct session *sess)\n{\n    struct walker *w = sess->walker;\n    if (w) {\n        walker_close(w);\n        kfree(w);\n    }\n}\n`,
		fixed: `static void walker_stop(struct session *sess)\n{\n    struct walker *w = sess->walker;\n    if (w) {\n        walker_close(w);\n        kfree(w);\n        sess->walker = NULL;\n    }\n}\n`,
		rule: 'c.lifetime.dangling-alias',
		line: 6
	},
	{
		name: 'use after free on the fall-through path (the fix returns after the free)',
		language: 'c',
		cwe: 'CWE-416',
		vulnerable: `void drop_ref(struct item *it)\n{\n    if (--it->refs == 0) {\n        free(it);\n    }\n    it->last_drop = now();\n}\n`,
		fixed: `void drop_ref(struct item *it)\n{\n    if (--it->refs == 0) {\n        free(it);\n        return;\n    }\n    it->last_drop = now();\n}\n`,
		rule: 'c.lifetime.use-after-free',
		line: 6
	},
	{
		name: 'a check AFTER the dereference does not guard it',
		language: 'c',
		cwe: 'CWE-476',
		vulnerable: `int port_of(const char *spec)\n{\n    struct entry *e = lookup_entry(spec);\n    int port = e->port;\n    if (!e)\n        return -1;\n    return port;\n}\n`,
		fixed: `int port_of(const char *spec)\n{\n    struct entry *e = lookup_entry(spec);\n    if (!e)\n        return -1;\n    return e->port;\n}\n`,
		rule: 'c.null.unchecked-result',
		line: 4
	},
	{
		name: 'product stored and used; the fix checks the factor against a limit',
		language: 'c',
		cwe: 'CWE-190',
		vulnerable: `void *table_alloc(struct hdr *h)\n{\n    size_t bytes = h->rows * h->stride;\n    if (h->rows == 0)\n        return NULL;\n    return malloc(bytes);\n}\n`,
		fixed: `void *table_alloc(struct hdr *h)\n{\n    if (h->rows == 0 || h->stride > SIZE_MAX / h->rows)\n        return NULL;\n    size_t bytes = h->rows * h->stride;\n    return malloc(bytes);\n}\n`,
		rule: 'c.integer.unchecked-arithmetic',
		line: 3
	},
	{
		name: 'guard rejects only index > count, then indexes with it',
		language: 'c',
		cwe: 'CWE-125',
		vulnerable: `int color_at(const struct palette *pal, unsigned idx)\n{\n    if (idx > pal->ncolors)\n        return -1;\n    return pal->colors[idx];\n}\n`,
		fixed: `int color_at(const struct palette *pal, unsigned idx)\n{\n    if (idx >= pal->ncolors)\n        return -1;\n    return pal->colors[idx];\n}\n`,
		rule: 'c.bounds.off-by-one-guard',
		line: 3
	},
	{
		name: 'pointer dereferenced, then tested for NULL',
		language: 'c',
		cwe: 'CWE-476',
		vulnerable: `int queue_len(struct queue *q)\n{\n    int n = q->count;\n    if (!q)\n        return 0;\n    return n;\n}\n`,
		fixed: `int queue_len(struct queue *q)\n{\n    if (!q)\n        return 0;\n    return q->count;\n}\n`,
		rule: 'c.null.deref-before-check',
		line: 3
	},
	{
		name: 'bounds check written as pointer + length > end (can wrap)',
		language: 'c',
		cwe: 'CWE-125',
		vulnerable: `static int take(const u8 **cur, const u8 *end, size_t want)\n{\n    if (*cur + want > end)\n        return -1;\n    *cur += want;\n    return 0;\n}\n`,
		fixed: `static int take(const u8 **cur, const u8 *end, size_t want)\n{\n    if (want > (size_t)(end - *cur))\n        return -1;\n    *cur += want;\n    return 0;\n}\n`,
		rule: 'c.bounds.wrapping-check',
		line: 3
	},
	{
		name: 'optional netlink attribute read without a presence test',
		language: 'c',
		cwe: 'CWE-476',
		vulnerable: `static int fan_set(struct sk_buff *skb, struct genl_info *info)\n{\n    if (!info->attrs[FAN_ATTR_ID])\n        return -EINVAL;\n    u32 id = nla_get_u32(info->attrs[FAN_ATTR_ID]);\n    u32 speed = nla_get_u32(info->attrs[FAN_ATTR_SPEED]);\n    return fan_apply(id, speed);\n}\n`,
		fixed: `static int fan_set(struct sk_buff *skb, struct genl_info *info)\n{\n    if (!info->attrs[FAN_ATTR_ID] || !info->attrs[FAN_ATTR_SPEED])\n        return -EINVAL;\n    u32 id = nla_get_u32(info->attrs[FAN_ATTR_ID]);\n    u32 speed = nla_get_u32(info->attrs[FAN_ATTR_SPEED]);\n    return fan_apply(id, speed);\n}\n`,
		rule: 'c.null.netlink-attr',
		line: 6
	},
	{
		name: 'file name parameter joined into a path with no validation',
		language: 'c',
		cwe: 'CWE-22',
		vulnerable: `int drop_note(struct store *st, const char *note)\n{\n    char *path = join_path(st->root, note);\n    int rc = unlink(path);\n    free(path);\n    return rc;\n}\n`,
		fixed: `int drop_note(struct store *st, const char *note)\n{\n    if (!note_name_is_valid(note))\n        return -1;\n    char *path = join_path(st->root, note);\n    int rc = unlink(path);\n    free(path);\n    return rc;\n}\n`,
		rule: 'c.path.unchecked-name',
		line: 4
	},
	{
		name: 'allocation result stored and never tested',
		language: 'c',
		cwe: 'CWE-476',
		vulnerable: `static int pool_init(void)\n{\n    pool_wq = alloc_workqueue("pool", 0, 0);\n    pool_ready = 1;\n    return 0;\n}\n`,
		fixed: `static int pool_init(void)\n{\n    pool_wq = alloc_workqueue("pool", 0, 0);\n    if (!pool_wq)\n        return -ENOMEM;\n    pool_ready = 1;\n    return 0;\n}\n`,
		rule: 'c.null.unchecked-alloc',
		line: 3
	},
	{
		name: 'handle read after the call that ends its life',
		language: 'c',
		cwe: 'CWE-416',
		vulnerable: `int finish_txn(struct txn *t)\n{\n    int rc = txn_stop(t);\n    return t->error ? t->error : rc;\n}\n`,
		fixed: `int finish_txn(struct txn *t)\n{\n    int err = t->error;\n    int rc = txn_stop(t);\n    return err ? err : rc;\n}\n`,
		rule: 'c.lifetime.use-after-free',
		line: 4
	},
	{
		name: 'cursor advanced in an inner loop that never compares it with its end',
		language: 'c',
		cwe: 'CWE-125',
		vulnerable: `static int same_prefix(const char *s, const char *s_end, const char *word)\n{\n    while (s < s_end) {\n        const char *w = word;\n        while (*w) {\n            if (*s++ != *w++)\n                return 0;\n        }\n    }\n    return 1;\n}\n`,
		fixed: `static int same_prefix(const char *s, const char *s_end, const char *word)\n{\n    while (s < s_end) {\n        const char *w = word;\n        while (*w) {\n            if (s >= s_end)\n                return 0;\n            if (*s++ != *w++)\n                return 0;\n        }\n    }\n    return 1;\n}\n`,
		rule: 'c.bounds.cursor-past-end',
		line: 6
	},
	{
		name: 'offset advanced in a loop and read with no size comparison there',
		language: 'c',
		cwe: 'CWE-125',
		vulnerable: `static int sum_records(const unsigned char *buf, size_t size, unsigned count)\n{\n    size_t off = 4;\n    int total = 0;\n    if (size < 4)\n        return -1;\n    for (unsigned k = 0; k < count; k++) {\n        total += read_be16(buf, off);\n        off += 2;\n    }\n    return total;\n}\n`,
		fixed: `static int sum_records(const unsigned char *buf, size_t size, unsigned count)\n{\n    size_t off = 4;\n    int total = 0;\n    if (size < 4)\n        return -1;\n    for (unsigned k = 0; k < count; k++) {\n        if (off + 2 > size)\n            break;\n        total += read_be16(buf, off);\n        off += 2;\n    }\n    return total;\n}\n`,
		rule: 'c.bounds.offset-in-loop',
		line: 8
	},
	{
		name: 'a comparison in a ternary does not guard a copy length; an if does',
		language: 'c',
		cwe: 'CWE-787',
		vulnerable: `int pack(struct msg *m, const unsigned char *src, size_t n)\n{\n    unsigned char buf[256];\n    m->mode = n > 128 ? MODE_LONG : MODE_SHORT;\n    memcpy(buf, src, n);\n    return send_buf(m, buf, n);\n}\n`,
		fixed: `int pack(struct msg *m, const unsigned char *src, size_t n)\n{\n    unsigned char buf[256];\n    if (n > sizeof buf)\n        return -1;\n    m->mode = n > 128 ? MODE_LONG : MODE_SHORT;\n    memcpy(buf, src, n);\n    return send_buf(m, buf, n);\n}\n`,
		rule: 'c.bounds.unchecked-length',
		line: 5
	}
];

const PY: Case[] = [
	{
		name: 'request value kept without escaping',
		language: 'python',
		cwe: 'CWE-79',
		vulnerable: `def save_comment(request, post):\n    body = request.POST['body']\n    post.comments.create(text=body)\n    return redirect(post)\n`,
		fixed: `def save_comment(request, post):\n    body = escape(request.POST['body'])\n    post.comments.create(text=body)\n    return redirect(post)\n`,
		rule: 'py.xss.request-unescaped',
		line: 2
	},
	{
		name: 'json.dumps put in a template context without an HTML-safe encoder',
		language: 'python',
		cwe: 'CWE-79',
		vulnerable: `def board(request, board):\n    return render(request, 'board.html', {\n        'cards_json': json.dumps(board.cards()),\n    })\n`,
		fixed: `def board(request, board):\n    return render(request, 'board.html', {\n        'cards_json': json.dumps(board.cards(), cls=HtmlSafeEncoder),\n    })\n`,
		rule: 'py.xss.json-in-template',
		line: 3
	},
	{
		name: 'command line formatted for a device helper instead of an argument list',
		language: 'python',
		cwe: 'CWE-78',
		vulnerable: `    def open_tunnel(self, near, far):\n        self.device.tunnel('tcp:%d tcp:%d' % (near, far))\n`,
		fixed: `    def open_tunnel(self, near, far):\n        self.device.tunnel(['tcp:%d' % near, 'tcp:%d' % far])\n`,
		rule: 'py.shell.formatted-command-line',
		line: 2
	},
	{
		name: 'request value wrapped in str() and stored without escaping',
		language: 'python',
		cwe: 'CWE-79',
		vulnerable: `def rename(request, team):\n    title = str(request.POST["title"])\n    team.title = title\n    team.save()\n`,
		fixed: `def rename(request, team):\n    title = str(request.POST["title"])\n    team.title = escape(title)\n    team.save()\n`,
		rule: 'py.xss.request-unescaped',
		line: 2
	},
	{
		name: "a project's markdown helper fed unescaped text",
		language: 'python',
		cwe: 'CWE-79',
		vulnerable: `def publish(post, body):\n    post.html = render_markdown(body)\n    post.save()\n`,
		fixed: `def publish(post, body):\n    post.html = render_markdown(escape(body))\n    post.save()\n`,
		rule: 'py.xss.markdown-unsanitized',
		line: 2
	},
	{
		name: 'markdown rendered with no sanitizer',
		language: 'python',
		cwe: 'CWE-79',
		vulnerable: `def note_html(note):\n    return markdown(note.text)\n`,
		fixed: `def note_html(note):\n    return bleach.clean(markdown(note.text), tags=ALLOWED)\n`,
		rule: 'py.xss.markdown-unsanitized',
		line: 2
	}
];

describe('guard-recognising tree families: vulnerable flagged with rule and line, fixed passes', () => {
	for (const c of [...C, ...PY]) {
		it(`${c.cwe} ${c.language}: ${c.name}`, () => {
			const bad = judge.judge({ code: c.vulnerable, language: c.language, cwe: c.cwe });
			expect(bad.findings).toContainEqual(expect.objectContaining({ rule: c.rule, line: c.line }));
			expect(bad.vulnerable).toBe(true);
			const good = judge.judge({ code: c.fixed, language: c.language, cwe: c.cwe });
			expect(good.findings).toEqual([]);
			expect(good.vulnerable).toBe(false);
		});
	}
});

describe('bounded indexes', () => {
	// (the token rules of core/judges/rules still flag both; the tree family tells them apart)
	it('an index masked or reduced by a constant is bounded; the raw one is not', () => {
		const raw = judge.judge({ code: `void set_slot(unsigned code, int v)\n{\n    slots[code] = v;\n}\n`, language: 'c', cwe: 'CWE-787' });
		expect(raw.findings).toContainEqual(expect.objectContaining({ rule: 'c.bounds.unchecked-index-write', line: 3 }));
		for (const index of ['code & 0x0F', '(code >> 4) & 15', 'code % SLOT_COUNT']) {
			const masked = judge.judge({ code: `void set_slot(unsigned code, int v)\n{\n    slots[${index}] = v;\n}\n`, language: 'c', cwe: 'CWE-787' });
			expect(masked.findings.filter((x) => x.rule.startsWith('c.bounds.'))).toEqual([]);
		}
	});
});

describe('robustness of every tree family', () => {
	const garbage = ['', '}{ (( int ** [', 'int f(char *p, int n) { while (*p++ != ', 'def f(x):\n    return markdown(', '\u0000\u0001 \uFFFD'];
	it('gives broken code a verdict or refuses it with a reason (never another error), for every CWE with a tree family', async () => {
		const { TREE_FAMILIES } = await import('../../../../src/lib/judges/rules/judge.ts');
		const { UnjudgeableCodeError } = await import('../../../../src/lib/core/judges/rules/screen.ts');
		for (const language of ['c', 'python'] as const)
			for (const cwe of Object.keys(TREE_FAMILIES[language]))
				for (const code of garbage) {
					try {
						expect(typeof judge.judge({ code, language, cwe }).vulnerable).toBe('boolean');
					} catch (e) {
						expect(e).toBeInstanceOf(UnjudgeableCodeError);
					}
				}
	});
});
