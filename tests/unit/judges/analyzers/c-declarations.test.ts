// Declarations for lone C functions (tools/c-declarations.ts, c-repair.ts, c-prepare.ts): what a
// function cut out of a project uses but does not declare is declared before it, read from its
// tree-sitter tree; the compiler's own errors correct the guess; the code's lines stay its own.
// Our own small functions only. The live parts are skipped when gcc / clang are absent.

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadParsers, type Parsers } from '../../../../src/lib/judges/rules/parse.ts';
import { planDeclarations, renderDeclarations, textForParsing, type DeclarationPlan } from '../../../../src/lib/judges/analyzers/tools/c-declarations.ts';
import { repairPlan, textCompilerErrors } from '../../../../src/lib/judges/analyzers/tools/c-repair.ts';
import { C_SYNTAX_FLAGS, planCFiles } from '../../../../src/lib/judges/analyzers/tools/c-prepare.ts';
import { fileKey } from '../../../../src/lib/judges/analyzers/tools/file-key.ts';
import { judgeBatchWithAnalyzer } from '../../../../src/lib/judges/analyzers/judge.ts';
import { installed } from './helpers.ts';

/** A made-up queue function: unknown types, a struct tag, fields, a loop macro, constants, a helper. */
const QUEUE = `static int reset_queue(Queue *q, struct job *j, Mode m)
{
    Slot *it = q->slots[j->index];
    char *label = find_label(q)->text;
    free(it->payload);
    for_each_waiter(w, &q->waiting) {
        w->owner = NULL;
    }
    switch (m) { case MODE_FAST: break; case MODE_SLOW: q->name[0] = 'x'; break; }
    q->stats.count++;
    free(it->payload);
    return QUEUE_DONE + (int)strlen(label) + checksum(q);
}
`;

let parsers: Parsers;
beforeAll(async () => {
	parsers = await loadParsers();
});
/** What the prelude headers would declare, for these tests: libc's functions used below. */
const LIBC = new Set(['free', 'strlen', 'malloc']);
const plan = (code: string, known = LIBC): DeclarationPlan => planDeclarations(parsers.parse(textForParsing(code), 'c'), code, known, new Set());

describe('planDeclarations', () => {
	it('declares each unknown name with the kind its use needs', () => {
		const p = plan(QUEUE);
		expect(p.types.get('Queue')).toBe('struct'); // only behind pointers, used with ->
		expect(p.types.get('Slot')).toBe('struct');
		expect(p.types.get('Mode')).toBe('value'); // a parameter by value
		expect(p.tags.has('job')).toBe(true);
		expect(p.fields.get('payload')).toBe('bytes'); // handed to free
		expect(p.fields.get('stats')).toBe('struct'); // followed by .
		expect(p.fields.get('name')).toBe('bytes'); // indexed, the element is a value
		expect(p.fields.get('count')).toBe('value');
		expect(p.functions.get('find_label')).toBe('pointer'); // its result is followed by ->
		expect(p.functions.get('checksum')).toBe('value');
		expect([...p.constants].sort()).toEqual(['MODE_FAST', 'MODE_SLOW', 'QUEUE_DONE']);
		expect(p.loopMacros.has('for_each_waiter')).toBe(true);
		// names the code declares itself, C's words and libc's are never declared
		expect(p.externs.get('w')).toBe('pointer'); // the loop's variable, declared above upstream
		for (const own of ['it', 'label', 'q', 'm', 'free', 'strlen', 'NULL']) {
			expect(p.externs.has(own) || p.functions.has(own) || p.constants.has(own), own).toBe(false);
		}
	});

	it('skips what the prelude headers already declare', () => {
		const code = `int pick(Widget *w) { return w->size > LIMIT_MAX ? other_call(w) : 0; }\n`;
		const p = plan(code, new Set(['LIMIT_MAX', 'other_call']));
		expect(p.constants.has('LIMIT_MAX')).toBe(false);
		expect(p.functions.has('other_call')).toBe(false);
		expect(p.types.get('Widget')).toBe('struct');
	});

	it('a word before the return type is an attribute macro for nothing', () => {
		const p = plan(`EXPORTED_API Frame *frame_new(int n) { return NULL; }\n`);
		expect(p.empties.has('EXPORTED_API')).toBe(true);
		expect(p.types.get('Frame')).toBe('struct');
	});

	it('gives case labels distinct values and keeps the code unchanged after #line', () => {
		const text = renderDeclarations(plan(QUEUE), QUEUE, 'item-0.c');
		const [decls, code] = text.split('#line 1 "item-0.c"\n');
		expect(code).toBe(QUEUE);
		expect(decls).toContain('#line 1 "covw-decls-item-0.c.h"');
		expect(decls).toMatch(/enum \{ MODE_FAST = 4097, MODE_SLOW, QUEUE_DONE \};/);
		expect(decls).toContain('#define for_each_waiter(...) while (covw_more())');
		expect(decls).toContain('struct covw_any *find_label();');
		expect(fileKey('covw-decls-item-0.c.h')).toBe('item-0.c');
	});
});

describe('repairPlan', () => {
	it('reads gcc and clang errors: declares the unknown, drops what exists, upgrades a base', () => {
		const code = `int use(Thing *t)\n{\n    t->inner.depth = 1;\n    return t->count + missing_total;\n}\n`;
		const p = plan(code);
		p.fields.set('inner', 'value'); // a wrong first guess
		p.externs.set('strange_name', 'value');
		const errors = [
			{ line: 3, message: "request for member ‘depth’ in something not a structure or union" },
			{ line: 4, message: "use of undeclared identifier 'missing_total2'" },
			{ line: 0, message: "conflicting types for ‘strange_name’; have ‘long int’" },
			{ line: 4, message: "‘struct covw_any’ has no member named ‘extra’" }
		];
		expect(repairPlan(p, code, errors)).toBe(true);
		expect(p.fields.get('inner')).toBe('struct');
		expect(p.externs.get('missing_total2')).toBe('value');
		expect(p.dropped.has('strange_name')).toBe(true);
		expect(p.fields.get('extra')).toBe('value');
		expect(repairPlan(p, code, errors)).toBe(false); // nothing more to change
	});

	it('an error inside the declarations that names nothing drops the declaration on its line', () => {
		const code = `int use(Gadget g) { return g + legacy_flag; }\n`;
		const p = plan(code);
		const declarations = renderDeclarations(p, '', 'item-0.c').split('\n').slice(1);
		const at = declarations.findIndex((l) => l === 'typedef long Gadget;') + 1;
		expect(at).toBeGreaterThan(0);
		expect(repairPlan(p, code, [{ line: 0, message: "typedef redefinition with different types ('long' vs 'unsigned int')", declarationLine: at }], declarations)).toBe(true);
		expect(p.dropped.has('Gadget')).toBe(true);
		expect(renderDeclarations(p, code, 'item-0.c')).not.toContain('Gadget;');
	});

	it('finds the errors of one file, in the code or in its declarations', () => {
		const stderr = 'item-1.c:4:9: error: unknown type name ‘Blob’\ncovw-decls-item-1.c.h:3:1: error: redefinition of ‘struct tm’\nitem-2.c:1:1: error: other\n';
		expect(textCompilerErrors(stderr, 'item-1.c')).toEqual([
			{ line: 4, message: 'unknown type name ‘Blob’' },
			{ line: 0, message: 'redefinition of ‘struct tm’', declarationLine: 3 }
		]);
	});
});

describe.skipIf(!installed('gcc'))('with gcc', () => {
	it('the declared function passes gcc -fsyntax-only, which produces no file', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'covw-decl-test-'));
		try {
			const files = await planCFiles([QUEUE], ['item-0.c'], process.env.PATH ?? '');
			writeFileSync(join(dir, 'item-0.c'), files.text(0));
			execFileSync('gcc', ['-fsyntax-only', '-w', ...C_SYNTAX_FLAGS, 'item-0.c'], { cwd: dir, stdio: 'pipe' });
			expect(readdirSync(dir)).toEqual(['item-0.c']);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('plans read once per process', () => {
	it('the same function planned again gives the same text, and one batch\'s repair does not reach the other', async () => {
		const code = 'int size_of(Thing *t)\n{\n    return t->n + LIMIT;\n}\n';
		const first = await planCFiles([code], ['item-0.c'], process.env.PATH ?? '');
		const second = await planCFiles([code], ['item-0.c'], process.env.PATH ?? '');
		expect(second.text(0)).toBe(first.text(0));
		expect(first.repair(0, [{ line: 3, message: "use of undeclared identifier 'other_name'" }])).toBe(true);
		expect(first.text(0)).toMatch(/other_name/);
		expect(second.text(0)).not.toMatch(/other_name/);
		const third = await planCFiles([code], ['item-0.c'], process.env.PATH ?? '');
		expect(third.text(0)).toBe(second.text(0));
	});
});

describe.skipIf(!installed('clang'))('with clang --analyze', () => {
	it('a lone function with unknown types is analysed: its double free is found, the fix passes', async () => {
		const fixed = QUEUE.replace(/    free\(it->payload\);\n    return/, '    return');
		const [bad, good] = await judgeBatchWithAnalyzer('clang', [
			{ code: QUEUE, language: 'c', cwe: 'CWE-416' },
			{ code: fixed, language: 'c', cwe: 'CWE-416' }
		]);
		expect(bad).toMatchObject({ status: 'ok', vulnerable: true });
		expect(bad.status === 'ok' && bad.findings.find((f) => f.cwes.includes('CWE-416'))?.line).toBe(11);
		expect(good).toMatchObject({ status: 'ok', vulnerable: false });
	});
});
