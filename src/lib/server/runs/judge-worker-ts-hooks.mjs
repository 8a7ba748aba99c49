// Module hooks for the judge worker under vite dev and vitest (judge-worker-dev.mjs): a .ts file
// is loaded as an ES module with its types stripped (typescript's transpileModule; a type-only
// import is dropped). Everything else loads as Node loads it.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const options = { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, sourceMap: false, inlineSourceMap: true, inlineSources: false };

export async function load(url, context, nextLoad) {
	if (!url.startsWith('file:') || !url.endsWith('.ts')) return nextLoad(url, context);
	const path = fileURLToPath(url);
	const out = ts.transpileModule(await readFile(path, 'utf8'), { compilerOptions: options, fileName: path });
	return { format: 'module', source: out.outputText, shortCircuit: true };
}
