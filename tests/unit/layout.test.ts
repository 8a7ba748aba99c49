// The layout of src/ as DEVELOPERS.md's table states it (issue 8 item 8): reads the imports of
// every file under src/ — static, `export … from`, dynamic `import()`, in .ts, .js and .svelte
// files, `import type` told apart — and fails on
//   1. an import that goes up the table (a folder importing one listed below it),
//   2. a cycle of value imports between files (type-only imports may cycle: they vanish at run time),
//   3. browser code (src/lib/workbench, src/routes/**/*.svelte, +page.ts, +layout.ts) importing a
//      value that needs Node or the server: `node:` built-ins, Node-only packages, the
//      server's private env, or any src file that itself (through value imports) needs them.
// Where today's code breaks a rule in someone else's area, the break is listed in ALLOWED below
// with the issue it belongs to, so it is visible and cannot grow unnoticed.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '../..');
const src = join(repo, 'src');

/**
 * DEVELOPERS.md's layout table, top to bottom: a folder may import itself and folders above it
 * (the CLI: everything but the browser's workbench).
 */
export const LAYERS = ['core', 'notebook', 'arrow', 'engine', 'node', 'judges', 'runs', 'server', 'workbench', 'routes', 'cli'] as const;
type Layer = (typeof LAYERS)[number];

/**
 * Known breaks in other engineers' areas, each `from -> to` (paths relative to the repo), with
 * the issue that removes it. An entry that no longer occurs fails the test too, so the list
 * only shrinks.
 */
const ALLOWED: Record<'up' | 'cycle' | 'browser', Record<string, string>> = {
	up: {
		// The headless notebook engine (node/) builds the run tables from runs/ so run cells'
		// tables exist in `covw notebook run`. Issue 8 item 4 ('perf'): the run tables become
		// Arrow files under arrow/'s schema, which node/ may read; or the headless run moves below runs/.
		'src/lib/node/headless/run-notebook.ts -> src/lib/runs/index.ts': 'issue 8 item 4'
	},
	cycle: {},
	browser: {}
};

/** npm packages that only run on Node (or hold secrets): never a browser value import. */
const NODE_ONLY_PACKAGES = [/^openai(\/|$)/, /^@duckdb\/node-api/, /^@sveltejs\/kit\/node/, /^@duckdb\/duckdb-wasm\/dist\/duckdb-node/, /^\$env\/(static|dynamic)\/private/, /^\$app\/server/];

interface Import {
	from: string; // repo-relative file
	spec: string; // as written
	target: string | null; // repo-relative src file, or null for a package / built-in
	typeOnly: boolean;
	dynamic: boolean;
}

// ---------- reading imports ----------

/** Source text with comments blanked out (strings kept), so commented-out imports do not count. */
export function withoutComments(text: string): string {
	let out = '';
	let i = 0;
	while (i < text.length) {
		const c = text[i];
		const next = text[i + 1];
		if (c === '/' && next === '/') {
			while (i < text.length && text[i] !== '\n') i++;
		} else if (c === '/' && next === '*') {
			const end = text.indexOf('*/', i + 2);
			const stop = end < 0 ? text.length : end + 2;
			out += text.slice(i, stop).replace(/[^\n]/g, ' ');
			i = stop;
		} else if (c === "'" || c === '"' || c === '`') {
			let j = i + 1;
			while (j < text.length && text[j] !== c) {
				if (text[j] === '\\') j++;
				if (c !== '`' && text[j] === '\n') break;
				j++;
			}
			out += text.slice(i, j + 1);
			i = j + 1;
		} else if (c === '/' && /[=(,:;!&|?{}[\n]\s*$/.test(out.slice(-40)) && next !== ' ') {
			// A regular-expression literal: skip it whole (it may hold quotes or slashes).
			let j = i + 1;
			let inClass = false;
			while (j < text.length && text[j] !== '\n' && (inClass || text[j] !== '/')) {
				if (text[j] === '\\') j++;
				else if (text[j] === '[') inClass = true;
				else if (text[j] === ']') inClass = false;
				j++;
			}
			out += text.slice(i, j + 1);
			i = j + 1;
		} else {
			out += c;
			i++;
		}
	}
	return out;
}

/** The script blocks of a .svelte file (instance and module). */
function svelteScripts(text: string): string {
	return [...text.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]).join('\n;\n');
}

/** `{ type A, type B }` → true; `{ type A, b }` → false. */
function allSpecifiersAreTypes(clause: string): boolean {
	const braces = /^\{([\s\S]*)\}$/.exec(clause.trim());
	if (!braces) return false;
	const names = braces[1].split(',').map((s) => s.trim()).filter(Boolean);
	return names.length > 0 && names.every((n) => n.startsWith('type '));
}

export function readImports(code: string): Array<{ spec: string; typeOnly: boolean; dynamic: boolean }> {
	const found: Array<{ spec: string; typeOnly: boolean; dynamic: boolean }> = [];
	const text = withoutComments(code);
	// import x from '…'; import { a, type B } from '…'; import type … from '…'; export … from '…'
	for (const m of text.matchAll(/(?<![\w$.])(import|export)\s+(type\s+)?([\w$*{][^;'"]*?)\s+from\s*(['"])([^'"]+)\4/g)) {
		const clause = m[3];
		found.push({ spec: m[5], typeOnly: Boolean(m[2]) || allSpecifiersAreTypes(clause), dynamic: false });
	}
	// import '…' (side effects only)
	for (const m of text.matchAll(/(?<![\w$.])import\s*(['"])([^'"]+)\1/g)) found.push({ spec: m[2], typeOnly: false, dynamic: false });
	// import('…'); `typeof import('…')` is a type.
	for (const m of text.matchAll(/(typeof\s+)?(?<![\w$.])import\s*\(\s*(['"`])([^'"`]+)\2\s*[,)]/g)) {
		found.push({ spec: m[3], typeOnly: Boolean(m[1]), dynamic: true });
	}
	return found;
}

function resolveSpec(fromAbs: string, spec: string): string | null {
	let base: string;
	if (spec.startsWith('$lib/')) base = join(src, 'lib', spec.slice(5));
	else if (spec === '$lib') base = join(src, 'lib');
	else if (spec.startsWith('.')) base = resolve(dirname(fromAbs), spec);
	else return null;
	for (const candidate of [base, `${base}.ts`, `${base}.js`, join(base, 'index.ts'), join(base, 'index.js')]) {
		if (existsSync(candidate) && statSync(candidate).isFile()) return relative(repo, candidate);
	}
	return relative(repo, base);
}

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		if (statSync(path).isDirectory()) return sourceFiles(path);
		return /\.(ts|js|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
	});
}

function allImports(): Import[] {
	return sourceFiles(src).flatMap((abs) => {
		const text = readFileSync(abs, 'utf8');
		const code = abs.endsWith('.svelte') ? svelteScripts(text) : text;
		return readImports(code).map((i) => ({ ...i, from: relative(repo, abs), target: resolveSpec(abs, i.spec) }));
	});
}

// ---------- the rules ----------

export function layerOf(file: string): Layer | null {
	const m = /^src\/(?:lib\/([^/]+)|(routes|cli))\//.exec(file);
	const name = m?.[1] ?? m?.[2];
	if (name && (LAYERS as readonly string[]).includes(name)) return name as Layer;
	// src/hooks.server.ts and the app's other root files sit with the routes.
	return /^src\/[^/]+$/.test(file) ? 'routes' : null;
}

export function isBrowserFile(file: string): boolean {
	if (file.startsWith('src/lib/workbench/')) return true;
	if (!file.startsWith('src/routes/')) return false;
	return file.endsWith('.svelte') || /\/\+(page|layout)\.(ts|js)$/.test(file);
}

const key = (i: Pick<Import, 'from' | 'spec' | 'target'>) => `${i.from} -> ${i.target ?? i.spec}`;

export function upwardImports(imports: Import[]): Import[] {
	return imports.filter((i) => {
		if (i.target === null) return false;
		const from = layerOf(i.from);
		const to = layerOf(i.target);
		if (from === null || to === null) return false;
		// The browser may see server modules' types (DEVELOPERS.md); never their values (rule 3).
		if (i.typeOnly && from === 'workbench' && to === 'server') return false;
		// The CLI sits below everything but may not use the browser's code (DEVELOPERS.md).
		if (from === 'cli' && to === 'workbench') return true;
		return LAYERS.indexOf(to) > LAYERS.indexOf(from);
	});
}

/** Cycles among value imports: groups of files each reachable from the others. */
export function valueCycles(imports: Import[]): string[][] {
	const edges = new Map<string, Set<string>>();
	for (const i of imports) {
		// A file importing itself is no cycle: a recursive Svelte component does that by design.
		if (i.typeOnly || i.target === null || !i.target.startsWith('src/') || i.target === i.from) continue;
		if (!edges.has(i.from)) edges.set(i.from, new Set());
		edges.get(i.from)!.add(i.target);
	}
	// A few hundred files: reachability from each one is cheap and obviously right.
	const reach = new Map<string, Set<string>>();
	for (const start of edges.keys()) {
		const seen = new Set<string>();
		const todo = [start];
		while (todo.length > 0) {
			for (const next of edges.get(todo.pop()!) ?? []) {
				if (!seen.has(next)) {
					seen.add(next);
					todo.push(next);
				}
			}
		}
		reach.set(start, seen);
	}
	const cycles: string[][] = [];
	const placed = new Set<string>();
	for (const file of [...edges.keys()].sort()) {
		if (placed.has(file) || !reach.get(file)!.has(file)) continue;
		const group = [...reach.get(file)!].filter((other) => reach.get(other)?.has(file)).sort();
		group.forEach((f) => placed.add(f));
		cycles.push(group);
	}
	return cycles;
}

/** src files that need Node or the server at run time: by folder, or by a value import that does. */
export function nodeBoundFiles(imports: Import[]): Map<string, string> {
	const why = new Map<string, string>();
	for (const i of imports) {
		if (i.typeOnly) continue;
		const layer = layerOf(i.from);
		if (layer === 'node' || layer === 'server') why.set(i.from, `is in src/lib/${layer}`);
		else if (i.spec.startsWith('node:')) why.set(i.from, `imports ${i.spec}`);
		else if (NODE_ONLY_PACKAGES.some((p) => p.test(i.spec))) why.set(i.from, `imports ${i.spec}`);
	}
	for (const i of imports) if (i.target && /^src\/lib\/(node|server)\//.test(i.target)) why.set(i.target, `is in ${i.target.split('/').slice(0, 3).join('/')}`);
	// Spread along value imports until nothing changes.
	for (let changed = true; changed; ) {
		changed = false;
		for (const i of imports) {
			if (i.typeOnly || i.target === null || why.has(i.from) || !why.has(i.target)) continue;
			why.set(i.from, `imports ${i.target}, which ${why.get(i.target)}`);
			changed = true;
		}
	}
	return why;
}

export function browserViolations(imports: Import[]): Array<{ import: Import; why: string }> {
	const bound = nodeBoundFiles(imports);
	const out: Array<{ import: Import; why: string }> = [];
	for (const i of imports) {
		if (i.typeOnly || !isBrowserFile(i.from)) continue;
		if (i.spec.startsWith('node:') || NODE_ONLY_PACKAGES.some((p) => p.test(i.spec))) out.push({ import: i, why: `${i.spec} runs on Node only` });
		else if (i.target && bound.has(i.target)) out.push({ import: i, why: `${i.target} ${bound.get(i.target)}` });
	}
	return out;
}

/** The breaks found, minus the allowed ones; and allowed entries that no longer occur. */
function judge(kind: keyof typeof ALLOWED, found: string[]) {
	const allowed = ALLOWED[kind];
	return { unexpected: found.filter((f) => !(f in allowed)), stale: Object.keys(allowed).filter((a) => !found.includes(a)) };
}

// ---------- the tests ----------

const imports = allImports();

describe('the import reader', () => {
	it('tells type-only imports from value imports, and finds dynamic ones', () => {
		const read = readImports(
			[
				"import type { A } from './a.ts';",
				"import { type B, type C } from './b.ts';",
				"import { type D, e } from './d.ts';",
				"export { f } from './f.ts';",
				"export type { G } from './g.ts';",
				"import './side.ts';",
				"// import { gone } from './commented.ts';",
				"const h = await import('./h.ts');",
				"type I = typeof import('./i.ts');",
				"const s = 'import x from \"./in-a-string.ts\"';"
			].join('\n')
		);
		expect(read).toEqual([
			{ spec: './a.ts', typeOnly: true, dynamic: false },
			{ spec: './b.ts', typeOnly: true, dynamic: false },
			{ spec: './d.ts', typeOnly: false, dynamic: false },
			{ spec: './f.ts', typeOnly: false, dynamic: false },
			{ spec: './g.ts', typeOnly: true, dynamic: false },
			{ spec: './in-a-string.ts', typeOnly: false, dynamic: false },
			{ spec: './side.ts', typeOnly: false, dynamic: false },
			{ spec: './h.ts', typeOnly: false, dynamic: true },
			{ spec: './i.ts', typeOnly: true, dynamic: true }
		]);
	});

	it('finds the imports of every layer (the reader is not blind)', () => {
		const layers = new Set(imports.map((i) => layerOf(i.from)));
		for (const layer of LAYERS) expect(layers, layer).toContain(layer);
		expect(imports.some((i) => i.from.endsWith('.svelte'))).toBe(true);
		expect(imports.some((i) => i.dynamic)).toBe(true);
		expect(imports.some((i) => i.typeOnly)).toBe(true);
		// Every relative or $lib import names a file that exists.
		const missing = imports.filter((i) => i.target !== null && !existsSync(join(repo, i.target))).map(key);
		expect(missing).toEqual([]);
	});

	it('catches what each rule is for (planted cases)', () => {
		const planted = (from: string, target: string, typeOnly = false): Import => ({ from, spec: target, target, typeOnly, dynamic: false });
		expect(upwardImports([planted('src/lib/core/x.ts', 'src/lib/engine/y.ts')])).toHaveLength(1);
		expect(upwardImports([planted('src/lib/runs/x.ts', 'src/lib/server/y.ts', true)])).toHaveLength(1);
		expect(upwardImports([planted('src/lib/workbench/x.ts', 'src/lib/server/y.ts', true)])).toHaveLength(0);
		expect(upwardImports([planted('src/lib/engine/x.ts', 'src/lib/core/y.ts')])).toHaveLength(0);
		expect(upwardImports([planted('src/cli/x.ts', 'src/lib/workbench/y.ts')])).toHaveLength(1);
		const ring = [planted('src/lib/core/a.ts', 'src/lib/core/b.ts'), planted('src/lib/core/b.ts', 'src/lib/core/a.ts')];
		expect(valueCycles(ring)).toEqual([['src/lib/core/a.ts', 'src/lib/core/b.ts']]);
		expect(valueCycles([ring[0], { ...ring[1], typeOnly: true }])).toEqual([]);
		const chain = [
			planted('src/lib/workbench/view.ts', 'src/lib/engine/cache.ts'),
			{ from: 'src/lib/engine/cache.ts', spec: 'node:fs', target: null, typeOnly: false, dynamic: false },
			planted('src/routes/+page.svelte', 'src/lib/server/guards.ts', true)
		];
		expect(browserViolations(chain).map((v) => v.why)).toEqual(['src/lib/engine/cache.ts imports node:fs']);
	});
});

describe('the layout of src/', () => {
	it('has no import that goes up the table', () => {
		const { unexpected, stale } = judge('up', upwardImports(imports).map(key));
		expect(unexpected, `imports of a folder listed below the importer in DEVELOPERS.md's table (${LAYERS.join(' → ')})`).toEqual([]);
		expect(stale, 'allowed breaks that are gone: remove them from ALLOWED.up').toEqual([]);
	});

	it('has no cycle of value imports', () => {
		const { unexpected, stale } = judge('cycle', valueCycles(imports).map((c) => c.join(' <-> ')));
		expect(unexpected).toEqual([]);
		expect(stale, 'allowed cycles that are gone: remove them from ALLOWED.cycle').toEqual([]);
	});

	it('has no browser code importing a Node or server value', () => {
		const found = browserViolations(imports);
		const { unexpected, stale } = judge('browser', found.map((v) => key(v.import)));
		const explained = found.filter((v) => unexpected.includes(key(v.import))).map((v) => `${key(v.import)}: ${v.why}`);
		expect(explained).toEqual([]);
		expect(stale, 'allowed browser imports that are gone: remove them from ALLOWED.browser').toEqual([]);
	});
});
