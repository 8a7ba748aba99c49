// The C families of wave 4 (families/c-guards.ts and the release additions of families/c.ts),
// each on our own small vulnerable and fixed programs: the vulnerable version is flagged with
// the rule and line, the fixed one (the guard a fix adds) passes.

import { beforeAll, describe, expect, it } from 'vitest';
import { createTreeRuleJudge, type TreeRuleJudge } from '../../../../src/lib/judges/rules/judge.ts';

let judge: TreeRuleJudge;
beforeAll(async () => {
	judge = await createTreeRuleJudge();
});

interface Case {
	name: string;
	cwe: string;
	vulnerable: string;
	fixed: string;
	rule: string;
	line: number;
}

const CASES: Case[] = [
	{
		name: 'a loop bounded by a count read from the record indexes an array; the fix caps the count first',
		cwe: 'CWE-125',
		vulnerable: `static int sum_widths(const struct table_hdr *hdr)\n{\n    int total = 0, k;\n    for (k = 0; k < hdr->ncols; k++)\n        total += hdr->width[k];\n    return total;\n}\n`,
		fixed: `static int sum_widths(const struct table_hdr *hdr)\n{\n    int total = 0, k;\n    if (hdr->ncols > MAX_COLS)\n        return -1;\n    for (k = 0; k < hdr->ncols; k++)\n        total += hdr->width[k];\n    return total;\n}\n`,
		rule: 'c.bounds.loop-count-from-data',
		line: 5
	},
	{
		name: 'the count is loaded into a local first; the fix caps it with min()',
		cwe: 'CWE-787',
		vulnerable: `static void fill_slots(struct ring *r, const struct req *q)\n{\n    int i;\n    int n = q->nslots;\n    for (i = 0; i < n; i++)\n        r->slot[i] = q->value;\n}\n`,
		fixed: `static void fill_slots(struct ring *r, const struct req *q)\n{\n    int i;\n    int n = min(q->nslots, RING_SLOTS);\n    for (i = 0; i < n; i++)\n        r->slot[i] = q->value;\n}\n`,
		rule: 'c.bounds.loop-count-from-data',
		line: 6
	},
	{
		name: 'a length is used by a copy before the function tests it (the test comes too late)',
		cwe: 'CWE-787',
		vulnerable: `static int take_name(struct peer *p, const struct msg *m)\n{\n    memcpy(p->name, m->body, m->name_len);\n    if (m->name_len > sizeof(p->name))\n        return -EINVAL;\n    return 0;\n}\n`,
		fixed: `static int take_name(struct peer *p, const struct msg *m)\n{\n    if (m->name_len > sizeof(p->name))\n        return -EINVAL;\n    memcpy(p->name, m->body, m->name_len);\n    return 0;\n}\n`,
		rule: 'c.bounds.use-before-check',
		line: 3
	},
	{
		name: 'an allocation sized length + 1 from a length read off the wire; the fix rejects the largest length',
		cwe: 'CWE-787',
		vulnerable: `char *read_label(struct conn *c)\n{\n    uint32_t length;\n    char *label;\n    if (!recv_all(c, &length, 4))\n        return NULL;\n    label = malloc(c->hdr.length + 1);\n    return label;\n}\n`,
		fixed: `char *read_label(struct conn *c)\n{\n    uint32_t length;\n    char *label;\n    if (!recv_all(c, &length, 4))\n        return NULL;\n    if (c->hdr.length >= SIZE_MAX)\n        return NULL;\n    label = malloc(c->hdr.length + 1);\n    return label;\n}\n`,
		rule: 'c.integer.alloc-size-overflow',
		line: 7
	},
	{
		name: 'an object released through its operations table and used after; the fix releases it last',
		cwe: 'CWE-416',
		vulnerable: `static int attach_widget(struct board *b, struct widget *w)\n{\n    int ret = board_register(b, w);\n    if (ret < 0) {\n        w->ops->destroy(w);\n        list_del(&w->node);\n        return ret;\n    }\n    return 0;\n}\n`,
		fixed: `static int attach_widget(struct board *b, struct widget *w)\n{\n    int ret = board_register(b, w);\n    if (ret < 0) {\n        list_del(&w->node);\n        w->ops->destroy(w);\n        return ret;\n    }\n    return 0;\n}\n`,
		rule: 'c.lifetime.use-after-free',
		line: 6
	},
	{
		name: 'a cursor moved by the length a record states; the fix tests that length against what is left',
		cwe: 'CWE-125',
		vulnerable: `static int count_records(const unsigned char *buf, int left)
{
    int n = 0;
    while (left > 0) {
        const struct rec_hdr *h = (const struct rec_hdr *)buf;
        n++;
        left -= h->rec_len;
        buf += h->rec_len;
    }
    return n;
}
`,
		fixed: `static int count_records(const unsigned char *buf, int left)
{
    int n = 0;
    while (left > 0) {
        const struct rec_hdr *h = (const struct rec_hdr *)buf;
        if (left < (int)sizeof(*h) || h->rec_len == 0 || h->rec_len > left)
            break;
        n++;
        left -= h->rec_len;
        buf += h->rec_len;
    }
    return n;
}
`,
		rule: 'c.bounds.advance-by-data-length',
		line: 7
	},
	{
		name: 'a file name taken from the request reaches open(); the fix validates the name first',
		cwe: 'CWE-22',
		vulnerable: `static void serve_note(struct http_req *req, struct http_res *res)
{
    char *name = http_request_get_param(req, "note");
    int fd = open(name, O_RDONLY);
    send_file(res, fd);
}
`,
		fixed: `static void serve_note(struct http_req *req, struct http_res *res)
{
    char *name = http_request_get_param(req, "note");
    if (!note_name_is_valid(name))
        return;
    int fd = open(name, O_RDONLY);
    send_file(res, fd);
}
`,
		rule: 'c.path.unchecked-name',
		line: 4
	},
	{
		name: 'an error branch frees the pool and falls through to return 0; the fix returns the error',
		cwe: 'CWE-476',
		vulnerable: `int setup_queues(struct adapter *ad)
{
    if (create_queue_pool(ad)) {
        log_error(ad, "no pool");
        adapter_free_queues(ad);
    }
    return 0;
}
`,
		fixed: `int setup_queues(struct adapter *ad)
{
    if (create_queue_pool(ad)) {
        log_error(ad, "no pool");
        adapter_free_queues(ad);
        return -ENOMEM;
    }
    return 0;
}
`,
		rule: 'c.lifetime.error-path-falls-through',
		line: 5
	},
	{
		name: 'a pointer reset to NULL, given a value in one switch case only, dereferenced; the fix tests it',
		cwe: 'CWE-476',
		vulnerable: `int decode_op(struct decoder *dc, int kind)
{
    dc->operand = NULL;
    switch (kind) {
    case KIND_MEM:
        dc->operand = &dc->mem;
        break;
    }
    dc->operand->addr += dc->base;
    return 0;
}
`,
		fixed: `int decode_op(struct decoder *dc, int kind)
{
    dc->operand = NULL;
    switch (kind) {
    case KIND_MEM:
        dc->operand = &dc->mem;
        break;
    }
    if (dc->operand)
        dc->operand->addr += dc->base;
    return 0;
}
`,
		rule: 'c.null.null-on-some-path',
		line: 9
	},
	{
		name: 'a cursor moved ahead by a skip from the header, then walked to, past the end; the fix compares it with the end',
		cwe: 'CWE-125',
		vulnerable: `static const char *skip_prefix(const struct pat *pt, const char *p, const char *end)
{
    const char *q = p + pt->min_len;
    while (p < q)
        p += char_len(p);
    return scan(pt, p, end);
}
`,
		fixed: `static const char *skip_prefix(const struct pat *pt, const char *p, const char *end)
{
    const char *q = p + pt->min_len;
    if (q >= end)
        return NULL;
    while (p < q)
        p += char_len(p);
    return scan(pt, p, end);
}
`,
		rule: 'c.bounds.pointer-past-end',
		line: 4
	},
	{
		name: 'a lookup result handed to strcmp without a NULL test; the fix tests it first',
		cwe: 'CWE-476',
		vulnerable: `static bool is_default(struct registry *reg, int key)
{
    const char *label = registry_label(reg, key);
    if (strcmp(label, "default") == 0)
        return true;
    return false;
}
`,
		fixed: `static bool is_default(struct registry *reg, int key)
{
    const char *label = registry_label(reg, key);
    if (!label)
        return false;
    if (strcmp(label, "default") == 0)
        return true;
    return false;
}
`,
		rule: 'c.null.unchecked-result',
		line: 4
	},
	{
		name: 'a product tested against the limit only after it is computed; the fix divides first',
		cwe: 'CWE-190',
		vulnerable: `static int size_rows(struct img *im, unsigned rows, unsigned stride)
{
    im->bytes = rows * stride;
    if (im->bytes > INT_MAX)
        return -1;
    return 0;
}
`,
		fixed: `static int size_rows(struct img *im, unsigned rows, unsigned stride)
{
    if (stride && rows > INT_MAX / stride)
        return -1;
    im->bytes = rows * stride;
    return 0;
}
`,
		rule: 'c.integer.unchecked-arithmetic',
		line: 3
	},
	{
		name: 'a 32-bit count shifted into a byte size; the fix widens it to 64 bits first',
		cwe: 'CWE-190',
		vulnerable: `static void map_extent(struct inode *ino, struct extent *e, struct buf_head *bh)
{
    bh->size = e->nblocks << ino->blkbits;
}
`,
		fixed: `static void map_extent(struct inode *ino, struct extent *e, struct buf_head *bh)
{
    bh->size = (u64)e->nblocks << ino->blkbits;
}
`,
		rule: 'c.integer.unchecked-arithmetic',
		line: 3
	},
	{
		name: 'a size multiplied in place (size *= PAGE); the fix bounds the page count first',
		cwe: 'CWE-190',
		vulnerable: `long ring_pages(struct ring *r, unsigned long size)
{
    size *= RING_PAGE;
    return set_ring_size(r, size);
}
`,
		fixed: `long ring_pages(struct ring *r, unsigned long size)
{
    if (size > ULONG_MAX / RING_PAGE)
        return -EINVAL;
    size *= RING_PAGE;
    return set_ring_size(r, size);
}
`,
		rule: 'c.integer.unchecked-arithmetic',
		line: 3
	},
	{
		name: 'a bound test on a sum of two outside values; the fix subtracts on the other side',
		cwe: 'CWE-190',
		vulnerable: `static int in_window(const struct win *w, size_t off, size_t len)
{
    if (off + len > w->size)
        return 0;
    return 1;
}
`,
		fixed: `static int in_window(const struct win *w, size_t off, size_t len)
{
    if (off > w->size || len > w->size - off)
        return 0;
    return 1;
}
`,
		rule: 'c.integer.sum-in-bound-test',
		line: 3
	}
];

describe('C guard families (wave 4): vulnerable flagged with rule and line, fixed passes', () => {
	for (const c of CASES) {
		it(`${c.cwe}: ${c.name}`, () => {
			const bad = judge.judge({ code: c.vulnerable, language: 'c', cwe: c.cwe });
			expect(bad.findings).toContainEqual(expect.objectContaining({ rule: c.rule, line: c.line }));
			expect(bad.vulnerable).toBe(true);
			const good = judge.judge({ code: c.fixed, language: 'c', cwe: c.cwe });
			expect(good.findings).toEqual([]);
			expect(good.vulnerable).toBe(false);
		});
	}
});

describe('calls that release nothing', () => {
	it('appending to a packet (skb_put) or storing to user memory (put_user) is not a free', () => {
		const code = `static void add_trailer(struct sk_buff *skb, int __user *out)\n{\n    u8 *t = skb_put(skb, 4);\n    t[0] = skb->len;\n    put_user(skb->len, out);\n    log_len(out);\n}\n`;
		const v = judge.judge({ code, language: 'c', cwe: 'CWE-416' });
		expect(v.findings.filter((f) => f.rule.startsWith('c.lifetime'))).toEqual([]);
	});
	it('a real release of the same packet followed by a use is still flagged', () => {
		const code = `static void drop(struct sk_buff *skb)\n{\n    kfree_skb(skb);\n    stats_add(skb->len);\n}\n`;
		const v = judge.judge({ code, language: 'c', cwe: 'CWE-416' });
		expect(v.findings).toContainEqual(expect.objectContaining({ rule: 'c.lifetime.use-after-free', line: 4 }));
	});
});

describe('the wrap test itself', () => {
	it('x + y < x is the overflow test, not a bound test that can wrap', () => {
		const code = `static int fits(size_t addr, size_t size)
{
    if (addr + size < addr)
        return 0;
    return 1;
}
`;
		const v = judge.judge({ code, language: 'c', cwe: 'CWE-190' });
		expect(v.findings.filter((f) => f.rule === 'c.integer.sum-in-bound-test')).toEqual([]);
	});
});

describe('the length argument of a copy', () => {
	it('snprintf is bounded by its second argument, not by the last value it formats', () => {
		const code = `static void label(char *out, const struct item *it)
{
    snprintf(out, LABEL_SIZE, "%s-%d", it->name, it->serial);
}
`;
		const v = judge.judge({ code, language: 'c', cwe: 'CWE-787' });
		expect(v.findings.filter((f) => f.rule === 'c.bounds.unchecked-length')).toEqual([]);
		const unbounded = judge.judge({ code: code.replace('LABEL_SIZE', 'it->room'), language: 'c', cwe: 'CWE-787' });
		expect(unbounded.findings).toContainEqual(expect.objectContaining({ rule: 'c.bounds.unchecked-length', line: 3 }));
	});
});

describe('C functions cut from their file', () => {
	it('a function whose return type sat on the line above is still read as a function, lines unchanged', async () => {
		const { completeCFunction } = await import('../../../../src/lib/judges/rules/judge.ts');
		const code = `copy_label(struct label *l, const char *src, int n)
{
    memcpy(l->text, src, n);
}
`;
		expect(completeCFunction(code)).toBe(`int ${code}`);
		expect(completeCFunction(` */
static int f(void)
{
}
`)).toBe(`   
static int f(void)
{
}
`);
		expect(completeCFunction(`static int f(void) { return 0; }`)).toBe(`static int f(void) { return 0; }`);
		// the length parameter is seen as a parameter: the buffer read before its length test is found on line 3
		expect(completeCFunction(`long rd(char __user *buf) TSRMLS_DC`)).toBe(`long rd(char        *buf)          `);
		const v = judge.judge({ code: `opcode_of(const unsigned char *bytes, int nbytes)
{
    int op = bytes[1] << 8 | bytes[0];
    return op;
}
`, language: 'c', cwe: 'CWE-125' });
		expect(v.findings).toContainEqual(expect.objectContaining({ rule: 'c.bounds.length-unchecked', line: 3 }));
	});
});

describe('what a NULL result is', () => {
	it('a length computed by min_t and handed to memcpy as its size is no pointer', () => {
		const code = `static int bind_addr(struct sock *sk, const struct sockaddr *addr, int addr_len)
{
    struct sockaddr_x sa;
    int len = min_t(unsigned int, sizeof(sa), addr_len);
    memcpy(&sa, addr, len);
    return use_addr(sk, &sa);
}
`;
		const v = judge.judge({ code, language: 'c', cwe: 'CWE-476' });
		expect(v.findings.filter((f) => f.rule === 'c.null.unchecked-result')).toEqual([]);
	});
});
