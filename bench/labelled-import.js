// `covw import --labelled` on a large generated dataset: a Big-Vul-shaped CSV and a
// PrimeVul-shaped paired JSON Lines file of N records (default 100,000; ~5 KB of code a record,
// about 500 MB a file), written to a temporary folder and imported by the real CLI. Prints the
// wall time and the peak RSS of the import (GNU time's %M: the largest process, Deno), and checks
// that every program is accounted for. The code is generated text, never run.
// Run: node bench/labelled-import.js [--records 100000] [--formats bigvul,primevul] [--keep]
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 ? process.argv[i + 1] : fallback;
};
const records = Number(arg('records', '100000'));
const formats = arg('formats', 'bigvul,primevul').split(',');
const keep = process.argv.includes('--keep');
if (!existsSync('/usr/bin/time')) {
	console.log('labelled-import: skipped: /usr/bin/time (GNU time) is absent, so peak RSS cannot be measured');
	process.exit(0);
}

/** A C function of about `size` characters, different for every (k, side). */
function func(k, side, size) {
	const lines = [`// ${side}`, `static int handle_${k}(struct ctx *c, const char *in, size_t n) {`, '    char buf[64];'];
	for (let i = 0; lines.join('\n').length < size; i++) lines.push(`    if (c->field_${i % 17} > ${i}) { c->total += in[${i} % n] * ${k % 97}; }`);
	lines.push(side === 'before' ? '    memcpy(buf, in, n);' : '    memcpy(buf, in, n < sizeof buf ? n : sizeof buf);', '    return 0;', '}');
	return lines.join('\n');
}

const q = (s) => `"${s.replaceAll('"', '""')}"`;

async function write(path, rows) {
	const out = createWriteStream(path);
	for (const row of rows()) if (!out.write(row)) await new Promise((r) => out.once('drain', r));
	await new Promise((r) => out.end(r));
}

const folder = mkdtempSync(join(tmpdir(), 'covw-labelled-bench-'));
const env = { ...process.env, COVW_DATA: join(folder, 'data'), COVW_RUNS: join(folder, 'runs') };
let failed = false;
try {
	for (const format of formats) {
		const path = join(folder, format === 'bigvul' ? 'MSR_data_cleaned.csv' : 'primevul_train_paired.jsonl');
		const started = performance.now();
		if (format === 'bigvul') {
			await write(path, function* () {
				yield ',CVE ID,CWE ID,commit_id,func_after,func_before,lang,project,vul\n';
				for (let k = 0; k < records; k++) yield `${k},CVE-2020-${k},CWE-787,c${k},${q(func(k, 'after', 2500))},${q(func(k, 'before', 2500))},C,p${k % 50},1\n`;
			});
		} else {
			await write(path, function* () {
				for (let k = 0; k < records; k += 2) {
					const base = { project: `p${k % 50}`, commit_id: `c${k}`, cwe: ['CWE-119', 'CWE-787'], file_name: 'x.c' };
					yield JSON.stringify({ idx: k, target: 1, func: func(k, 'before', 5000), ...base }) + '\n';
					if (k + 1 < records) yield JSON.stringify({ idx: k + 1, target: 0, func: func(k, 'after', 5000), ...base, cwe: [] }) + '\n';
				}
			});
		}
		const mb = statSync(path).size / 1048576;
		console.log(`labelled-import: ${format}: ${records} records, ${mb.toFixed(0)} MB written in ${((performance.now() - started) / 1000).toFixed(1)} s`);
		const run = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, join(root, 'bin/covw.js'), 'import', '--labelled', `big-${format}`, path], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
		const time = /TIME ([\d.]+) (\d+)/.exec(run.stderr);
		const counts = /counts: .*/.exec(run.stdout)?.[0] ?? '(no counts line)';
		if (run.status !== 0 || !time) {
			failed = true;
			console.log(`labelled-import: ${format}: FAILED (exit ${run.status})\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-2000)}`);
			continue;
		}
		const meta = JSON.parse(readFileSync(join(folder, 'data/labelled', `big-${format}.meta.json`), 'utf8'));
		const accounted = meta.items + Object.values(meta.unsupported).reduce((a, b) => a + b, 0) + Object.values(meta.not_imported).reduce((a, b) => a + b, 0);
		const arrowMb = statSync(join(folder, 'data/labelled', `big-${format}.items.arrow`)).size / 1048576;
		console.log(`labelled-import: ${format}: import ${time[1]} s wall, peak RSS ${(Number(time[2]) / 1024).toFixed(0)} MB (${mb.toFixed(0)} MB file, ${meta.items} items, ${arrowMb.toFixed(0)} MB items table); ${counts}`);
		if (accounted !== meta.programs || meta.items === 0) {
			failed = true;
			console.log(`labelled-import: ${format}: counts do not add up: ${accounted} of ${meta.programs}`);
		}
	}
} finally {
	if (keep) console.log(`labelled-import: files kept in ${folder}`);
	else rmSync(folder, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
