// Deno permission flags per covw command. Reads are allowed everywhere (users point the CLI at
// their own data clones); writes, network and subprocesses only where a command needs them.
// Run by both launchers: bin/covw.js (Node) and bin/covw (sh, through bin/covw-flags.js on
// Deno). It reads files through `fs` (four calls, node:fs's by default) and imports no node:fs:
// loading Deno's node:fs costs ~30 ms, more than the rest of bin/covw-flags.js's start.
import { delimiter, dirname, isAbsolute, join, resolve } from 'node:path';
import { projectFolders } from '../src/lib/node/folder-rules.js';

// The young generation's size, for both launchers (bin/covw.js, and bin/covw through
// bin/covw-flags.js). V8 otherwise grows it to tens of MB while a run allocates answers, rows
// and requests, and keeps those pages (peak RSS of `covw run detection --samples 4`,
// bench/cli-run.js: ~180 MB with the default, ~142 MB with 2 MB semi-spaces). With 4 MB, a
// scavenge ran about every 100 ms of the requests phase (36 of them, 3–8 ms each: pauses that
// delay the answers in flight); 8 MB halves their number and cuts their total pause time by about
// a third (V8's --trace-gc, 3 runs each on a busy machine), for ~5 MB more peak RSS (~121 vs
// ~115 MB); 12–16 MB do not scavenge less often (V8 does not grow the space further here) but
// add ~15 MB. Starting at 8 MB (not growing to it) also saves four scavenges before the first
// request. The end-to-end effect was within the noise of the shared machine it was measured on.
// (--optimize-for-size would give ~110 MB but costs ~25% more CPU.)
export const DENO_V8_FLAGS = '--v8-flags=--min-semi-space-size=8,--max-semi-space-size=8';

/** Value of `--name value` or `--name=value` in args, else undefined. */
function flagValue(args, name) {
	for (let i = 0; i < args.length; i++) {
		if (args[i] === `--${name}`) return args[i + 1];
		if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
	}
	return undefined;
}

/**
 * The file system calls this module makes: node:fs's unless the caller passes its own
 * (bin/covw-flags.js passes Deno's). `statSync` need only give `isFile()` and `mode`.
 * @typedef {{ existsSync(path: string): boolean, readFileSync(path: string, encoding: 'utf8'): string, realpathSync(path: string): string, statSync(path: string): { isFile(): boolean, mode: number } }} PermissionFs
 */
/** @returns {PermissionFs} */
const nodeFs = () => process.getBuiltinModule('node:fs');

export function permissionsFor(args, { root, cwd, env = {}, fs = nodeFs() }) {
	// DuckDB-WASM's Node bundle asks os.cpus(); the openai client reads its env variables.
	const base = ['--allow-read', '--allow-env', '--allow-sys=cpus'];
	const [first, second] = args;
	if (first === 'judge') return judgePermissions(args, { root, cwd, env, base, fs });
	if (first === 'run') {
		// Network only to the endpoints the config names (or OPENAI_BASE_URL), plus the loopback;
		// writes only to the runs and cache folders.
		return [...base, `--allow-net=${[...endpointHosts(args, { root, cwd, env, fs }), '127.0.0.1'].join(',')}`, `--allow-write=${runsFolder(root, env)},${cacheFolder(root, env)}`];
	}
	// Vul-Evol (src/cli/commands/evolve.ts): as a run, plus the evolved item sets in the data folder.
	if (first === 'evolve') {
		const writes = [runsFolder(root, env), cacheFolder(root, env), join(folders(root, env).data, 'evolved')];
		return [...base, `--allow-net=${[...endpointHosts(args, { root, cwd, env, fs }), '127.0.0.1'].join(',')}`, `--allow-write=${writes.join(',')}`];
	}
	// Training data (src/cli/commands/export.ts): writes only the folder of its --out file.
	if (first === 'export' && second === 'sft') {
		const out = flagValue(args, 'out');
		return out === undefined ? base : [...base, `--allow-write=${dirname(resolve(cwd, out))}`];
	}
	// covw import writes runs (and labelled sets into the data folder); it reads anywhere, sends nothing.
	if (first === 'import') return [...base, `--allow-write=${runsFolder(root, env)},${folders(root, env).data}`];
	// covw self-correct asks the generating model (and an LLM judge): as covw run.
	if (first === 'self-correct') {
		return [...base, `--allow-net=${[...endpointHosts(args, { root, cwd, env, fs }), '127.0.0.1'].join(',')}`, `--allow-write=${runsFolder(root, env)},${cacheFolder(root, env)}`];
	}
	if (first === 'cache' && second === 'prune') return [...base, `--allow-write=${cacheFolder(root, env)}`];
	// Batch runs: status reads (and with --refresh asks the configured endpoints); export writes
	// the run's record and the --vllm file; import the run.
	if (first === 'batch' && second === 'status' && args.includes('--refresh')) {
		return [...base, `--allow-net=${[...endpointHosts(args, { root, cwd, env, fs }), '127.0.0.1'].join(',')}`];
	}
	// batch resume polls and submits as covw run … --batch does: the same network and folders.
	if (first === 'batch' && second === 'resume') {
		return [...base, `--allow-net=${[...endpointHosts(args, { root, cwd, env, fs }), '127.0.0.1'].join(',')}`, `--allow-write=${runsFolder(root, env)},${cacheFolder(root, env)}`];
	}
	if (first === 'batch' && (second === 'export' || second === 'import')) {
		const out = second === 'export' ? flagValue(args, 'vllm') : undefined;
		return [...base, `--allow-write=${[runsFolder(root, env), ...(out ? [resolve(cwd, out)] : [])].join(',')}`];
	}
	if (first === 'data' && second === 'import') {
		// As src/cli/commands/data.ts: --out, else coveval/ in the data folder ($COVW_DATA, else datasets/).
		const out = resolve(cwd, flagValue(args, 'out') ?? join(folders(root, env).data, 'coveval'));
		return [...base, `--allow-write=${out}`];
	}
	return base;
}

// Judges: network only for LLM judges; subprocesses only for the static analyzers asked for,
// by their absolute paths, plus writes to the OS temp folder where their scratch folders go.
// Mirrors src/lib/judges/analyzers (tool names, languages) and src/lib/runs/analyzer-units.ts.
const ANALYZERS = ['bandit', 'cppcheck', 'flawfinder', 'gcc', 'clang'];
// Opt-in analyzer judges (not among `analyzers`, named explicitly) and the executable each runs.
const OPT_IN_ANALYZERS = new Map([['clang-taint', 'clang']]);
const OFFLINE_JUDGES = ['rules', 'rules-v1', 'parser', 'analyzers', ...ANALYZERS, ...OPT_IN_ANALYZERS.keys()];

function judgePermissions(args, { root, cwd, env, base, fs }) {
	// Offline judges write their run only; LLM judges also the response cache.
	const writes = `--allow-write=${runsFolder(root, env)}`;
	// `covw judge --list` asks each analyzer for its version; it writes nothing and sends nothing.
	if (args.includes('--list')) return withAnalyzers(base, ANALYZERS, env, false, fs);
	const judge = flagValue(args, 'judge');
	// An ensemble (ensemble:<rule>:<judge>+<judge>…, src/lib/judges/ensemble) needs what its members need.
	const members = judge?.startsWith('ensemble:') ? judge.split(':').slice(2).join(':').split('+') : [judge];
	const tools = [...new Set(members.flatMap((m) => (m === 'analyzers' ? ANALYZERS : ANALYZERS.includes(m) ? [m] : OPT_IN_ANALYZERS.has(m) ? [OPT_IN_ANALYZERS.get(m)] : [])))];
	if (members.some((m) => m === undefined || !OFFLINE_JUDGES.includes(m))) {
		const flags = [...base, `--allow-net=${[...endpointHosts(args, { root, cwd, env, fs }), '127.0.0.1'].join(',')}`, `${writes},${cacheFolder(root, env)}`];
		return tools.length > 0 ? withAnalyzers(flags, tools, env, true, fs) : flags;
	}
	return withAnalyzers([...base, writes], tools, env, true, fs);
}

/** --allow-run for the tools found on PATH (a missing one gets none: the CLI reports it), and the temp folder. */
function withAnalyzers(flags, tools, env, needsTemp, fs) {
	const onPath = tools.map((t) => whichExecutable(t, env.PATH ?? '', fs)).filter((p) => p !== null);
	if (onPath.length === 0) return flags;
	// A tool may start the file its PATH entry links to by that file's own path (clang runs
	// `clang -cc1` as /usr/lib/llvm-14/bin/clang on Debian), so allow the link's target too.
	const found = [...new Set(onPath.flatMap((p) => [p, fs.realpathSync(p)]))];
	// ps reads the tools' memory for the watchdog (src/lib/judges/analyzers/group-memory.ts) and
	// kill ends a tool's whole process group (kill-group.ts): Deno reads /proc only with
	// --allow-all and signals other processes only with an unrestricted --allow-run. Neither runs
	// another program.
	for (const helper of ['ps', 'kill']) {
		const path = whichExecutable(helper, env.PATH ?? '', fs);
		if (path) found.push(path);
	}
	const out = [...flags, `--allow-run=${found.join(',')}`];
	if (!needsTemp) return out;
	// Deno allows only one --allow-write: merge the temp folder into it.
	const temp = tempFolder(env);
	const at = out.findIndex((f) => f.startsWith('--allow-write='));
	if (at >= 0) out[at] = `${out[at]},${temp}`;
	else out.push(`--allow-write=${temp}`);
	return out;
}

/** As node's os.tmpdir() (and Deno's) reads it. */
function tempFolder(env) {
	const dir = env.TMPDIR || env.TMP || env.TEMP || '/tmp';
	return resolve(dir.length > 1 ? dir.replace(/\/+$/, '') : dir);
}

/** The same lookup as src/lib/judges/analyzers/which.ts: an executable file on an absolute PATH entry. */
function whichExecutable(command, path, fs) {
	for (const dir of path.split(delimiter).filter(Boolean)) {
		if (!isAbsolute(dir)) continue;
		const candidate = join(dir, command);
		try {
			const stat = fs.statSync(candidate);
			if (stat.isFile() && (stat.mode & 0o111) !== 0) return candidate;
		} catch {
			// not here
		}
	}
	return null;
}

// The project's folder rules (src/lib/node/folder-rules.js, the one source the CLI uses too);
// bin/covw.js starts the CLI with COVW_ROOT set to this checkout, so read them the same way.
function folders(root, env) {
	return projectFolders((name) => (name === 'COVW_ROOT' ? root : env[name]), root);
}
function runsFolder(root, env) {
	return folders(root, env).runs;
}
function cacheFolder(root, env) {
	return folders(root, env).cache;
}

/** host:port of each endpoint: covw.config.json (--config or the working folder), else OPENAI_BASE_URL. */
export function endpointHosts(args, { cwd, env = {}, fs = nodeFs() }) {
	const given = flagValue(args, 'config');
	const file = resolve(cwd, given ?? 'covw.config.json');
	const urls = [];
	if (fs.existsSync(file)) {
		try {
			const config = JSON.parse(fs.readFileSync(file, 'utf8'));
			for (const endpoint of Object.values(config?.endpoints ?? {})) {
				if (typeof endpoint?.baseURL === 'string') urls.push(endpoint.baseURL);
				// Replicas (src/lib/engine/replicas.ts): every server of the endpoint.
				if (Array.isArray(endpoint?.replicas)) urls.push(...endpoint.replicas.filter((u) => typeof u === 'string'));
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
