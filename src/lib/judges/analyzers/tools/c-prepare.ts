// Lone C functions with the declarations they lack (c-declarations.ts), for the C path
// analyzers: one plan per program, the file text it gives, and a repair from the compiler's
// own errors on that text (c-repair.ts). The analyzer run itself is the check: judge.ts runs
// the tool, and only the programs it could not compile get corrected declarations and run
// again (at most REPAIR_ROUNDS times), so code that compiles at once costs one run.
// Whole programs (with their own #include lines) are written as given.
// `taint`: every function's parameters are handed to a taint source first (c-taint.ts; the
// clang-taint judge), on the line of the body's `{`.

import { loadParsers } from '../../rules/parse.ts';
import { which } from '../locate-tool.ts';
import { isWholeProgram, planDeclarations, preludeClashes, renameClashes, textForParsing, renderDeclarations, type DeclarationPlan } from './c-declarations.ts';
import { preludeNames } from './c-prelude.ts';
import { repairPlan, type CompilerError } from './c-repair.ts';
import { C_PRELUDE_HEADERS, C_TYPE_MACROS } from './gcc-analyzer.ts';
import { taintParameters } from './c-taint.ts';
import { toSyn } from '../../rules/syntax.ts';

export const REPAIR_ROUNDS = 3;

/** The compiler flags every C tool here reads the code with (prelude headers and type macros). */
export const C_SYNTAX_FLAGS = ['-std=gnu11', ...C_PRELUDE_HEADERS.flatMap((h) => ['-include', h]), ...C_TYPE_MACROS.map((m) => `-D${m}`)];

export interface CFiles {
	/** The text to write for program k. */
	text(k: number): string;
	/** Corrects program k's declarations from compiler errors; false when nothing could change. */
	repair(k: number, errors: readonly CompilerError[]): boolean;
	/** Programs that got declarations (lone functions). */
	declared: number;
	/** The functions the programs call and nothing here defines (declared for them), now. */
	unknownFunctions(): string[];
}

/** Plans as first read (before any repair), by prelude and code: gcc and clang (and a resumed
 * run) judging the same programs in one process read each function once. */
const firstPlans = new Map<string, DeclarationPlan>();
const FIRST_PLANS_KEPT = 4000;

/** The name an outside function gets in a program judged with taint (clang-taint). */
export const OUTSIDE_PREFIX = 'covw_outside_';

export async function planCFiles(codes: readonly string[], files: readonly string[], searchPath: string, options: { taint?: boolean } = {}): Promise<CFiles> {
	const gcc = which('gcc', searchPath);
	const prelude = gcc ? await preludeNames(gcc) : null;
	const parsers = await loadParsers();
	const plans: (DeclarationPlan | null)[] = codes.map((code) => {
		if (isWholeProgram(code)) return null;
		const key = `${gcc ?? ''}\0${code}`;
		const known = firstPlans.get(key);
		// a copy: the repairs change the plan of this batch only
		if (known) return structuredClone(known);
		const tree = parsers.parse(textForParsing(code), 'c');
		try {
			const plan = planDeclarations(tree, code, prelude?.names, prelude?.macros);
			if (firstPlans.size >= FIRST_PLANS_KEPT) firstPlans.delete(firstPlans.keys().next().value as string);
			firstPlans.set(key, structuredClone(plan));
			return plan;
		} finally {
			tree.delete();
		}
	});
	// names the code defines and a prelude header declares otherwise: renamed in the code
	const clashes: string[][] = codes.map((code) => {
		if (!prelude) return [];
		const tree = parsers.parse(textForParsing(code), 'c');
		try {
			return preludeClashes(tree, prelude.names);
		} finally {
			tree.delete();
		}
	});
	const written = options.taint
		? codes.map((code) => {
				const parsed = textForParsing(code);
				const tree = parsers.parse(parsed, 'c');
				try {
					return taintParameters(code, parsed, toSyn(tree));
				} finally {
					tree.delete();
				}
			})
		: codes;
	// with taint, a program's outside functions get a name of their own (renderDeclarations), so the
	// taint configuration of a batch never names a function another program defines itself
	const prefix = options.taint ? OUTSIDE_PREFIX : '';
	return {
		text: (k) => renameClashes(clashes[k], plans[k] ? renderDeclarations(plans[k]!, written[k], files[k], prefix) : written[k], files[k]),
		repair: (k, errors) => {
			const plan = plans[k];
			if (!plan) return false;
			const declarations = renderDeclarations(plan, '', files[k], prefix).split('\n').slice(1);
			// an error names the outside function by its own name again (the macro expanded it)
			const named = prefix ? errors.map((e) => ({ ...e, message: e.message.replaceAll(prefix, '') })) : errors;
			return repairPlan(plan, codes[k], named, declarations);
		},
		declared: plans.filter(Boolean).length,
		unknownFunctions: () => [...new Set(plans.flatMap((plan) => (plan ? [...plan.functions.keys()].filter((name) => !plan.dropped.has(name)).map((name) => prefix + name) : [])))].sort()
	};
}
