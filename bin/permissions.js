// Deno permission flags per covw command. Reads are allowed everywhere (users point the CLI at
// their own data clones); writes, network and subprocesses only where a command needs them.
import { resolve } from 'node:path';

/** Value of `--name value` or `--name=value` in args, else undefined. */
function flagValue(args, name) {
	for (let i = 0; i < args.length; i++) {
		if (args[i] === `--${name}`) return args[i + 1];
		if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
	}
	return undefined;
}

export function permissionsFor(args, { root, cwd }) {
	// DuckDB-WASM's Node bundle asks os.cpus(); the openai client reads its env variables.
	const base = ['--allow-read', '--allow-env', '--allow-sys=cpus'];
	const [first, second] = args;
	if (first === 'data' && second === 'import') {
		const out = resolve(cwd, flagValue(args, 'out') ?? resolve(root, 'datasets/coveval'));
		return [...base, `--allow-write=${out}`];
	}
	return base;
}
