#!/usr/bin/env node
// `npm run bench`: runs every benchmark script in turn and passes their output through.
//   npm run bench                          all of them
//   npm run bench -- workbench rule-judge  the named ones
//   npm run bench -- workbench -- --rows 100000   one, with arguments for it
//   npm run bench -- --list                names and commands
// Exit status: non-zero when any benchmark that ran failed. One whose input data is absent
// (e.g. ../shared/coveval) is reported as skipped, not failed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const deno = join(root, 'node_modules/deno/deno');
/** A command as a person would type it from the repository root. */
const shown = (command) => command.map((c) => (c === process.execPath ? 'node' : c.replace(root + '/', ''))).join(' ');

/**
 * How each benchmark is run. `needs`: files it reads; when one is absent the benchmark is skipped.
 * @type {{ name: string, file: string, command: string[], needs?: string[] }[]}
 */
const KNOWN = [
	{ name: 'workbench', file: 'bench/workbench.js', command: [process.execPath, 'bench/workbench.js'] },
	{
		name: 'rule-judge',
		file: 'bench/rule-judge.ts',
		command: [deno, 'run', '--allow-read', 'bench/rule-judge.ts'],
		needs: [resolve(root, '../shared/coveval/pearce/dow_programs.jsonl')]
	},
	// judges-wild.ts: the rule judges on real code of this machine (Python stdlib, C sources) and hostile shapes; a small sample by default
	{ name: 'judges-wild', file: 'bench/judges-wild.ts', command: [deno, 'run', '--allow-read', '--allow-env', 'bench/judges-wild.ts'] },
	// replication.js writes a 20-model replication on disk (via Deno) and starts the built app on it.
	{ name: 'replication', file: 'bench/replication.js', command: [process.execPath, 'bench/replication.js'] },
	// engine-bench.js starts its own test server and runs bench/engine-once.ts under Deno per iteration.
	{ name: 'engine', file: 'bench/engine-bench.js', command: [process.execPath, 'bench/engine-bench.js'] }
];
/** Scripts that other benchmarks run; never run on their own. */
const HELPERS = new Set(['bench/engine-once.ts', 'bench/replication-data.ts']);

/**
 * For a script not listed above: the command its header gives on a `// Run: ...` line, with
 * optional `[...]` arguments dropped and deno/node mapped to the local binaries; null if none.
 * @param {string} file path from the repository root
 */
function commandFromHeader(file) {
	const header = readFileSync(join(root, file), 'utf8').split('\n', 20);
	const line = header.map((l) => /^\/\/\s*Run:\s*(.+)$/.exec(l)?.[1]).find(Boolean);
	if (!line) return null;
	const words = line.replace(/\[[^\]]*\]/g, '').trim().split(/\s+/);
	if (words[0] === 'npx' && words[1] === 'deno') words.splice(0, 2, deno);
	else if (words[0] === 'deno' || words[0] === 'node_modules/deno/deno') words[0] = deno;
	else if (words[0] === 'node') words[0] = process.execPath;
	else return null;
	return words;
}

/** Known benchmarks whose file exists, plus any other bench/*.js|ts whose header says how to run it. */
function discover() {
	const present = KNOWN.filter((b) => existsSync(join(root, b.file)));
	const unknown = [];
	for (const entry of readdirSync(join(root, 'bench')).sort()) {
		const file = `bench/${entry}`;
		if (!/\.(js|ts)$/.test(entry) || file === 'bench/run.js' || HELPERS.has(file) || KNOWN.some((b) => b.file === file)) continue;
		const command = commandFromHeader(file);
		if (command) present.push({ name: entry.replace(/\.(js|ts)$/, ''), file, command });
		else unknown.push(file);
	}
	return { benchmarks: present, unknown };
}

function main(argv) {
	const split = argv.indexOf('--');
	const names = split < 0 ? argv : argv.slice(0, split);
	const extra = split < 0 ? [] : argv.slice(split + 1);
	const { benchmarks, unknown } = discover();
	for (const file of unknown) console.warn(`bench: not run: ${file} (no \`// Run:\` line in its header; add it to bench/run.js)`);

	if (names.includes('--list')) {
		for (const b of benchmarks) console.log(`${b.name.padEnd(12)} ${shown(b.command)}`);
		return 0;
	}
	const chosen = names.length ? names.map((n) => benchmarks.find((b) => b.name === n) ?? n) : benchmarks;
	const missing = chosen.filter((b) => typeof b === 'string');
	if (missing.length) {
		console.error(`bench: no benchmark named ${missing.map((m) => JSON.stringify(m)).join(', ')}; known: ${benchmarks.map((b) => b.name).join(', ')}`);
		return 2;
	}
	if (extra.length && chosen.length !== 1) {
		console.error('bench: arguments after -- go to one benchmark; name exactly one');
		return 2;
	}

	const summary = [];
	for (const b of /** @type {typeof benchmarks} */ (chosen)) {
		console.log(`\n=== ${b.name}: ${shown([...b.command, ...extra])}`);
		const absent = (b.needs ?? []).filter((p) => !existsSync(p));
		if (absent.length) {
			console.log(`skipped: missing ${absent.join(', ')}`);
			summary.push({ name: b.name, status: 'skipped (input data missing)' });
			continue;
		}
		const t0 = performance.now();
		const run = spawnSync(b.command[0], [...b.command.slice(1), ...extra], { cwd: root, stdio: 'inherit' });
		const seconds = ((performance.now() - t0) / 1000).toFixed(0);
		const status = run.error ? `failed to start: ${run.error.message}` : run.status === 0 ? 'ok' : `failed (exit ${run.status ?? run.signal})`;
		summary.push({ name: b.name, status: `${status}, ${seconds} s` });
	}
	console.log('\n=== summary');
	for (const s of summary) console.log(`${s.name.padEnd(12)} ${s.status}`);
	return summary.some((s) => s.status.startsWith('fail')) ? 1 : 0;
}

process.exit(main(process.argv.slice(2)));
