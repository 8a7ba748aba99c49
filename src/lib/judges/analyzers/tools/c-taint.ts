// What a lone C function receives, marked attacker-controlled for the Clang Static Analyzer's
// taint checkers (tools/clang-taint.ts). A function cut out of its project is analysed with its
// parameters as unconstrained symbols, and clang reports an out-of-bounds index only when the
// index is TAINTED (alpha.security.ArrayBoundV2: "index is tainted"); so every parameter is
// handed to a taint source right after the body's `{`, on that same line (line numbers stay
// those of the code):
//     int f(struct pkt *p, int i) { extern void covw_taint(void *); covw_taint(&p); covw_taint(&i);
// taintConfig declares covw_taint a source of what its argument points at: the parameter's
// value is tainted, and so is everything read through a tainted pointer (p->len, p->data[k]);
// so are the results of the functions it calls that are defined elsewhere in the project.
// A path with a bound check on the index (what a fix usually adds) constrains it and the
// checker stays silent there. The code is only analysed, never built or run.

import type { Syn } from '../../rules/syntax.ts';
import { field } from '../../rules/syntax.ts';

/** The taint source every parameter is handed to (declared at block scope in the function). */
export const TAINT_SOURCE = 'covw_taint';
/** The taint configuration's file name (written in the analyzer's temporary folder). */
export const TAINT_CONFIG_FILE = 'covw-taint.yaml';
/** clang 14's GenericTaintChecker configuration: covw_taint(&x) taints x (DstArgs 0 = what
 * argument 0 points at); and each of `calls` (functions the code calls that are defined
 * elsewhere in its project: what they return and what they write through a pointer argument
 * comes from outside the function, like its parameters) is a source of its result and of what
 * every pointer argument points at (VariadicType Dst from argument 0). */
export function taintConfig(calls: readonly string[] = []): string {
	const entries = [`  - Name: ${TAINT_SOURCE}\n    DstArgs: [0]\n`];
	for (const name of calls) if (/^[A-Za-z_]\w*$/.test(name) && name !== TAINT_SOURCE) entries.push(`  - Name: ${name}\n    DstArgs: [-1]\n    VariadicType: Dst\n    VariadicIndex: 0\n`);
	return `Propagations:\n${entries.join('')}`;
}

/** The parameter's name: the identifier at the end of its declarator chain (`*p`, `buf[]`,
 * `(*cb)(int)`), or null (an abstract `void`, `...`). */
export function declaredName(node: Syn | undefined, code: string): string | null {
	for (let n = node; n; ) {
		if (n.type === 'identifier') return code.slice(n.start, n.end);
		n = field(n, 'declarator') ?? n.children.find((c) => c.named && /declarator$/.test(c.type));
	}
	return null;
}

/** The function_declarator of a definition's declarator (`char *f(...)` wraps it in a pointer_declarator). */
function functionDeclarator(node: Syn | undefined): Syn | undefined {
	for (let n = node; n; n = field(n, 'declarator')) if (n.type === 'function_declarator') return n;
	return undefined;
}

/** One insertion per function definition: the position in `code` right after its body's `{`,
 * and the statements that taint its parameters. `root` is the tree of `parsed`, the text
 * tree-sitter read (textForParsing: the code, maybe with a return type put in front). */
export function taintInsertions(root: Syn, parsed: string, code: string): { at: number; text: string }[] {
	const offset = parsed.length - code.length;
	const out: { at: number; text: string }[] = [];
	const visit = (n: Syn) => {
		if (n.type === 'function_definition') {
			const body = field(n, 'body');
			const params = field(functionDeclarator(field(n, 'declarator')) ?? n, 'parameters');
			const names = params ? params.children.filter((c) => c.type === 'parameter_declaration').map((c) => declaredName(field(c, 'declarator'), parsed)) : [];
			const wanted = [...new Set(names.filter((x): x is string => x !== null))];
			if (body && body.type === 'compound_statement' && wanted.length > 0) {
				out.push({ at: body.start + 1 - offset, text: ` extern void ${TAINT_SOURCE}(void *);${wanted.map((x) => ` ${TAINT_SOURCE}(&${x});`).join('')}` });
			}
			return; // no nested function definitions in C
		}
		for (const c of n.children) visit(c);
	};
	visit(root);
	return out.filter((i) => i.at >= 1 && code[i.at - 1] === '{');
}

/** `code` with its functions' parameters tainted (taintInsertions), lines unchanged. */
export function taintParameters(code: string, parsed: string, root: Syn): string {
	let out = code;
	for (const i of taintInsertions(root, parsed, code).sort((a, b) => b.at - a.at)) out = out.slice(0, i.at) + i.text + out.slice(i.at);
	return out;
}
