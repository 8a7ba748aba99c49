// Corrects a declaration plan (c-declarations.ts) from the compiler's own errors on the file it
// produced: a name the compiler does not know is declared, a name the headers already have is
// no longer declared, and a stub used with `.`, `->`, `*` or `[]` gets the kind that use needs.
// Messages of gcc (either quote style) and clang are read. Returns whether anything changed.

import type { DeclarationPlan } from './c-declarations.ts';
import { fileKey } from './file-key.ts';

import type { CompilerError } from '../types.ts';
export type { CompilerError };

const Q = `[‘'"\`]`;
const E = `[’'"\`]`;
const quoted = (pattern: string) => new RegExp(pattern.replace(/<q>/g, Q).replace(/<e>/g, E));

const UNDECLARED = [quoted(`<q>(\\w+)<e> undeclared`), quoted(`use of undeclared identifier <q>(\\w+)<e>`)];
const UNKNOWN_TYPE = quoted(`unknown type name <q>(\\w+)<e>`);
const NO_MEMBER = [quoted(`<q>(?:struct|union) (\\w+)<e> has no member named <q>(\\w+)<e>`), quoted(`no member named <q>(\\w+)<e> in <q>(?:struct|union) (\\w+)<e>`)];
const EXISTS = [
	quoted(`conflicting types for <q>(\\w+)<e>`),
	quoted(`<q>(\\w+)<e> redeclared as different kind of symbol`),
	quoted(`redefinition of <q>(?:struct |union |enum )?(\\w+)<e>`),
	quoted(`redefinition of enumerator <q>(\\w+)<e>`),
	quoted(`static declaration of <q>(\\w+)<e> follows`)
];
const NOT_STRUCT = [quoted(`request for member <q>(\\w+)<e> in something not a structure`), /member reference base type .* is not a structure or union/];
const NOT_POINTER = [/invalid type argument of .?->/, /invalid type argument of unary .?\*/, /subscripted value is neither array nor pointer/, /indirection requires pointer operand/, /member reference type .* is not a pointer/];

/** `file:line:col: error: message` lines (gcc's and clang's text output) about `file` or its declarations. */
export function textCompilerErrors(stderr: string, file: string): CompilerError[] {
	const out: CompilerError[] = [];
	for (const line of stderr.split('\n')) {
		const m = /^(.*?):(\d+):(?:\d+:)? (?:fatal )?error: (.*)$/.exec(line);
		if (!m || fileKey(m[1]) !== file) continue;
		out.push(/covw-decls-/.test(m[1]) ? { line: 0, message: m[3], declarationLine: Number(m[2]) } : { line: Number(m[2]), message: m[3] });
	}
	return out;
}

/**
 * Upgrades what stands before `.member` / `->member` on the code line: after `.` a field, a
 * variable's stub type or an extern becomes a struct; after `->` a field or extern becomes a
 * pointer, and a pointer variable's stub type a struct (a pointer variable's own type a pointer).
 */
function upgradeBases(plan: DeclarationPlan, text: string, member?: string): boolean {
	let changed = false;
	const set = <K extends string>(map: Map<string, K>, name: string, kind: K) => {
		if (map.has(name) && map.get(name) !== kind) {
			map.set(name, kind);
			changed = true;
		}
	};
	const pattern = new RegExp(`(\\w+)\\s*(?:\\[[^\\]]*\\]\\s*|\\([^()]*\\)\\s*)*(\\.|->)\\s*${member ?? '\\w+'}\\b`, 'g');
	for (const m of text.matchAll(pattern)) {
		const [, base, op] = m;
		const dot = op === '.';
		set(plan.fields, base, dot ? 'struct' : 'pointer');
		set(plan.externs, base, dot ? 'struct' : 'pointer');
		if (plan.functions.get(base) === 'value') set(plan.functions, base, 'pointer');
		const typeName = plan.types.has(base) ? base : plan.variables.get(base);
		if (typeName) {
			const pointerVariable = plan.pointerVariables.has(base);
			set(plan.types, typeName, dot || pointerVariable ? 'struct' : 'pointer');
		}
	}
	return changed;
}

/** The one name a declaration line declares (typedef, extern, prototype, enum member list excluded). */
function declaredOn(line: string): string | null {
	const m = /^(?:typedef\s+[^;]*?|extern\s+[^;]*?|struct covw_any \*|long )\**\s*(\w+)\s*(?:\(\))?;$/.exec(line.trim()) ?? /^#define (\w+)/.exec(line.trim()) ?? /^struct (\w+) \{/.exec(line.trim());
	return m && !/^covw_/.test(m[1]) ? m[1] : null;
}

/**
 * `declarations`: the lines of the declarations as written (renderDeclarations, without its
 * first `#line`), so that an error inside them that names no name still finds its declaration.
 */
export function repairPlan(plan: DeclarationPlan, code: string, errors: readonly CompilerError[], declarations: readonly string[] = []): boolean {
	const lines = code.split('\n');
	let changed = false;
	const declared = (name: string) =>
		plan.fields.has(name) || plan.tags.has(name) || plan.types.has(name) || plan.constants.has(name) || plan.externs.has(name) || plan.functions.has(name) || plan.empties.has(name) || plan.loopMacros.has(name);
	for (const { line, message, declarationLine } of errors) {
		const text = line > 0 ? (lines[line - 1] ?? '') : '';
		let m: RegExpExecArray | null = null;
		if ((m = EXISTS.map((r) => r.exec(message)).find(Boolean) ?? null)) {
			if (declared(m[1]) && !plan.dropped.has(m[1])) {
				plan.dropped.add(m[1]);
				changed = true;
			}
			continue;
		}
		if ((m = UNDECLARED.map((r) => r.exec(message)).find(Boolean) ?? null)) {
			const name = m[1];
			if (declared(name) || plan.dropped.has(name)) continue;
			if (/^[A-Z][A-Z0-9_]*$/.test(name)) plan.constants.add(name);
			else plan.externs.set(name, new RegExp(`\\b${name}\\s*->`).test(code) ? 'pointer' : new RegExp(`\\b${name}\\s*\\.\\s*[A-Za-z_]`).test(code) ? 'struct' : 'value');
			changed = true;
			continue;
		}
		if ((m = UNKNOWN_TYPE.exec(message))) {
			if (!plan.types.has(m[1]) && !plan.dropped.has(m[1])) {
				plan.types.set(m[1], 'struct');
				changed = true;
			}
			continue;
		}
		const member = NO_MEMBER.map((r) => r.exec(message)).find(Boolean);
		if (member) {
			const [tag, field] = /^no member/.test(message) ? [member[2], member[1]] : [member[1], member[2]];
			if ((/^covw_/.test(tag) || plan.tags.has(tag)) && !plan.fields.has(field)) {
				plan.fields.set(field, 'value');
				changed = true;
			}
			continue;
		}
		// an error inside the declarations the patterns above did not place: drop that declaration
		if (line === 0 && declarationLine) {
			const name = declaredOn(declarations[declarationLine - 1] ?? '');
			if (name && !plan.dropped.has(name)) {
				plan.dropped.add(name);
				changed = true;
			}
			continue;
		}
		const notStruct = NOT_STRUCT.map((r) => r.exec(message)).find(Boolean);
		if (notStruct && text) {
			changed = upgradeBases(plan, text, notStruct[1]) || changed;
			continue;
		}
		if (NOT_POINTER.some((r) => r.test(message)) && text) {
			changed = upgradeBases(plan, text) || changed;
			// `*x` and `x[i]` on a value stub
			for (const mm of text.matchAll(/(?:\*\s*\(?\s*|\b)(\w+)\s*(?:\[|\)|$|[;,])/g)) {
				const ext = plan.externs.get(mm[1]);
				if (ext === 'value') {
					plan.externs.set(mm[1], 'pointer');
					changed = true;
				}
			}
		}
	}
	return changed;
}
