// Intraprocedural facts for the rule families, per function of a syntax tree: where data comes
// from (parameters, object/struct fields, web-request objects and handler parameters, argv,
// environment), how it moves (assignments, including Python's annotated `x: T = v` and
// augmented `x += v`), what cleans it (numeric conversion, quoting and escaping, validation
// calls on the same value) and which names are tested in conditions and loop headers.
// Order matters only coarsely: a name is tainted if ANY assignment in the function taints it.

import { field, identifiersIn, named, ofType, textOf, walk, type Syn } from './syntax.ts';

export type Lang = 'c' | 'python';

export interface FunctionFacts {
	lang: Lang;
	code: string;
	node: Syn;
	params: string[];
	/** Names carrying data from outside (parameters included), after propagation. */
	tainted: Set<string>;
	/** Names assigned a string built from pieces (format, %, +, f-string, join). */
	built: Set<string>;
	/** Names assigned through a sanitizer (int(), quote, escape, realpath + check, ...). */
	sanitized: Set<string>;
	/** Names and field texts that appear in a condition: if/while/for headers, ternaries, assert, &&/||. */
	tested: Set<string>;
	/** For each tested name, the offset of its FIRST test (to ask "checked before this sink?"). */
	testedAt: Map<string, number>;
	/** Like testedAt, but only tests in the condition of an if / while / for / do (a ternary or a stored comparison does not stop the flow). */
	guardedAt: Map<string, number>;
	/** Text of every call's callee (last segment) in the function. */
	callees: string[];
}

const PY_SOURCES = /\b(request|req|flask\.request|self\.request)\.(GET|POST|args|form|values|json|data|files|cookies|headers|params|query_params|body|get_json|REQUEST|FILES|META|match_info|query)\b|\binput\(|\bsys\.argv|\bos\.environ|\bgetenv\(/;
const PY_SANITIZERS = /^(int|float|bool|len|abs|round|ord|hex|shlex\.quote|pipes\.quote|quote|escape|html\.escape|cgi\.escape|markupsafe\.escape|bleach\.clean|secure_filename|werkzeug\.utils\.secure_filename|os\.path\.basename|basename|urllib\.parse\.quote|quote_plus|uuid\.UUID|re\.escape|validate\w*|sanitize\w*|clean\w*|is_valid\w*|safe_\w+|normalize_\w+)$/;
const C_SANITIZERS = /^(atoi|strtol|strtoul|MIN|MAX|min|max|min_t|max_t|clamp|clamp_t|realpath|canonicalize_file_name|validate\w*|sanitize\w*|check\w*|is_valid\w*)$/;

export function functionsOf(root: Syn, lang: Lang): Syn[] {
	const fns = ofType(root, lang === 'c' ? 'function_definition' : 'function_definition');
	return fns.length ? fns : [root];
}

function paramNames(code: string, fn: Syn, lang: Lang): string[] {
	const out: string[] = [];
	if (lang === 'python') {
		const params = field(fn, 'parameters');
		if (!params) return out;
		for (const p of named(params)) {
			const id = p.type === 'identifier' ? p : ofType(p, 'identifier')[0];
			if (id) out.push(textOf(code, id));
		}
		return out.filter((n) => n !== 'self' && n !== 'cls');
	}
	const decl = ofType(fn, 'function_declarator')[0];
	const list = decl && field(decl, 'parameters');
	if (!list) return out;
	for (const p of list.children.filter((c) => c.type === 'parameter_declaration')) {
		const ids = ofType(p, 'identifier');
		if (ids.length) out.push(textOf(code, ids[ids.length - 1]));
	}
	return out;
}

/** Callee text ('cursor.execute', 'free') of a call node. */
export function calleeOf(code: string, call: Syn): string {
	const f = field(call, 'function');
	return f ? textOf(code, f).replace(/\s+/g, '') : '';
}

/** The last segment of a callee: 'self.db.execute' → 'execute'. */
export const lastSegment = (callee: string) => callee.split(/\.|->/).pop() ?? callee;

/** Text made of literals only: 'a' + 'b', ('a' 'b'), 3. Remembered per node: asked of every link of a long chain a + b + …, it was quadratic. */
const literalOnly = new WeakMap<Syn, boolean>();
function onlyLiterals(e: Syn): boolean {
	let known = literalOnly.get(e);
	if (known === undefined) literalOnly.set(e, (known = onlyLiteralsNow(e)));
	return known;
}

function onlyLiteralsNow(e: Syn): boolean {
	if (e.type === 'string') return !e.children.some((c) => c.type === 'interpolation');
	if (e.type === 'integer' || e.type === 'float' || e.type === 'concatenated_string') return true;
	if (e.type === 'parenthesized_expression' || e.type === 'binary_operator') return e.children.filter((c) => c.named).every(onlyLiterals);
	return false;
}

/**
 * isBuiltString's answers per node, for one `built` set at one size (the sets only grow, so the
 * same size is the same set; every empty set answers alike): a family asking of every link of a
 * chain a + b + … (each asking of the links below it again) was cubic in its length.
 */
const builtAnswers = new WeakMap<Set<string>, { size: number; of: WeakMap<Syn, boolean> }>();
const emptyBuiltAnswers = new WeakMap<Syn, boolean>();
function answersFor(built: Set<string>): WeakMap<Syn, boolean> {
	if (built.size === 0) return emptyBuiltAnswers;
	let answers = builtAnswers.get(built);
	if (!answers || answers.size !== built.size) builtAnswers.set(built, (answers = { size: built.size, of: new WeakMap() }));
	return answers.of;
}

/** A Python expression that builds a string from pieces, at least one of which is not a literal. */
export function isBuiltString(code: string, e: Syn | undefined, built: Set<string>): boolean {
	if (!e) return false;
	const answers = answersFor(built);
	let known = answers.get(e);
	if (known === undefined) answers.set(e, (known = isBuiltStringNow(code, e, built)));
	return known;
}

function isBuiltStringNow(code: string, e: Syn, built: Set<string>): boolean {
	if (e.type === 'identifier') return built.has(textOf(code, e));
	if (e.type === 'parenthesized_expression') return isBuiltString(code, named(e)[0], built);
	if (e.type === 'string') return e.children.some((c) => c.type === 'interpolation');
	if (e.type === 'concatenated_string') return e.children.some((c) => isBuiltString(code, c, built));
	if (e.type === 'binary_operator') {
		const op = e.children.find((c) => !c.named);
		const opText = op ? textOf(code, op) : '';
		if (opText !== '+' && opText !== '%') return false;
		const parts = named(e);
		const hasString = parts.some((p) => p.type === 'string' || p.type === 'concatenated_string' || isBuiltString(code, p, built));
		const hasNonLiteral = parts.some((p) => !onlyLiterals(p));
		return hasString && (hasNonLiteral || parts.some((p) => isBuiltString(code, p, built)));
	}
	if (e.type === 'call') {
		const callee = calleeOf(code, e);
		if (/\.format$/.test(callee) || /\.join$/.test(callee) && /^['"]/.test(callee)) return true;
	}
	return false;
}

/** Identifiers of e that are not inside a sanitizer call. */
export function unsanitizedNames(code: string, e: Syn, lang: Lang): Set<string> {
	const out = new Set<string>();
	const visit = (n: Syn) => {
		if ((n.type === 'call' || n.type === 'call_expression') && (lang === 'python' ? PY_SANITIZERS : C_SANITIZERS).test(calleeOf(code, n))) return;
		if (n.type === 'call' || n.type === 'call_expression') {
			const args = field(n, 'arguments');
			if (args) visit(args);
			const f = field(n, 'function');
			if (f && f.type === 'attribute') {
				const obj = field(f, 'object');
				if (obj) visit(obj);
			}
			return;
		}
		if (n.type === 'identifier') out.add(textOf(code, n));
		for (const c of n.children) if (c.field !== 'attribute' && c.field !== 'field') visit(c);
	};
	visit(e);
	return out;
}

/** Assignments as (target name, value node, line). Python: x = v, x: T = v, x += v; C: x = v, T x = v. */
function assignments(code: string, fn: Syn, lang: Lang): { target: string; value: Syn; augmented: boolean }[] {
	const out: { target: string; value: Syn; augmented: boolean }[] = [];
	for (const n of walk(fn)) {
		if (lang === 'python' && (n.type === 'assignment' || n.type === 'augmented_assignment')) {
			const left = field(n, 'left');
			const right = field(n, 'right');
			if (!left || !right) continue;
			for (const id of left.type === 'identifier' ? [left] : left.type === 'pattern_list' || left.type === 'tuple_pattern' ? named(left).filter((x) => x.type === 'identifier') : [])
				out.push({ target: textOf(code, id), value: right, augmented: n.type === 'augmented_assignment' });
			if (left.type === 'attribute' || left.type === 'subscript') out.push({ target: textOf(code, left), value: right, augmented: false });
		}
		if (lang === 'c' && n.type === 'assignment_expression') {
			const left = field(n, 'left');
			const right = field(n, 'right');
			if (left && right) out.push({ target: textOf(code, left).replace(/\s+/g, ''), value: right, augmented: textOf(code, n).slice(left.end - n.start).trimStart()[0] !== '=' });
		}
		if (lang === 'c' && n.type === 'init_declarator') {
			const decl = field(n, 'declarator');
			const value = field(n, 'value');
			const id = decl && (decl.type === 'identifier' ? decl : ofType(decl, 'identifier')[0]);
			if (id && value) out.push({ target: textOf(code, id), value, augmented: false });
		}
	}
	return out;
}

export function analyseFunction(code: string, fn: Syn, lang: Lang): FunctionFacts {
	const params = paramNames(code, fn, lang);
	const tainted = new Set(params);
	const built = new Set<string>();
	const sanitized = new Set<string>();
	const list = assignments(code, fn, lang);
	for (let round = 0; round < 3; round++) {
		for (const a of list) {
			const valueText = textOf(code, a.value);
			if (lang === 'python' && isBuiltString(code, a.value, built)) built.add(a.target);
			if (lang === 'python' && a.augmented && (a.value.type === 'string' || isBuiltString(code, a.value, built) || built.has(a.target))) built.add(a.target);
			const names = unsanitizedNames(code, a.value, lang);
			const fromSource = lang === 'python' ? PY_SOURCES.test(valueText) : /\b(argv|getenv|recv|read|fgets|scanf|getline)\b/.test(valueText);
			const fromFieldOrParam = [...names].some((n) => tainted.has(n));
			if (fromSource || fromFieldOrParam) tainted.add(a.target);
			else if (!a.augmented && names.size === 0 && identifiersIn(code, a.value).size > 0) sanitized.add(a.target);
			// C: values read out of a struct or array are outside data for library code
			if (lang === 'c' && /->|\.|\[/.test(valueText) && !/^\s*(sizeof|&)/.test(valueText)) tainted.add(a.target);
		}
	}
	// A name re-assigned through a sanitizer (x = int(x)) is clean from then on; flow-insensitive.
	// (one pass over the assignments, not one per sanitized name: that was quadratic in the function's length)
	for (const a of list) if (sanitized.has(a.target) && tainted.has(a.target) && !a.augmented && /\(/.test(textOf(code, a.value)) && unsanitizedNames(code, a.value, lang).size === 0) tainted.delete(a.target);
	const tested = new Set<string>();
	const testedAt = new Map<string, number>();
	const test = (name: string, at: number) => {
		tested.add(name);
		if (!(testedAt.get(name)! <= at)) testedAt.set(name, at);
	};
	const conditionTypes = lang === 'python' ? ['if_statement', 'elif_clause', 'while_statement', 'assert_statement', 'conditional_expression', 'boolean_operator', 'comparison_operator'] : ['if_statement', 'while_statement', 'for_statement', 'do_statement', 'conditional_expression'];
	for (const n of walk(fn)) {
		if (!conditionTypes.includes(n.type)) continue;
		const cond = field(n, 'condition') ?? (lang === 'c' && n.type === 'for_statement' ? n : n);
		for (const d of walk(cond)) {
			if (d.type === 'identifier') test(textOf(code, d), d.start);
			if (d.type === 'field_expression' || d.type === 'attribute' || d.type === 'subscript_expression') test(textOf(code, d).replace(/\s+/g, ''), d.start);
			if (d.type === 'compound_statement' || d.type === 'block') break;
		}
	}
	if (lang === 'c') {
		for (const b of ofType(fn, 'binary_expression')) {
			const op = b.children.find((c) => !c.named);
			if (op && ['<', '>', '<=', '>=', '==', '!=', '&&', '||'].includes(textOf(code, op))) for (const d of walk(b)) if (d.type === 'identifier' || d.type === 'field_expression') test(textOf(code, d).replace(/\s+/g, ''), d.start);
		}
		for (const u of ofType(fn, 'unary_expression')) if (textOf(code, u).startsWith('!')) for (const d of walk(u)) if (d.type === 'identifier' || d.type === 'field_expression') test(textOf(code, d).replace(/\s+/g, ''), d.start);
	}
	const guardedAt = new Map<string, number>();
	for (const n of walk(fn)) {
		if (!/^(if_statement|while_statement|for_statement|do_statement|elif_clause|assert_statement)$/.test(n.type)) continue;
		const cond = field(n, 'condition');
		if (!cond) continue;
		for (const d of walk(cond)) {
			if (d.type !== 'identifier' && d.type !== 'field_expression' && d.type !== 'attribute' && d.type !== 'subscript_expression') continue;
			const name = textOf(code, d).replace(/\s+/g, '');
			if (!(guardedAt.get(name)! <= d.start)) guardedAt.set(name, d.start);
		}
	}
	const callees = ofType(fn, lang === 'c' ? 'call_expression' : 'call').map((c) => calleeOf(code, c));
	return { lang, code, node: fn, params, tainted, built, sanitized, tested, testedAt, guardedAt, callees };
}
