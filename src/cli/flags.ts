// The CLI's flag parsing and the folders a command uses: small and with no heavy imports, so a
// command that needs only these (covw runs) starts without loading the engine.
import { resolve } from 'node:path';
import { DEFAULT_TEMPLATE_DIR } from '../lib/node/coveval/templates.ts';
import { projectFolders } from '../lib/node/paths.ts';
import { CliError, type CliContext } from './command.ts';

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

