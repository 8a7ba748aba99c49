// Deno permission flags per covw command. Reads are allowed everywhere (users point the CLI at
// their own data clones); writes, network and subprocesses only where a command needs them.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Value of `--name value` or `--name=value` in args, else undefined. */
function flagValue(args, name) {
	for (let i = 0; i < args.length; i++) {
		if (args[i] === `--${name}`) return args[i + 1];
		if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
	}
	return undefined;
}

export function permissionsFor(args, { root, cwd, env = {} }) {
	// DuckDB-WASM's Node bundle asks os.cpus(); the openai client reads its env variables.
	const base = ['--allow-read', '--allow-env', '--allow-sys=cpus'];
	const [first, second] = args;
	if (first === 'run' || first === 'judge') {
		// Network only to the endpoints the config names (or OPENAI_BASE_URL), plus the loopback;
		// writes only to the runs and cache folders.
		return [...base, `--allow-net=${[...endpointHosts(args, { root, cwd, env }), '127.0.0.1'].join(',')}`, `--allow-write=${runsFolder(root, env)},${cacheFolder(root, env)}`];
	}
	if (first === 'cache' && second === 'prune') return [...base, `--allow-write=${cacheFolder(root, env)}`];
	if (first === 'data' && second === 'import') {
		const out = resolve(cwd, flagValue(args, 'out') ?? resolve(root, 'datasets/coveval'));
		return [...base, `--allow-write=${out}`];
	}
	return base;
}

// The same folder rules as src/lib/server/paths.ts (COVW_ROOT is this checkout when launched).
function runsFolder(root, env) {
	return resolve(env.COVW_RUNS ?? resolve(root, 'runs'));
}
function cacheFolder(root, env) {
	return resolve(env.COVW_CACHE ?? resolve(root, 'cache'));
}

/** host:port of each endpoint: covw.config.json (--config or the working folder), else OPENAI_BASE_URL. */
export function endpointHosts(args, { cwd, env = {} }) {
	const given = flagValue(args, 'config');
	const file = resolve(cwd, given ?? 'covw.config.json');
	const urls = [];
	if (existsSync(file)) {
		try {
			const config = JSON.parse(readFileSync(file, 'utf8'));
			for (const endpoint of Object.values(config?.endpoints ?? {})) {
				if (typeof endpoint?.baseURL === 'string') urls.push(endpoint.baseURL);
			}
		} catch {
			// The CLI reports a broken config with its line; here we only grant no endpoint.
		}
	} else if (given === undefined) {
		urls.push(env.OPENAI_BASE_URL || 'https://api.openai.com/v1');
	}
	const hosts = [];
	for (const url of urls) {
		try {
			const u = new URL(url);
			const port = u.port || (u.protocol === 'https:' ? '443' : '80');
			hosts.push(`${u.hostname}:${port}`);
		} catch {
			// Not a URL: the config validator names it; no permission granted for it.
		}
	}
	return [...new Set(hosts)];
}
