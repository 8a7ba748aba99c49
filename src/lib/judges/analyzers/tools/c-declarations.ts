// Declarations for a C function cut out of a real project, so that the path analyzers
// (gcc -fanalyzer, clang --analyze), which analyse nothing in a file that does not compile,
// see it. Read from the tree-sitter C tree of the function (judges/rules/parse.ts), what it uses
// but neither defines nor gets from the prelude headers (`known`) is declared before it:
// - unknown type names: used only through pointers → `typedef struct covw_any T`; used by value
//   → `typedef long T`, or the struct when a variable of it is followed by `.`, or a pointer
//   typedef when one is followed by `->`;
// - struct/union tags without a body → a struct with every field the code reads;
// - fields (a->f, a.f): a pointer to the catch-all struct when followed by -> [ or *, a struct
//   by value when followed by `.`, a function pointer when called, `long` otherwise;
// - unknown functions → prototypes (`long f();`, or returning a pointer when the result is
//   dereferenced); unknown ALL-CAPS names and case labels → distinct enum constants; other
//   unknown identifiers → extern declarations;
// - `name(args) { ... }` where name is unknown (list_for_each and friends) → a loop macro;
// - a word before the return type (`MagickExport Image *f(`, `R_API`) → a macro for nothing.
// A function whose return type was cut off (`f(Foo *x) {`) is read as returning int.
// Then `#line 1 "<file>"`: every reported line is a line of the judged code, and diagnostics
// inside the declarations name another file ("covw-decls-<file>.h"). A plan is kept so that the
// compiler's own errors can correct it (c-repair.ts). Code with its own #include lines is a
// whole program and is left as written.

import type { Node, Tree } from '../../rules/parse.ts';

export type FieldKind = 'value' | 'bytes' | 'pointer' | 'pointers' | 'struct' | 'function';
export type TypeKind = 'value' | 'struct' | 'pointer';

export interface DeclarationPlan {
	/** Annotation words that expand to nothing upstream (__user, __init, G_GNUC_UNUSED). */
	empties: Set<string>;
	fields: Map<string, FieldKind>;
	tags: Set<string>;
	types: Map<string, TypeKind>;
	constants: Set<string>;
	externs: Map<string, 'value' | 'pointer' | 'struct'>;
	functions: Map<string, 'value' | 'pointer'>;
	loopMacros: Set<string>;
	/** Names the compiler said exist already: never declared again. */
	dropped: Set<string>;
	/** Variable → its stub type name (for repairs that name a variable). */
	variables: Map<string, string>;
	/** Those of them declared as pointers (or arrays) of that type. */
	pointerVariables: Set<string>;
}

/** The pseudo-file the declarations for `file` are reported under (file-key.ts maps it back). */
export function declarationsFile(file: string): string {
	return `covw-decls-${file}.h`;
}

/** Words C itself defines; used when the prelude's names are not available. */
const C_WORDS = new Set(
	('auto break case char const continue default do double else enum extern float for goto if inline int long register restrict return short signed sizeof static struct switch typedef union unsigned void volatile while _Bool bool true false ' +
		'size_t ssize_t off_t time_t pid_t uid_t gid_t mode_t FILE int8_t int16_t int32_t int64_t uint8_t uint16_t uint32_t uint64_t intptr_t uintptr_t ptrdiff_t wchar_t va_list NULL EOF errno stdin stdout stderr ' +
		'__func__ __FUNCTION__ __LINE__ __FILE__ __attribute__ __typeof__ typeof __inline __inline__ __restrict __extension__ __asm__ asm __builtin_va_list offsetof')
		.split(' ')
);

/** Whole programs (with their own #include lines) are analysed as written. */
export function isWholeProgram(code: string): boolean {
	return /^\s*#\s*include\b/m.test(code);
}

const NOT_ATTRIBUTES = /^(struct|union|enum|unsigned|signed|long|short|const|volatile|static|inline|extern|int|char|void|float|double|bool|_Bool)$/;

/**
 * A word before or after the return type of the function that is an attribute macro upstream:
 * `MagickExport Image *f(`, `R_API RList *f(` (the first word, when it looks like an export
 * macro) or `png_uint_32 PNGAPI f(` (the second, when it is ALL CAPS).
 */
export function headAttribute(code: string): string | null {
	const head = /^\s*(?:(?:static|inline|extern)\s+)*([A-Za-z_]\w*)\s+(?:const\s+)?([A-Za-z_]\w*)\s*\**\s*[A-Za-z_]\w*\s*\(/.exec(code);
	if (!head || NOT_ATTRIBUTES.test(head[1]) || /^(struct|union|enum)$/.test(head[2])) return null;
	if (/^[A-Z][A-Z0-9_]+$/.test(head[2])) return head[2];
	if (/^[A-Z][A-Z0-9_]*$/.test(head[1]) || /(Export|EXPORT|_API|API_|Api|DECL|EXTERN)/.test(head[1])) return head[1];
	return null;
}

/**
 * The text tree-sitter reads for planning (the file keeps the code as given): a head attribute
 * blanked out, and a function whose return type was cut off (`f(Foo *x) {`) read as returning
 * int, as gcc does.
 */
export function textForParsing(code: string): string {
	const head = headAttribute(code);
	const text = head ? code.replace(new RegExp(`\\b${head}\\b`), ' '.repeat(head.length)) : code;
	return /^\s*[A-Za-z_]\w*\s*\(/.test(text) ? `int ${text}` : text;
}

function emptyPlan(): DeclarationPlan {
	return { empties: new Set(), fields: new Map(), tags: new Set(), types: new Map(), constants: new Set(), externs: new Map(), functions: new Map(), loopMacros: new Set(), dropped: new Set(), variables: new Map(), pointerVariables: new Set() };
}

/** libc functions whose arguments are pointers: a stub handed to one is a pointer (char *). */
const POINTER_TAKERS = new Set('free kfree vfree g_free memcpy memmove memset memcmp memchr strcpy strncpy strcat strncat strlen strnlen strcmp strncmp strchr strrchr strstr strdup strndup sprintf snprintf vsnprintf sscanf fgets fread fwrite realloc read write'.split(' '));
const ALLOCATORS = new Set('malloc calloc realloc strdup strndup kmalloc kzalloc kcalloc g_malloc g_malloc0 xmalloc'.split(' '));

const FIELD_RANK: Record<FieldKind, number> = { value: 0, function: 1, bytes: 2, pointer: 3, pointers: 4, struct: 5 };

function all(node: Node, type: string | string[]): Node[] {
	return node.descendantsOfType(type).filter((n): n is Node => n !== null);
}

/** How the value of `node` (an expression) is used by its parent. */
function usageOf(node: Node): FieldKind {
	const parent = node.parent;
	if (!parent) return 'value';
	if (parent.type === 'parenthesized_expression') return usageOf(parent);
	if (parent.type === 'field_expression' && parent.childForFieldName('argument')?.id === node.id) {
		return parent.childForFieldName('operator')?.text === '.' ? 'struct' : 'pointer';
	}
	// indexed or dereferenced: what is done with the element decides
	if ((parent.type === 'subscript_expression' && parent.childForFieldName('argument')?.id === node.id) || (parent.type === 'pointer_expression' && parent.childForFieldName('operator')?.text === '*')) {
		const element = usageOf(parent);
		return element === 'struct' ? 'pointer' : element === 'pointer' || element === 'pointers' || element === 'bytes' ? 'pointers' : 'bytes';
	}
	if (parent.type === 'call_expression' && parent.childForFieldName('function')?.id === node.id) return 'function';
	// handed to a libc function that takes a pointer, or given memory from an allocator
	if (parent.type === 'argument_list' && POINTER_TAKERS.has(parent.parent?.childForFieldName('function')?.text ?? '')) return 'bytes';
	if (parent.type === 'assignment_expression' && parent.childForFieldName('left')?.id === node.id) {
		const right = parent.childForFieldName('right');
		if (right?.type === 'call_expression' && ALLOCATORS.has(right.childForFieldName('function')?.text ?? '')) return 'bytes';
	}
	return 'value';
}

/** Names the function defines itself: declarators, parameters, typedefs, enumerators, macros, labels, tags with a body. */
function definedNames(root: Node): { names: Set<string>; tagsWithBody: Set<string> } {
	const names = new Set<string>();
	const tagsWithBody = new Set<string>();
	const declaratorName = (d: Node | null): void => {
		while (d && d.type !== 'identifier' && d.type !== 'type_identifier' && d.type !== 'field_identifier') {
			d = d.childForFieldName('declarator') ?? d.namedChildren.find((c) => c && /declarator|identifier/.test(c.type)) ?? null;
		}
		if (d) names.add(d.text);
	};
	for (const n of all(root, ['declaration', 'parameter_declaration', 'function_definition', 'type_definition', 'field_declaration'])) {
		if (n.type === 'field_declaration') continue;
		for (const d of n.childrenForFieldName('declarator')) declaratorName(d);
	}
	for (const n of all(root, ['enumerator', 'preproc_def', 'preproc_function_def', 'labeled_statement'])) {
		const name = n.childForFieldName('name') ?? n.childForFieldName('label');
		if (name) names.add(name.text);
	}
	for (const n of all(root, ['struct_specifier', 'union_specifier', 'enum_specifier'])) {
		const name = n.childForFieldName('name');
		if (name && n.childForFieldName('body')) tagsWithBody.add(name.text);
	}
	return { names, tagsWithBody };
}

/** The type name a declaration gives `variable`, when it is an unknown (stub) type. */
function variableTypes(root: Node): Map<string, { type: string; pointer: boolean }> {
	const out = new Map<string, { type: string; pointer: boolean }>();
	for (const n of all(root, ['declaration', 'parameter_declaration'])) {
		const type = n.childForFieldName('type');
		if (!type || type.type !== 'type_identifier') continue;
		for (let d of n.childrenForFieldName('declarator')) {
			let pointer = false;
			while (d && d.type !== 'identifier') {
				if (d.type === 'pointer_declarator' || d.type === 'array_declarator') pointer = true;
				d = d.childForFieldName('declarator');
			}
			if (d) out.set(d.text, { type: type.text, pointer });
		}
	}
	return out;
}

/** A statement macro: `name(args)` directly followed by a block (tree-sitter: a missing ';'). */
function loopMacroCalls(root: Node): Node[] {
	const out: Node[] = [];
	for (const s of all(root, 'expression_statement')) {
		const call = s.namedChildren[0];
		if (!call || call.type !== 'call_expression' || call.childForFieldName('function')?.type !== 'identifier') continue;
		const missing = s.children.some((c) => c?.isMissing);
		if (missing && s.nextNamedSibling?.type === 'compound_statement' && s.parent?.type !== 'translation_unit') out.push(call);
	}
	return out;
}

/**
 * What the code lacks, read from its tree. `known`: every name the prelude headers declare
 * (c-prelude.ts); without it only C's own words count as known.
 */
export function planDeclarations(tree: Tree, code: string, known: ReadonlySet<string> = C_WORDS, macros: ReadonlySet<string> = C_WORDS): DeclarationPlan {
	const plan = emptyPlan();
	const root = tree.rootNode;
	const isKnown = (name: string) => known.has(name) || C_WORDS.has(name);
	const { names: defined, tagsWithBody } = definedNames(root);
	const unknown = (name: string) => !defined.has(name) && !isKnown(name);

	const stripped = code.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, ' ').replace(/"(?:\\.|[^"\\\n])*"/g, '""');
	for (const m of stripped.matchAll(/\b(__(?:user|init|exit|iomem|rcu|percpu|force|bitwise|must_check|always_inline|cold|hot|maybe_unused|read_mostly|initdata|devinit|devexit|kernel|nocast|safe|weak|packed|aligned|noinline|pure|unused|attribute_used)\b|G_GNUC_\w+|_U_|UNUSED|ATTRIBUTE_UNUSED|MAYBE_UNUSED|SHARED_EXPORT|EXPORT|API)\b(?!\s*\()/g)) {
		if (!defined.has(m[1]) && !isKnown(m[1])) plan.empties.add(m[1]);
	}

	const head = headAttribute(code);
	if (head && unknown(head)) plan.empties.add(head);

	const loops = loopMacroCalls(root);
	const inLoopMacro = (n: Node) => loops.some((c) => c.startIndex <= n.startIndex && n.endIndex <= c.endIndex && c.childForFieldName('function')?.id !== n.id);
	for (const call of loops) {
		const name = call.childForFieldName('function')!.text;
		if (unknown(name)) plan.loopMacros.add(name);
	}

	// every identifier once, by name (walking the tree per variable was most of the planning time)
	const identifiers = all(root, 'identifier');
	const named = new Map<string, Node[]>();
	for (const id of identifiers) {
		const list = named.get(id.text);
		if (list) list.push(id);
		else named.set(id.text, [id]);
	}
	const uses = (name: string) => named.get(name) ?? [];

	// types
	const vars = variableTypes(root);
	const byValue = new Set<string>();
	for (const t of all(root, 'type_identifier')) {
		const parent = t.parent;
		if (!parent || /^(struct|union|enum)_specifier$/.test(parent.type) || parent.type === 'type_definition') continue;
		if (!unknown(t.text) || plan.empties.has(t.text)) continue;
		if (!plan.types.has(t.text)) plan.types.set(t.text, 'struct');
		// used by value somewhere: a declaration, parameter, return type or cast without a pointer
		const declarators = parent.childrenForFieldName('declarator').map((d) => (d?.type === 'init_declarator' ? d.childForFieldName('declarator') : d));
		if (parent.childForFieldName('type')?.id === t.id && (declarators.length === 0 ? parent.type === 'type_descriptor' : declarators.some((d) => d && !/pointer|array|function/.test(d.type) || (d?.type === 'function_declarator' && parent.type === 'function_definition')))) byValue.add(t.text);
	}
	for (const type of byValue) plan.types.set(type, 'value');
	for (const [variable, { type, pointer }] of vars) {
		if (!byValue.has(type) || pointer) continue;
		// used by value: how is the variable used?
		let kind: TypeKind = plan.types.get(type) ?? 'value';
		for (const id of uses(variable)) {
			const use = usageOf(id);
			if (use === 'struct') kind = 'struct';
			else if (use !== 'value' && use !== 'function' && kind !== 'struct') kind = 'pointer';
		}
		plan.types.set(type, kind);
	}
	// a type seen only behind pointers is a struct when one of its variables is followed by ->,
	// a scalar when its elements are only read or written as values (a byte or character type)
	for (const [type, kind] of plan.types) {
		if (kind !== 'struct' || byValue.has(type)) continue;
		let arrow = false;
		let element = false;
		for (const [variable, v] of vars) {
			if (v.type !== type) continue;
			for (const id of uses(variable)) {
				const use = usageOf(id);
				if (use === 'pointer' || use === 'pointers') arrow = true;
				if (use === 'bytes') element = true;
			}
		}
		if (element && !arrow) plan.types.set(type, 'value');
	}
	for (const [variable, { type, pointer }] of vars) {
		if (!plan.types.has(type)) continue;
		plan.variables.set(variable, type);
		if (pointer) plan.pointerVariables.add(variable);
	}
	// tags
	for (const s of all(root, ['struct_specifier', 'union_specifier'])) {
		const name = s.childForFieldName('name');
		if (name && !tagsWithBody.has(name.text) && !isKnown(name.text)) plan.tags.add(name.text);
	}
	// fields
	for (const f of all(root, 'field_expression')) {
		const field = f.childForFieldName('field');
		if (!field || macros.has(field.text)) continue;
		const use = usageOf(f);
		const before = plan.fields.get(field.text);
		if (!before || FIELD_RANK[use] > FIELD_RANK[before]) plan.fields.set(field.text, use);
	}
	// identifiers in expressions
	const caseValues = new Set(all(root, 'case_statement').map((c) => c.childForFieldName('value')?.text ?? ''));
	for (const id of identifiers) {
		const name = id.text;
		if (!unknown(name) || plan.types.has(name) || plan.empties.has(name) || plan.loopMacros.has(name) || inLoopMacro(id)) continue;
		const parent = id.parent;
		if (!parent || /declarator$/.test(parent.type) || parent.type === 'preproc_def' || parent.type === 'goto_statement' || parent.type === 'labeled_statement') continue;
		const use = usageOf(id);
		if (use === 'function') {
			const result = usageOf(parent);
			const kind = result === 'pointer' || result === 'struct' ? 'pointer' : 'value';
			if (plan.functions.get(name) !== 'pointer') plan.functions.set(name, kind);
		} else if (caseValues.has(name) || /^[A-Z][A-Z0-9_]*$/.test(name)) {
			plan.constants.add(name);
		} else {
			const before = plan.externs.get(name);
			const kind = use === 'struct' ? 'struct' : use === 'value' ? 'value' : 'pointer';
			if (!before || before === 'value') plan.externs.set(name, kind);
		}
	}
	for (const name of plan.functions.keys()) {
		plan.constants.delete(name);
		plan.externs.delete(name);
	}
	return plan;
}

function fieldLines(plan: DeclarationPlan, level: number): string {
	const inner = level === 0 ? 'long' : `struct covw_s${level - 1}`;
	return [...plan.fields]
		.filter(([name]) => !plan.dropped.has(name))
		.map(([name, kind]) =>
			kind === 'pointer' ? `struct covw_any *${name};` : kind === 'pointers' ? `struct covw_any **${name};` : kind === 'bytes' ? `char *${name};` : kind === 'struct' ? `${inner} ${name};` : kind === 'function' ? `long (*${name})();` : `long ${name};`
		)
		.join(' ');
}

/** The declarations of `plan`, then `#line 1 "<file>"` and the code unchanged. */
/**
 * `outsidePrefix` (clang-taint): each function the code calls and does not define is renamed,
 * for this program only, to `<prefix><name>` by a function-like macro before its prototype, so
 * a taint configuration can name what comes from outside the program without naming a
 * function another program of the same batch defines itself.
 */
export function renderDeclarations(plan: DeclarationPlan, code: string, file: string, outsidePrefix = ''): string {
	const keep = (name: string) => !plan.dropped.has(name);
	const lines = [`#line 1 "${declarationsFile(file)}"`];
	for (const e of plan.empties) if (keep(e)) lines.push(`#define ${e}`);
	// a loop the analyzers may enter any number of times (covw_more's result is unknown)
	if ([...plan.loopMacros].some(keep)) lines.push('int covw_more(void);');
	for (const m of plan.loopMacros) if (keep(m)) lines.push(`#define ${m}(...) while (covw_more())`);
	lines.push('struct covw_any;');
	// structs by value nest two levels deep; the outermost is the catch-all every stub uses
	lines.push(`struct covw_s0 { long covw_pad; ${fieldLines(plan, 0)} };`);
	lines.push(`struct covw_s1 { long covw_pad; ${fieldLines(plan, 1)} };`);
	lines.push(`struct covw_any { long covw_pad; ${fieldLines(plan, 2)} };`);
	for (const tag of plan.tags) if (keep(tag)) lines.push(`struct ${tag} { long covw_pad; ${fieldLines(plan, 2)} };`);
	for (const [name, kind] of plan.types) {
		if (!keep(name)) continue;
		lines.push(kind === 'value' ? `typedef long ${name};` : kind === 'pointer' ? `typedef struct covw_any *${name};` : `typedef struct covw_any ${name};`);
	}
	const constants = [...plan.constants].filter(keep);
	if (constants.length) lines.push(`enum { ${constants.map((c, k) => (k === 0 ? `${c} = 4097` : c)).join(', ')} };`);
	for (const [name, kind] of plan.externs) if (keep(name)) lines.push(kind === 'pointer' ? `extern struct covw_any *${name};` : kind === 'struct' ? `extern struct covw_any ${name};` : `extern long ${name};`);
	for (const [name, kind] of plan.functions) {
		if (!keep(name)) continue;
		if (outsidePrefix) lines.push(`#define ${name}(...) ${outsidePrefix}${name}(__VA_ARGS__)`);
		lines.push(kind === 'pointer' ? `struct covw_any *${name}();` : `long ${name}();`);
	}
	return `${lines.join('\n')}\n#line 1 "${file}"\n${code}`;
}

/** The name a declarator declares (through pointers, arrays, parentheses, initialisers, parameter lists). */
function declaratorName(node: Node | null): string | null {
	for (let n = node; n; n = n.childForFieldName('declarator')) {
		if (n.type === 'identifier' || n.type === 'type_identifier' || n.type === 'primitive_type') return n.text;
		if (n.type === 'parenthesized_declarator') n = n.namedChildren.find((c) => c && c.type !== 'attribute_specifier') ?? null;
		if (!n) return null;
		if (n.type === 'identifier' || n.type === 'type_identifier' || n.type === 'primitive_type') return n.text;
	}
	return null;
}

const isFunctionDeclarator = (node: Node | null): boolean => {
	for (let n = node; n; n = n.childForFieldName('declarator')) if (n.type === 'function_declarator') return true;
	return false;
};

/**
 * Names the code defines at file level — functions with a body, typedefs, variables (not
 * `extern`), tags with a body, enumerators — that a prelude header (`known`) declares too. The
 * prelude is the judge's, not the code's: such a name (a `char *dup(const char *)` of its own,
 * where unistd.h has `int dup(int)`; its own `uint8_t`) would make valid code fail to compile,
 * so it is renamed in the code (renameClashes). Prototypes are not counted: one compatible with
 * libc keeps the analyzers' knowledge of the function (malloc, free).
 */
export function preludeClashes(tree: Tree, known: ReadonlySet<string> | undefined): string[] {
	if (!known) return [];
	const out = new Set<string>();
	const add = (name: string | null) => {
		// C_WORDS: tree-sitter reads uint8_t, size_t, ... as primitive types, so the prelude's names lack them
		if (name && (known.has(name) || C_WORDS.has(name)) && !C_WORDS_NEVER_RENAMED.has(name)) out.add(name);
	};
	const tagsAndEnumerators = (node: Node) => {
		for (const spec of node.descendantsOfType(['struct_specifier', 'union_specifier', 'enum_specifier'])) {
			if (!spec || !spec.childForFieldName('body')) continue;
			add(spec.childForFieldName('name')?.text ?? null);
			if (spec.type === 'enum_specifier') for (const e of spec.childForFieldName('body')!.namedChildren) if (e?.type === 'enumerator') add(e.childForFieldName('name')?.text ?? null);
		}
	};
	const visit = (node: Node) => {
		for (const child of node.namedChildren) {
			if (!child) continue;
			if (child.type.startsWith('preproc_if') || child.type === 'preproc_else' || child.type === 'preproc_elif' || child.type === 'linkage_specification' || child.type === 'declaration_list') {
				visit(child);
				continue;
			}
			if (child.type === 'function_definition') {
				add(declaratorName(child.childForFieldName('declarator')));
				const type = child.childForFieldName('type');
				if (type) tagsAndEnumerators(type);
			} else if (child.type === 'type_definition') {
				for (const d of child.childrenForFieldName('declarator')) add(declaratorName(d));
				const type = child.childForFieldName('type');
				if (type) tagsAndEnumerators(type);
			} else if (child.type === 'declaration') {
				const extern = child.namedChildren.some((c) => c?.type === 'storage_class_specifier' && c.text === 'extern');
				for (const d of child.childrenForFieldName('declarator')) if (!extern && !isFunctionDeclarator(d)) add(declaratorName(d));
				const type = child.childForFieldName('type');
				if (type) tagsAndEnumerators(type);
			} else if (child.type === 'struct_specifier' || child.type === 'union_specifier' || child.type === 'enum_specifier') {
				tagsAndEnumerators(child);
			}
		}
	};
	visit(tree.rootNode);
	return [...out].sort();
}

/** Never renamed: C's own words and `main`. */
const C_WORDS_NEVER_RENAMED = new Set(['main', 'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern', 'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while']);

/**
 * `text` with the names of preludeClashes renamed in it (`#define dup covw_own_dup` before it,
 * then `#line 1 "<file>"`: every reported line stays a line of the judged code).
 */
export function renameClashes(names: readonly string[], text: string, file: string): string {
	if (names.length === 0) return text;
	const defines = names.map((n) => `#undef ${n}\n#define ${n} covw_own_${n}`).join('\n');
	return /^#line 1 "/.test(text) ? `${defines}\n${text}` : `${defines}\n#line 1 "${file}"\n${text}`;
}
