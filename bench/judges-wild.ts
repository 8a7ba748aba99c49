// The rule judges (`rules`: tree-sitter, `rules-v1`: token rules) on code in the wild that they
// were never tuned on: the Python standard library, C sources and headers found on this machine,
// ../shared/sven and ../shared/coveval, whole files and functions cut out of them (tree-sitter),
// plus hostile shapes written here (a 2 MB file, a 50,000-line function, 10,000-deep nesting, a
// NUL byte, invalid UTF-8, CRLF, mixed tabs and spaces, C++ and Python 2 handed in as C /
// Python, empty programs). Every program goes to each judge for each CWE its language has rules
// for. Reports: programs, errors by reason, verdict counts, time per program (median, p99, max,
// slowest files named), peak memory, and the flag rate per CWE on the Python standard library
// (mostly not vulnerable code: a high rate is a false-positive smell), with a few flags of the
// highest ones shown. A program that takes longer than --timeout is a hang: its worker is ended
// and the run goes on. The default size is small (< 60 s); --full takes everything.
// Run: npx deno run --allow-read --allow-env bench/judges-wild.ts [--full] [--python N] [--c N] [--headers N] [--functions N] [--sven N] [--coveval N] [--no-hostile] [--judges rules,rules-v1] [--timeout MS] [--max-kb N] [--show N] [--flags-of CWE-89]

import { loadParsers, type Node } from '../src/lib/judges/rules/parse.ts';
import { parseSven } from '../src/lib/judges/rules/sven-split.ts';
import { hostilePrograms } from './lib/wild-hostile.ts';
import type { WildAnswer, WildRequest } from './lib/wild-worker.ts';

const arg = (name: string) => {
	const i = Deno.args.indexOf(`--${name}`);
	return i >= 0 ? Deno.args[i + 1] : undefined;
};
const full = Deno.args.includes('--full');
const count = (name: string, small: number) => (arg(name) !== undefined ? Number(arg(name)) : full ? Infinity : small);
const LIMITS = { python: count('python', 40), c: count('c', 25), headers: count('headers', 25), functions: count('functions', 4), sven: count('sven', 60), coveval: count('coveval', 60) };
const judges = (arg('judges') ?? 'rules,rules-v1').split(',');
// a hang is far past this: at a load of 14 on 2 cores the 9,898-line C file takes ~30 s for both judges × 14 CWEs
const TIMEOUT_MS = Number(arg('timeout') ?? 90_000);
/** Files larger than this are left out (the judges refuse past 500 kB anyway; the hostile set has its own big ones). */
const MAX_BYTES = 1000 * Number(arg('max-kb') ?? (full ? 400 : 60));
const SHOW = Number(arg('show') ?? 3);
const flagsOf = arg('flags-of');
const here = new URL('.', import.meta.url).pathname;
const repo = `${here}..`;

interface Program {
	id: string;
	source: 'python-stdlib' | 'c-source' | 'c-header' | 'sven' | 'coveval' | 'hostile';
	kind: 'file' | 'function' | 'program';
	language: 'c' | 'python';
	code: string;
	/** Hostile programs: the verdicts must equal this program's (a CRLF copy of an LF program). */
	sameAs?: string;
	/** Hostile programs: what is expected ('error' = no verdict, only an error status). */
	expect?: 'error' | 'verdict';
	expectOf?: Record<string, 'error' | 'verdict'>;
}

/** Files under a folder (recursively) whose name ends with one of `ends`, sorted; [] when unreadable. */
function filesUnder(root: string, ends: string[], skip: RegExp = /^$/): string[] {
	const out: string[] = [];
	const visit = (dir: string) => {
		let entries: Deno.DirEntry[];
		try {
			entries = [...Deno.readDirSync(dir)];
		} catch {
			return;
		}
		for (const e of entries) {
			const path = `${dir}/${e.name}`;
			if (skip.test(path)) continue;
			if (e.isDirectory) visit(path);
			else if (e.isFile && ends.some((x) => e.name.endsWith(x))) out.push(path);
		}
	};
	visit(root);
	return out.sort();
}

/** n items spread evenly over the list (deterministic), all of them when n >= its length. */
const spread = <T>(list: T[], n: number): T[] => (n >= list.length ? list : Array.from({ length: n }, (_, k) => list[Math.floor((k * list.length) / n)]));

const decoder = new TextDecoder(); // not fatal: invalid UTF-8 becomes U+FFFD, as any reader of bytes would hand it over
const readText = (path: string, maxBytes = MAX_BYTES): string | null => {
	try {
		if (Deno.statSync(path).size > maxBytes) return null;
		return decoder.decode(Deno.readFileSync(path));
	} catch {
		return null;
	}
};

const parsers = await loadParsers();
/** Functions of a file (tree-sitter function_definition nodes), Python ones from the start of their line (indentation kept). */
function functionsOf(code: string, language: 'c' | 'python', max: number): { name: string; line: number; code: string }[] {
	if (max <= 0) return [];
	const tree = parsers.parse(code, language);
	try {
		const found: Node[] = tree.rootNode.descendantsOfType('function_definition').filter((n): n is Node => !!n);
		return spread(found, max).map((n) => {
			const start = language === 'python' ? code.lastIndexOf('\n', n.startIndex - 1) + 1 : n.startIndex;
			const name = (language === 'python' ? n.childForFieldName('name')?.text : n.descendantsOfType('identifier')[0]?.text) ?? '?';
			return { name, line: n.startPosition.row + 1, code: code.slice(start, n.endIndex) };
		});
	} finally {
		tree.delete();
	}
}

const programs: Program[] = [];
function addFiles(paths: string[], source: Program['source'], language: 'c' | 'python') {
	for (const path of paths) {
		const code = readText(path);
		if (code === null) continue;
		programs.push({ id: path, source, kind: 'file', language, code });
		for (const fn of functionsOf(code, language, LIMITS.functions)) programs.push({ id: `${path}:${fn.line} ${fn.name}()`, source, kind: 'function', language, code: fn.code });
	}
}

const t0 = performance.now();
const pythonRoots = [...Deno.readDirSync('/usr/lib')].filter((e) => e.isDirectory && /^python3\.\d+$/.test(e.name)).map((e) => `/usr/lib/${e.name}`);
const stdlib = pythonRoots.flatMap((r) => filesUnder(r, ['.py'], /\/(site-packages|dist-packages|__pycache__)$/));
addFiles(spread(stdlib, LIMITS.python), 'python-stdlib', 'python');
// /usr/share without the big folders that hold no C (locales, manuals, icons, fonts, …): a quick walk
const cRoots = [...(() => { try { return [...Deno.readDirSync('/usr/share')].filter((e) => e.isDirectory && !/^(locale|man|icons|fonts|i18n|zoneinfo|perl5?|texmf|mime|X11|javascript|texlive|help|info|themes|sounds|backgrounds|pixmaps|applications|ca-certificates|terminfo|consolefonts|keymaps|python3|npm|nodejs|node_modules)$/.test(e.name)).map((e) => `/usr/share/${e.name}`).sort(); } catch { return []; } })(), '/usr/src', '/usr/local/src', `${repo}/node_modules`, '/root/.pyenv/versions'];
const cFiles = cRoots.flatMap((r) => filesUnder(r, ['.c']));
addFiles(spread(cFiles, LIMITS.c), 'c-source', 'c');
addFiles(spread(filesUnder('/usr/include', ['.h']), LIMITS.headers), 'c-header', 'c');

const svenText = readText(`${repo}/../shared/sven/train.jsonl`, 1e9);
if (svenText === null) console.log('judges-wild: no ../shared/sven/train.jsonl: SVEN skipped');
else for (const p of spread(parseSven(svenText).filter((p) => p.language === 'c' || p.language === 'python'), LIMITS.sven)) programs.push({ id: `sven ${p.id}`, source: 'sven', kind: 'program', language: p.language as 'c' | 'python', code: p.code });

const covevalFiles = filesUnder(`${repo}/../shared/coveval`, ['.jsonl']);
if (!covevalFiles.length) console.log('judges-wild: no ../shared/coveval: CoV-Eval skipped');
const coveval: Program[] = [];
for (const path of covevalFiles) {
	const text = readText(path, 1e9) ?? '';
	text.split('\n').forEach((line, k) => {
		if (!line.trim()) return;
		try {
			const row = JSON.parse(line);
			const language = String(row.language ?? '').toLowerCase();
			if (typeof row.code === 'string' && (language === 'c' || language === 'python')) coveval.push({ id: `${path.replace(/^.*\/coveval\//, 'coveval/')}:${k + 1}`, source: 'coveval', kind: 'program', language, code: row.code });
		} catch {
			// not a JSON line: not a program
		}
	});
}
programs.push(...spread(coveval, LIMITS.coveval));
if (!Deno.args.includes('--no-hostile')) programs.push(...hostilePrograms());
const collectSeconds = (performance.now() - t0) / 1000;

// --- judging, one worker at a time; a program past the deadline ends its worker (a hang)
type Result = { program: Program; answer: WildAnswer | null; hang: boolean };
const results: Result[] = [];
let worker: Worker | null = null;
let ready: Promise<void> = Promise.resolve();
const startWorker = () => {
	worker = new Worker(new URL('./lib/wild-worker.ts', import.meta.url).href, { type: 'module' });
	ready = new Promise((resolve) => {
		worker!.onmessage = () => resolve();
	});
};
const judgeOne = (index: number): Promise<WildAnswer | null> =>
	new Promise((resolve) => {
		const timer = setTimeout(() => {
			worker!.terminate();
			worker = null;
			resolve(null);
		}, TIMEOUT_MS);
		worker!.onmessage = (e: MessageEvent<WildAnswer>) => {
			clearTimeout(timer);
			resolve(e.data);
		};
		worker!.onerror = (e) => {
			e.preventDefault();
			clearTimeout(timer);
			worker!.terminate();
			worker = null;
			resolve({ index, byJudge: Object.fromEntries(judges.map((j) => [j, { ms: NaN, verdicts: [{ cwe: '*', outcome: 'error', detail: `worker died: ${e.message}` }] }])), rss: NaN, heap: NaN });
		};
		const p = programs[index];
		worker!.postMessage({ index, language: p.language, code: p.code, judges } satisfies WildRequest);
	});

const t1 = performance.now();
for (let i = 0; i < programs.length; i++) {
	if (!worker) startWorker();
	await ready;
	const answer = await judgeOne(i);
	results.push({ program: programs[i], answer, hang: answer === null });
}
(worker as Worker | null)?.terminate();
const judgeSeconds = (performance.now() - t1) / 1000;

// --- report
const pct = (a: number, b: number) => (b ? ((100 * a) / b).toFixed(1) : '—');
const quantile = (sorted: number[], q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const bySource = new Map<string, number>();
for (const p of programs) bySource.set(`${p.source} ${p.language} ${p.kind}`, (bySource.get(`${p.source} ${p.language} ${p.kind}`) ?? 0) + 1);
console.log(`judges-wild: ${programs.length} programs (${[...bySource].map(([k, n]) => `${n} ${k}`).join(', ')}), collected in ${collectSeconds.toFixed(1)} s, judged in ${judgeSeconds.toFixed(1)} s; judges ${judges.join(', ')}; deadline ${TIMEOUT_MS} ms per program`);
const hangs = results.filter((r) => r.hang);
console.log(`hangs (over ${TIMEOUT_MS} ms, worker ended): ${hangs.length}${hangs.length ? ': ' + hangs.map((h) => h.program.id).join('; ') : ''}`);
const answered = results.filter((r) => r.answer);
const peakRss = Math.max(...answered.map((r) => r.answer!.rss).filter(Number.isFinite));
const peakHeap = Math.max(...answered.map((r) => r.answer!.heap).filter(Number.isFinite));
console.log(`peak memory (sampled after each program): rss ${mb(peakRss)}, worker heap ${mb(peakHeap)}`);

let failures = hangs.length;
for (const judge of judges) {
	const rows = answered.map((r) => ({ program: r.program, ...r.answer!.byJudge[judge] })).filter((r) => r.verdicts);
	const calls = rows.flatMap((r) => r.verdicts.map((v) => ({ ...v, program: r.program })));
	const errors = calls.filter((c) => c.outcome === 'error');
	const reasons = new Map<string, { n: number; programs: Set<string> }>();
	for (const e of errors) {
		const reason = e.detail.replace(/\d+/g, 'N').replace(/"[^"]*"/g, '"…"').slice(0, 120);
		const r = reasons.get(reason) ?? reasons.set(reason, { n: 0, programs: new Set() }).get(reason)!;
		r.n++;
		r.programs.add(e.program.id);
	}
	const vulnerable = calls.filter((c) => c.outcome === 'vulnerable').length;
	const secure = calls.filter((c) => c.outcome === 'secure').length;
	console.log(`\n--- ${judge}: ${rows.length} programs, ${calls.length} verdict calls (program × CWE): ${vulnerable} vulnerable, ${secure} secure, ${errors.length} errors`);
	for (const [reason, r] of [...reasons].sort((a, b) => b[1].n - a[1].n)) console.log(`  error ×${r.n} (${r.programs.size} programs): ${reason}  e.g. ${[...r.programs].slice(0, 2).join('; ')}`);
	const times = rows.map((r) => r.ms).filter(Number.isFinite).sort((a, b) => a - b);
	console.log(`  time per program (all its CWEs): median ${quantile(times, 0.5).toFixed(1)} ms, p99 ${quantile(times, 0.99).toFixed(0)} ms, max ${times[times.length - 1]?.toFixed(0)} ms`);
	const slowest = [...rows].sort((a, b) => b.ms - a.ms).slice(0, 5);
	console.log(`  slowest: ${slowest.map((r) => `${r.program.id.slice(0, 90)} (${(r.program.code.length / 1000).toFixed(0)} kB, ${r.ms.toFixed(0)} ms)`).join('; ')}`);
	// hostile programs: expectations
	for (const r of rows.filter((r) => r.program.source === 'hostile')) {
		const outcomes = r.verdicts.map((v) => v.outcome);
		const summary = `${outcomes.filter((o) => o === 'vulnerable').length} vulnerable / ${outcomes.filter((o) => o === 'secure').length} secure / ${outcomes.filter((o) => o === 'error').length} error`;
		let verdict = 'ok';
		const expect = r.program.expectOf?.[judge] ?? r.program.expect;
		if (expect === 'error' && outcomes.some((o) => o !== 'error')) verdict = 'FAILED: a verdict on a program that cannot be judged';
		if (expect === 'verdict' && outcomes.some((o) => o === 'error')) verdict = `FAILED: errors (${r.verdicts.find((v) => v.outcome === 'error')!.detail.slice(0, 100)})`;
		if (r.program.sameAs) {
			const twin = rows.find((x) => x.program.id === r.program.sameAs);
			const differ = twin ? r.verdicts.filter((v, k) => v.outcome !== twin.verdicts[k].outcome).map((v) => v.cwe) : ['(twin missing)'];
			if (differ.length) verdict = `FAILED: verdicts differ from ${r.program.sameAs} on ${differ.join(', ')}`;
		}
		if (verdict !== 'ok') failures++;
		console.log(`  hostile ${r.program.id.padEnd(44)} ${(r.program.code.length / 1000).toFixed(0).padStart(5)} kB ${r.ms.toFixed(0).padStart(6)} ms  ${summary}  ${verdict}`);
	}
	// flag rate per CWE on the Python standard library (and on the other sources, for scale)
	for (const source of ['python-stdlib', 'c-source', 'c-header'] as const) {
		const own = rows.filter((r) => r.program.source === source);
		if (!own.length) continue;
		const cwes = own[0].verdicts.map((v) => v.cwe);
		const rate = cwes.map((cwe, k) => {
			const judged = own.filter((r) => r.verdicts[k]?.outcome !== 'error');
			const flagged = judged.filter((r) => r.verdicts[k].outcome === 'vulnerable');
			return { cwe, k, n: judged.length, flagged };
		});
		console.log(`  flag rate on ${source} (${own.length} programs: files and functions): ${rate.map((r) => `${r.cwe} ${pct(r.flagged.length, r.n)}%`).join(', ')}`);
		const top = [...rate].sort((a, b) => b.flagged.length - a.flagged.length).filter((r) => r.flagged.length && (!flagsOf || r.cwe === flagsOf));
		for (const r of top.slice(0, flagsOf ? 1 : 3)) {
			const rules = new Map<string, number>();
			for (const x of r.flagged) rules.set(x.verdicts[r.k].detail.replace(/@\d+$/, ''), (rules.get(x.verdicts[r.k].detail.replace(/@\d+$/, '')) ?? 0) + 1);
			console.log(`    ${r.cwe}: ${r.flagged.length} flagged, by first rule: ${[...rules].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ×${n}`).join(', ')}`);
			for (const x of spread(r.flagged, flagsOf ? 20 : SHOW)) {
				const [, line] = /@(\d+)$/.exec(x.verdicts[r.k].detail) ?? [];
				const text = line ? x.program.code.split('\n')[Number(line) - 1]?.trim().slice(0, 110) : '';
				console.log(`      ${x.program.id.replace(/^\/usr\/lib\//, '')} ${x.verdicts[r.k].detail}: ${text}`);
			}
		}
	}
}
console.log(`\njudges-wild: ${failures ? `${failures} FAILED (hangs, or hostile programs judged wrongly)` : 'no hang, every hostile program as expected'}`);
Deno.exit(failures ? 1 : 0);
