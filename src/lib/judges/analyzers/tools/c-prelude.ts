// The names the prelude headers (gcc-analyzer.ts: C_PRELUDE_HEADERS and C_TYPE_MACROS) already
// declare, so that the declarations written before a lone C function never repeat them: the
// preprocessed prelude (`gcc -E -dD`, run once per process) is read with tree-sitter; every
// identifier and type name in it is known, and the macros separately (a field may not be
// named like a macro). Without gcc, null: only C's own words are known.

import { loadParsers, type Node } from '../../rules/parse.ts';
import { runProcess } from '../run-process.ts';
import { C_PRELUDE_HEADERS, C_TYPE_MACROS } from './gcc-analyzer.ts';
import { tmpdir } from 'node:os';

export interface PreludeNames {
	names: Set<string>;
	macros: Set<string>;
}

let cached: Promise<PreludeNames | null> | null = null;

export function preludeNames(gcc: string): Promise<PreludeNames | null> {
	if (!cached) cached = readPrelude(gcc);
	return cached;
}

async function readPrelude(gcc: string): Promise<PreludeNames | null> {
	const result = await runProcess(gcc, ['-E', '-dD', '-std=gnu11', '-x', 'c', ...C_PRELUDE_HEADERS.flatMap((h) => ['-include', h]), ...C_TYPE_MACROS.map((m) => `-D${m}`), '/dev/null'], {
		cwd: tmpdir(),
		timeoutMs: 30_000,
		env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' }
	});
	if (result.status !== 'ok' || result.exitCode !== 0) return null;
	const names = new Set<string>();
	const macros = new Set<string>();
	for (const m of result.stdout.matchAll(/^#\s*define\s+(\w+)/gm)) macros.add(m[1]);
	const parsers = await loadParsers();
	const tree = parsers.parse(result.stdout, 'c');
	const visit = (node: Node) => {
		for (const n of node.descendantsOfType(['identifier', 'type_identifier'])) if (n) names.add(n.text);
	};
	visit(tree.rootNode);
	tree.delete();
	for (const m of C_TYPE_MACROS) macros.add(m.split('=')[0]);
	for (const m of macros) names.add(m);
	return { names, macros };
}
