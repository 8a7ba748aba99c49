// Writes lone C functions into the temporary folder with the declarations they lack
// (c-declarations.ts), then lets the compiler check them: `gcc -fsyntax-only` over all files at
// once (a syntax check: nothing is compiled to code, nothing runs), its errors correct each
// file's declarations (c-repair.ts), and the files that changed are checked again, at most
// REPAIR_ROUNDS times. Whole programs (with their own #include lines) are written as given.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadParsers } from '../../rules/parse.ts';
import { which } from '../locate-tool.ts';
import { runProcess } from '../run-process.ts';
import { isWholeProgram, planDeclarations, renderDeclarations, type DeclarationPlan } from './c-declarations.ts';
import { preludeNames } from './c-prelude.ts';
import { compilerErrors, repairPlan } from './c-repair.ts';
import { fileKey } from './file-key.ts';
import { C_PRELUDE_HEADERS, C_TYPE_MACROS } from './gcc-analyzer.ts';

export const REPAIR_ROUNDS = 3;

/** The compiler flags every C tool here reads the code with (prelude headers and type macros). */
export const C_SYNTAX_FLAGS = ['-std=gnu11', ...C_PRELUDE_HEADERS.flatMap((h) => ['-include', h]), ...C_TYPE_MACROS.map((m) => `-D${m}`)];

export interface CPrepareReport {
	/** Files that were lone functions (got declarations). */
	declared: number;
	/** Of those, how many the syntax check accepted before / after the repairs (null: no gcc). */
	compiledFirst: number | null;
	compiledLast: number | null;
}

export async function writeCFiles(folder: string, codes: readonly string[], files: readonly string[], searchPath: string, deadline: number): Promise<CPrepareReport> {
	const gcc = which('gcc', searchPath);
	const prelude = gcc ? await preludeNames(gcc) : null;
	const parsers = await loadParsers();
	const plans: (DeclarationPlan | null)[] = codes.map((code) => {
		if (isWholeProgram(code)) return null;
		// a function whose return type was cut off is read as returning int (gcc does the same)
		const tree = parsers.parse(/^\s*[A-Za-z_]\w*\s*\(/.test(code) ? `int ${code}` : code, 'c');
		try {
			return planDeclarations(tree, code, prelude?.names, prelude?.macros);
		} finally {
			tree.delete();
		}
	});
	const write = (k: number) => writeFile(join(folder, files[k]), plans[k] ? renderDeclarations(plans[k]!, codes[k], files[k]) : codes[k], 'utf8');
	await Promise.all(codes.map((_, k) => write(k)));
	const report: CPrepareReport = { declared: plans.filter(Boolean).length, compiledFirst: null, compiledLast: null };
	if (!gcc || report.declared === 0) return report;
	let pending = plans.flatMap((p, k) => (p ? [k] : []));
	let failing = new Set<number>();
	for (let round = 0; round <= REPAIR_ROUNDS && pending.length > 0; round++) {
		const left = deadline - Date.now();
		if (left <= 0) break;
		const result = await runProcess(gcc, ['-fsyntax-only', '-w', ...C_SYNTAX_FLAGS, ...pending.map((k) => files[k])], { cwd: folder, timeoutMs: left, env: { PATH: searchPath, LC_ALL: 'C', HOME: folder } });
		if (result.status !== 'ok') break;
		const next: number[] = [];
		for (const k of pending) {
			const errors = compilerErrors(result.stderr, fileKey, files[k]);
			if (errors.length === 0) {
				failing.delete(k);
				continue;
			}
			failing.add(k);
			if (round < REPAIR_ROUNDS && repairPlan(plans[k]!, codes[k], errors)) next.push(k);
		}
		if (round === 0) report.compiledFirst = report.declared - failing.size;
		await Promise.all(next.map(write));
		pending = next;
	}
	report.compiledLast = report.compiledFirst === null ? null : report.declared - failing.size;
	return report;
}
