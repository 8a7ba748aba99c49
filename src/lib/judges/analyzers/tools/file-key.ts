// Tools echo the file names we gave them, sometimes with a "./" or a folder in front.

import type { AnalyzerFinding, ParsedOutput } from '../types.ts';

/** 'item-3.py', './item-3.py', '/tmp/x/item-3.py' → 'item-3.py'; the declarations written
 * before a lone C function ('covw-decls-item-3.c.h', c-declarations.ts) → 'item-3.c'. */
export function fileKey(name: string): string {
	const slash = name.lastIndexOf('/');
	const base = slash >= 0 ? name.slice(slash + 1) : name;
	const decls = /^covw-decls-(.+)\.h$/.exec(base);
	return decls ? decls[1] : base;
}

/** One empty findings list per file we gave the tool. */
export function emptyParsed(files: readonly string[]): ParsedOutput {
	return {
		findings: new Map<string, AnalyzerFinding[]>(files.map((f) => [fileKey(f), []])),
		fileErrors: new Map<string, string>()
	};
}
