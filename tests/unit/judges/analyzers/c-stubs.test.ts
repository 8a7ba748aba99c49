// c-stubs: what a C function cut out of a project lacks is declared before it, and its lines
// stay its own (#line 1).

import { describe, expect, it } from 'vitest';
import { cStubs } from '../../../../src/lib/judges/analyzers/tools/c-stubs.ts';

describe('cStubs', () => {
	const code = `static int entry_size(Archive *a, struct entry *e, Mode m)\n{\n    if (e->next->len > MAX_ENTRY || m == ModeStrict)\n        return ERR_SIZE;\n    return a->base[0] + e->len;\n}\n`;
	const out = cStubs(code);
	const [stubs, rest] = out.split('#line 1\n');

	it('keeps the code unchanged after #line 1', () => {
		expect(rest).toBe(code);
	});

	it('declares unknown types, struct tags, fields and constants', () => {
		expect(stubs).toContain('typedef struct covw_any Archive;');
		expect(stubs).toContain('typedef long Mode;');
		expect(stubs).toMatch(/struct entry \{[^}]*struct covw_any \*next;/);
		expect(stubs).toMatch(/struct covw_any \{[^}]*struct covw_any \*base;[^}]*\}/);
		expect(stubs).toMatch(/long len;/);
		expect(stubs).toMatch(/enum \{[^}]*MAX_ENTRY = 1[^}]*ERR_SIZE = 1/);
		expect(stubs).toMatch(/ModeStrict = 1/);
	});

	it('leaves a whole program (with its own #include lines) as written', () => {
		const program = `#include <stdio.h>\nint main(void) { Widget w = MAKE_WIDGET; return 0; }\n`;
		expect(cStubs(program)).toBe(program);
	});

	it('declares nothing the code defines itself or libc provides', () => {
		const own = cStubs(`typedef int Mode;\n#define LIMIT 4\nsize_t f(Mode m, FILE *fp) { return m < LIMIT; }\n`);
		expect(own.split('#line 1\n')[0]).not.toMatch(/Mode|LIMIT|size_t|FILE/);
	});
});
