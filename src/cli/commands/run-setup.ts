// What `covw run` and `covw judge` share: flag parsing, and loading the engine config, the
// items table, the prompt templates, the cache and the runs folder from the command line and
// the environment (COVW_RUNS, COVW_CACHE, COVW_DATA as in src/lib/node/paths.ts).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import process from 'node:process';
import type { Item } from '../../lib/core/items/item.ts';
import { attachDrain } from '../../lib/engine/abort-fanout.ts';
import { ConfigError, loadEngineConfig, type EngineConfig } from '../../lib/engine/config.ts';
import { ResponseCache } from '../../lib/engine/response-cache.ts';
import { loadTemplates, type LoadedTemplates } from '../../lib/node/coveval/templates.ts';
import { CliError, type CliContext } from '../command.ts';
import { shellCommand } from '../shell-quote.ts';
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
	if (!existsSync(file)) throw new CliError(`${command}: no evolved set "${name}" (no ${file}); ${shellCommand(['covw', 'evolve', '--name', name])} writes it`);
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
 * A signal the old Node launcher (bin/covw.js) forwards arrives right after the same Ctrl-C the
 * terminal sent Deno directly (both are in the terminal's process group): within this long of
 * the first, under that launcher, a second signal is the same key press, not "Ctrl-C again".
 */
const SAME_DELIVERY_MS = 500;

/**
 * A write to a terminal that is gone is not the run's failure (see cancelOnInterrupt). Once per
 * process and never undone: the error of the run's last write (its summary) comes after the run
 * has ended.
 */
let droppingWriteErrors = false;
function dropWriteErrors(): void {
	if (droppingWriteErrors) return;
	droppingWriteErrors = true;
	for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
}

/** The signals that stop a run gracefully (bin/covw.js forwards each of them). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Ctrl-C, a SIGTERM (a `timeout`, a job scheduler) or a SIGHUP (the terminal closed, an ssh
 * session dropped) stops the run gracefully: no new unit and no new attempt starts (a retry
 * waiting for its backoff is dropped: not sent, not paid), the requests already sent finish
 * within their own timeout and their answers are logged, and the run ends `cancelled` (the word
 * `covw runs` shows; "interrupted" is a run whose process died); the same command resumes with the rest. A second Ctrl-C (or SIGTERM, SIGHUP)
 * abandons the requests in flight: they leave no row, and resume sends them again. After a
 * SIGHUP the terminal is gone: a write to stdout or stderr fails (EIO, EPIPE) — in Deno as an
 * 'error' event on the stream, which would otherwise end the process at once — so from the run's
 * start on those errors are dropped: the run still saves its rows and its manifest.
 * The end of the launcher that names itself in COVW_LAUNCHER_PID (bin/covw.js) stops the run the
 * same graceful way: a `kill -9` of `covw` cannot be forwarded, and Deno would otherwise go on
 * alone, unseen, sending (paid) requests. (A kill -9 of Deno itself cannot be caught: the runs
 * list then calls the run interrupted, from its lock. The sh launcher, bin/covw, execs Deno and
 * names no launcher: `covw` is then Deno itself, and gets the signals itself.)
 */
export function cancelOnInterrupt(ctx: CliContext, now: () => number = Date.now, options: { stopText?: string } = {}): { signal: AbortSignal; interrupt(): void; dispose(): void; abandoned(): number } {
	const controller = new AbortController();
	const drain = new AbortController();
	// The engine finds the drain from the signal (abort-fanout.ts) and counts the requests on the
	// wire; once they are in, the signal aborts (quietly): what follows the run sees it cancelled.
	const graceful = attachDrain(controller.signal, drain.signal, () => controller.abort());
	const launcher = Number(ctx.env('COVW_LAUNCHER_PID'));
	const underLauncher = Number.isInteger(launcher) && launcher > 0;
	let drainedAt = 0;
	// Requests already sent that a second Ctrl-C abandoned: paid (maybe), never answered here.
	let abandonedCount = 0;
	const say = (text: string) => {
		try {
			ctx.stderr(text);
		} catch {
			// a terminal that is gone must not stop the run from saving its answers
		}
	};
	const stopStarting = (why: string) => {
		if (drain.signal.aborted) return;
		drainedAt = now();
		const n = graceful.inFlight;
		// A Batch API run (options.stopText, batch-flags.ts) has nothing in flight: it says what stopping does to its batch.
		say(`\n${why}${options.stopText ?? `stopping: ${n} request${n === 1 ? '' : 's'} in flight will be saved — Ctrl-C again to abandon them`}\n`);
		drain.abort();
	};
	const abandon = () => {
		if (controller.signal.aborted) return;
		abandonedCount = graceful.inFlight;
		say(`\nabandoning ${graceful.inFlight} request(s) in flight… (run the same command again to resume)\n`);
		controller.abort();
	};
	// Listening (not once): a second signal must not fall back to the default (exit at once,
	// manifest left 'running').
	const onSignal = (signal?: string) => {
		if (!drain.signal.aborted) stopStarting(signal === 'SIGHUP' ? 'the terminal closed (SIGHUP): ' : '');
		else if (!(underLauncher && now() - drainedAt < SAME_DELIVERY_MS)) abandon();
	};
	dropWriteErrors();
	// Under nohup the hang-up is ignored, as nohup means: the launcher (bin/covw, from its own
	// /proc/self/status) says so in COVW_SIGHUP_IGNORED — Deno may not read /proc/self/status
	// without --allow-all. Not listening would not do: once Deno listens for any signal it
	// replaces the inherited SIG_IGN of SIGHUP with its own handler, which ends the process when
	// no listener is there; so SIGHUP gets a listener that does nothing. Without /proc (macOS)
	// the variable is never set, and a hang-up stops the run gracefully even under nohup.
	const sighupIgnored = ctx.env('COVW_SIGHUP_IGNORED') === '1';
	const listeners = STOP_SIGNALS.map((signal) => [signal, signal === 'SIGHUP' && sighupIgnored ? () => {} : () => onSignal(signal)] as const);
	for (const [signal, listener] of listeners) process.on(signal, listener);
	const watch = underLauncher ? setInterval(() => process.ppid !== launcher && stopStarting('the covw launcher is gone: '), LAUNCHER_CHECK_MS) : null;
	return {
		signal: controller.signal,
		/** What a SIGINT, SIGTERM or SIGHUP does (for tests). */
		interrupt: () => onSignal(),
		/** Requests in flight that a second signal abandoned (0 when none was). */
		abandoned: () => abandonedCount,
		dispose: () => {
			for (const [signal, listener] of listeners) process.off(signal, listener);
			if (watch !== null) clearInterval(watch);
		}
	};
}

/**
 * What a run's summary adds when the run stopped before its end: how to resume it (the same
 * command: `words` and the arguments it was given), and, after a second Ctrl-C, that the requests
 * already sent were abandoned — their answers are not saved and their cost is not in the
 * tokens and cost above (a provider may still bill them); resuming sends them again.
 */
export function stoppedLines(state: string, command: readonly string[], abandoned: number): string[] {
	if (state !== 'cancelled' && abandoned === 0) return [];
	const lines: string[] = [];
	if (abandoned > 0) {
		lines.push(`  abandoned ${abandoned} request(s) already sent: no answer saved, their cost is unknown and not counted above (a provider may still bill them); resume sends them again`);
	}
	if (state === 'cancelled') lines.push(`  cancelled: the answers so far are saved; resume with the same command: ${shellCommand(['covw', ...command])}`);
	return lines;
}
