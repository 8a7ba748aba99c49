// Loads tree-sitter (web-tree-sitter) and the C and Python grammars, all as WASM files that
// ship inside their npm packages: nothing is fetched at run time. The same code runs under
// Node (vitest, the SvelteKit server) and Deno (the CLI, which needs only --allow-read).
// Start-up is async and happens once; parsing afterwards is synchronous, and cancels once past
// the rule judge's time limit.

import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';
import { pastDeadline, timeLimitError } from '../../core/judges/rules/deadline.ts';

export type ParseLanguage = 'c' | 'python';
export type { Node, Tree };

const require = createRequire(import.meta.url);

const GRAMMARS: Record<ParseLanguage, string> = {
	c: 'tree-sitter-c/tree-sitter-c.wasm',
	python: 'tree-sitter-python/tree-sitter-python.wasm'
};

export interface Parsers {
	parse(code: string, language: ParseLanguage): Tree;
}

let loading: Promise<Parsers> | null = null;

function wasmBytes(specifier: string): Uint8Array {
	let path: string;
	try {
		path = require.resolve(specifier);
	} catch (error) {
		throw new Error(`tree-sitter: cannot find ${specifier} (npm install): ${(error as Error).message}`);
	}
	return new Uint8Array(readFileSync(path));
}

async function load(): Promise<Parsers> {
	await Parser.init({ wasmBinary: wasmBytes('web-tree-sitter/tree-sitter.wasm') } as object);
	const parsers = {} as Record<ParseLanguage, Parser>;
	for (const language of Object.keys(GRAMMARS) as ParseLanguage[]) {
		const parser = new Parser();
		parser.setLanguage(await Language.load(wasmBytes(GRAMMARS[language])));
		parsers[language] = parser;
	}
	return {
		parse(code, language) {
			const parser = parsers[language];
			// past the rule judge's time limit (deadline.ts) the parser cancels (it cannot throw from inside WASM)
			const tree = parser.parse(code, null, { progressCallback: () => pastDeadline() });
			if (!tree) {
				parser.reset(); // a cancelled parse would otherwise resume with the next program
				if (pastDeadline()) throw timeLimitError();
				throw new Error(`tree-sitter: the ${language} parser returned no tree`);
			}
			return tree;
		}
	};
}

/** The parsers, loaded on first call (later calls share the same promise). */
export function loadParsers(): Promise<Parsers> {
	if (!loading) {
		loading = load();
		loading.catch(() => (loading = null));
	}
	return loading;
}
