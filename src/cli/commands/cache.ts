// `covw cache stats` and `covw cache prune [--older-than 30d] [--max-size 500MiB]`: the response
// cache's size, and dropping old entries (and superseded duplicates). Prune while no run is
// writing to the cache.
import { cacheStats, pruneCache } from '../../lib/engine/response-cache.ts';
import { CliError, type Command } from '../command.ts';
import { parseFlags, runFolders } from './run-setup.ts';
import { printable } from '../../lib/core/text/printable.ts';
import { byteSize } from '../../lib/core/text/byte-size.ts';

const UNITS_MS: Record<string, number> = { s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };
const UNITS_BYTES: Record<string, number> = { b: 1, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12, kib: 2 ** 10, mib: 2 ** 20, gib: 2 ** 30, tib: 2 ** 40 };

/** The least --max-size taken: below it a size is a slip (0, "0.5b"), and pruning to it would drop the whole cache. */
export const MIN_MAX_SIZE = 1024;

/** '30d', '12h', '90m', '2w' → ms. */
export function parseAge(text: string): number {
	const m = /^(\d+(?:\.\d+)?)\s*([smhdw])$/i.exec(text.trim());
	if (!m) throw new CliError(`cache prune: --older-than "${text}" is not an age like 30d, 12h or 90m`);
	return Number(m[1]) * UNITS_MS[m[2].toLowerCase()];
}

/** '500MiB', '2GB', '1 TiB', '1000' (bytes) → bytes; at least MIN_MAX_SIZE. */
export function parseSize(text: string): number {
	const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)?$/i.exec(text.trim());
	if (!m) throw new CliError(`cache prune: --max-size "${text}" is not a size like 500MiB`);
	const bytes = Math.floor(Number(m[1]) * UNITS_BYTES[(m[2] ?? 'b').toLowerCase()]);
	if (!Number.isFinite(bytes)) throw new CliError(`cache prune: --max-size "${text}" is too large a number`);
	if (bytes < MIN_MAX_SIZE) {
		throw new CliError(`cache prune: --max-size "${text}" is less than 1 KiB, which would drop the whole cache; to empty the cache on purpose use --older-than 0s`);
	}
	return bytes;
}

export const cacheStatsCommand: Command = {
	words: ['cache', 'stats'],
	summary: 'size of the response cache',
	usage: 'Usage: covw cache stats\n\nThe cache folder is $COVW_CACHE, default cache/.',
	run: async (ctx) => {
		const flags = parseFlags('cache stats', ctx.args, {});
		if (flags.positional.length > 0) throw new CliError(`cache stats: unexpected argument "${flags.positional[0]}"`);
		const { cacheDir } = runFolders(ctx);
		const s = cacheStats(cacheDir);
		ctx.stdout(`${printable(cacheDir)}\n  entries  ${s.entries}\n  on disk  ${byteSize(s.bytes)}\n  oldest   ${s.oldest ?? '-'}\n  newest   ${s.newest ?? '-'}\n`);
		return 0;
	}
};

export const cachePruneCommand: Command = {
	words: ['cache', 'prune'],
	summary: 'drop old cache entries (--older-than 30d, --max-size 500MiB)',
	usage: [
		'Usage: covw cache prune [--older-than <age>] [--max-size <size>]',
		'',
		'--older-than 30d   drop entries written longer ago than this (s, m, h, d, w)',
		'--max-size 500MiB  then drop the oldest entries until the cache fits (KiB, MiB, GiB, TiB, as sizes',
		'                   are printed: powers of 1024; kB, MB, GB, TB: powers of 1000); at least 1 KiB',
		'Without options, only superseded duplicates and cut lines are dropped. Do not prune while a',
		'run is writing to the cache.'
	].join('\n'),
	run: async (ctx) => {
		const flags = parseFlags('cache prune', ctx.args, { 'older-than': 'string', 'max-size': 'string' });
		if (flags.positional.length > 0) throw new CliError(`cache prune: unexpected argument "${flags.positional[0]}"`);
		const { cacheDir } = runFolders(ctx);
		const olderThanMs = flags.strings['older-than'] === undefined ? undefined : parseAge(flags.strings['older-than']);
		const maxBytes = flags.strings['max-size'] === undefined ? undefined : parseSize(flags.strings['max-size']);
		const result = pruneCache(cacheDir, { olderThanMs, maxBytes });
		const after = cacheStats(cacheDir);
		ctx.stdout(`removed ${result.removed} entr${result.removed === 1 ? 'y' : 'ies'}, freed ${byteSize(result.freedBytes)}; ${after.entries} left (${byteSize(after.bytes)})\n`);
		return 0;
	}
};
