// A dynamic import Deno does not read ahead. `import('./x.ts')` with a literal makes Deno load
// and analyse x.ts and everything it imports (their literal dynamic imports too) before the
// importing program starts, whether or not that import ever runs. A specifier passed in a
// variable is resolved and loaded only when the import runs. For the CLI only: a bundler
// (the web server's build) cannot follow such an import, so shared library code keeps literals.
// Types stay checked: the caller names the module's type (`lazyModule<typeof import('./x.ts')>`),
// which Deno, running without a type check, does not load.

/** The module at `specifier`, resolved against `base` (the caller's import.meta.url). */
export function lazyModule<T>(base: string, specifier: string): Promise<T> {
	const url: string = new URL(specifier, base).href;
	return import(url) as Promise<T>;
}
