// What `covw run` and `covw judge` share: flag parsing, and loading the engine config, the
// items table, the prompt templates, the cache and the runs folder from the command line and
// the environment (COVW_RUNS, COVW_CACHE, COVW_DATA as in src/lib/node/paths.ts).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import process from 'node:process';
import type { Item } from '../../lib/core/items/item.ts';
import { ConfigError, loadEngineConfig, type EngineConfig } from '../../lib/engine/config.ts';
import { ResponseCache } from '../../lib/engine/response-cache.ts';
import { DEFAULT_TEMPLATE_DIR, loadTemplates, type LoadedTemplates } from '../../lib/node/coveval/templates.ts';
import { projectFolders } from '../../lib/node/paths.ts';
import { CliError, type CliContext } from '../command.ts';

export type FlagKind = 'string' | 'list' | 'bool';

export interface ParsedFlags {
	positional: string[];
	strings: Record<string, string>;
	lists: Record<string, string[]>;
	bools: Set<string>;
}

/** `--name value`, `--name=value`; list flags repeat or take commas (`--cwe CWE-79,CWE-89`). */
export function parseFlags(command: string, args: string[], spec: Record<string, FlagKind>): ParsedFlags {
	const out: ParsedFlags = { positional: [], strings: {}, lists: {}, bools: new Set() };
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		if (!arg.startsWith('--')) {
			out.positional.push(arg);
			continue;
		}
		const eq = arg.indexOf('=');
		const name = arg.slice(2, eq < 0 ? undefined : eq);
		const kind = spec[name];
		if (!kind) throw new CliError(`${command}: unknown option --${name}`);
		if (kind === 'bool') {
			if (eq >= 0) throw new CliError(`${command}: --${name} takes no value`);
			out.bools.add(name);
			continue;
		}
		const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
		if (value === undefined || value === '' || (eq < 0 && value.startsWith('--'))) throw new CliError(`${command}: --${name} needs a value`);
		if (kind === 'string') out.strings[name] = value;
		else out.lists[name] = [...(out.lists[name] ?? []), ...value.split(',').map((v) => v.trim()).filter(Boolean)];
	}
	return out;
}

export function intFlag(command: string, flags: ParsedFlags, name: string, min: number): number | undefined {
	const raw = flags.strings[name];
	if (raw === undefined) return undefined;
	const n = Number(raw);
	if (!Number.isInteger(n) || n < min) throw new CliError(`${command}: --${name} must be an integer ≥ ${min}, got "${raw}"`);
	return n;
}

/** The folders a run command uses: the project's folder rules (src/lib/node/paths.ts), read from ctx. */
export function runFolders(ctx: CliContext) {
	const folders = projectFolders((name) => ctx.env(name), ctx.root);
	return { runsDir: folders.runs, cacheDir: folders.cache, dataDir: folders.data, templateDir: resolve(folders.root, DEFAULT_TEMPLATE_DIR) };
}

export function loadConfig(command: string, ctx: CliContext, flags: ParsedFlags): EngineConfig {
	// Any variable an endpoint's apiKeyEnv names may be needed, so the env is looked up lazily.
	const env = new Proxy({} as Record<string, string | undefined>, { get: (_t, key) => (typeof key === 'string' ? ctx.env(key) : undefined) });
	try {
		return loadEngineConfig({ path: flags.strings.config === undefined ? undefined : resolve(ctx.cwd, flags.strings.config), cwd: ctx.cwd, env });
	} catch (e) {
		if (e instanceof ConfigError) throw new CliError(`${command}: ${e.message}`);
		throw e;
	}
}

export async function loadItems(command: string, ctx: CliContext, flags: ParsedFlags): Promise<{ items: Item[]; path: string }> {
	const evolved = flags.strings.evolved;
	if (evolved !== undefined && flags.strings['items-file'] !== undefined) throw new CliError(`${command}: give --evolved or --items-file, not both`);
	const path =
		evolved !== undefined
			? await evolvedItemsPath(command, runFolders(ctx).dataDir, evolved)
			: flags.strings['items-file'] === undefined ? resolve(runFolders(ctx).dataDir, 'coveval/items.arrow') : resolve(ctx.cwd, flags.strings['items-file']);
	if (!existsSync(path)) {
		throw new CliError(`${command}: no items table at ${path}; import the benchmark first (covw data import <path>) or give --items-file`);
	}
	try {
		// Loaded here, not at start-up: Arrow is only needed by the commands that read items.
		const { readItemsArrow } = await import('../../lib/node/coveval/items-arrow.ts');
		return { items: await readItemsArrow(path), path };
	} catch (e) {
		throw new CliError(`${command}: ${path}: cannot read the items table (${(e as Error).message})`);
	}
}

/** `--evolved <name>`: the items table of an evolved set (covw evolve --name <name>). */
async function evolvedItemsPath(command: string, dataDir: string, name: string): Promise<string> {
	const { evolvedSetFiles } = await import('../../lib/runs/evolve/evolved-set.ts');
	let file: string;
	try {
		file = evolvedSetFiles(dataDir, name).arrow;
	} catch (e) {
		throw new CliError(`${command}: --evolved: ${(e as Error).message}`);
	}
	if (!existsSync(file)) throw new CliError(`${command}: no evolved set "${name}" (no ${file}); covw evolve --name ${name} writes it`);
	return file;
}

/** `--templates <dir>` over our own defaults (a template missing there comes from the defaults). */
export async function loadTemplateSet(command: string, ctx: CliContext, flags: ParsedFlags): Promise<LoadedTemplates> {
	const defaults = runFolders(ctx).templateDir;
	const dir = flags.strings.templates === undefined ? defaults : resolve(ctx.cwd, flags.strings.templates);
	try {
		return await loadTemplates(dir, dir === defaults ? undefined : defaults);
	} catch (e) {
		throw new CliError(`${command}: ${(e as Error).message}`);
	}
}

export function openCache(ctx: CliContext, flags: ParsedFlags): ResponseCache | null {
	return flags.bools.has('no-cache') ? null : new ResponseCache(runFolders(ctx).cacheDir);
}

/** Ctrl-C cancels the run cleanly (in-flight requests leave no row; the same command resumes). */
export function cancelOnInterrupt(ctx: CliContext): { signal: AbortSignal; dispose(): void } {
	const controller = new AbortController();
	const onSigint = () => {
		ctx.stderr('\ncancelling… (run the same command again to resume)\n');
		controller.abort();
	};
	process.once('SIGINT', onSigint);
	return { signal: controller.signal, dispose: () => process.off('SIGINT', onSigint) };
}
