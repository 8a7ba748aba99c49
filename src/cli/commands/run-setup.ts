// What `covw run` and `covw judge` share: flag parsing, and loading the engine config, the
// items table, the prompt templates, the cache and the runs folder from the command line and
// the environment (COVW_RUNS, COVW_CACHE, COVW_DATA as in src/lib/node/paths.ts).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import process from 'node:process';
import type { Item } from '../../lib/core/items/item.ts';
import { ConfigError, loadEngineConfig, type EngineConfig } from '../../lib/engine/config.ts';
import { ResponseCache } from '../../lib/engine/response-cache.ts';
import { loadTemplates, type LoadedTemplates } from '../../lib/node/coveval/templates.ts';
import { CliError, type CliContext } from '../command.ts';
import { lazyModule } from '../lazy-module.ts';

export { intFlag, parseFlags, runFolders, type FlagKind, type ParsedFlags } from '../flags.ts';
import { runFolders, type ParsedFlags } from '../flags.ts';

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

/** The items table the flags name; `only.task` decodes just that task's items (a run needs no others). */
export async function loadItems(command: string, ctx: CliContext, flags: ParsedFlags, only: { task?: Item['task'] } = {}): Promise<{ items: Item[]; path: string }> {
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
		// Loaded here, not at start-up: only the commands that read items need it (and apache-arrow
		// only for a table the small Utf8 reader does not read); through lazyModule, so Deno does
		// not read it ahead (../lazy-module.ts).
		const { readItemsFile } = await lazyModule<typeof import('../../lib/node/coveval/items-read.ts')>(import.meta.url, '../../lib/node/coveval/items-read.ts');
		return { items: await readItemsFile(path, only), path };
	} catch (e) {
		throw new CliError(`${command}: ${path}: cannot read the items table (${(e as Error).message})`);
	}
}

/** `--evolved <name>`: the items table of an evolved set (covw evolve --name <name>). */
async function evolvedItemsPath(command: string, dataDir: string, name: string): Promise<string> {
	// Through lazyModule: a run without --evolved must not make Deno read the Vul-Evol modules.
	const { evolvedSetFiles } = await lazyModule<typeof import('../../lib/runs/evolve/evolved-set.ts')>(import.meta.url, '../../lib/runs/evolve/evolved-set.ts');
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

/** How often a run asks whether the launcher that started it is still there. */
const LAUNCHER_CHECK_MS = 1000;

/**
 * Ctrl-C or a SIGTERM (a `timeout`, a job scheduler) cancels the run cleanly: in-flight requests
 * leave no row, the manifest says cancelled, the same command resumes. So does the end of the
 * launcher (bin/covw.js, which names itself in COVW_LAUNCHER_PID): a `kill -9` of `covw` cannot be
 * forwarded, and Deno would otherwise go on alone, unseen, sending (paid) requests. (A kill -9 of
 * Deno itself cannot be caught: the runs list then calls the run interrupted, from its lock.
 * The sh launcher, bin/covw, execs Deno and names no launcher: `covw` is then Deno itself.)
 */
export function cancelOnInterrupt(ctx: CliContext): { signal: AbortSignal; dispose(): void } {
	const controller = new AbortController();
	const cancel = (why: string) => {
		if (controller.signal.aborted) return;
		ctx.stderr(`\n${why}cancelling… (run the same command again to resume)\n`);
		controller.abort();
	};
	// Listening (not once): the launcher forwards a signal the terminal also sent to the group,
	// and a second one must not fall back to the default (exit at once, manifest left 'running').
	const onSignal = () => cancel('');
	process.on('SIGINT', onSignal);
	process.on('SIGTERM', onSignal);
	const launcher = Number(ctx.env('COVW_LAUNCHER_PID'));
	const watch = Number.isInteger(launcher) && launcher > 0 ? setInterval(() => process.ppid !== launcher && cancel('the covw launcher is gone: '), LAUNCHER_CHECK_MS) : null;
	return {
		signal: controller.signal,
		dispose: () => {
			process.off('SIGINT', onSignal);
			process.off('SIGTERM', onSignal);
			if (watch !== null) clearInterval(watch);
		}
	};
}
