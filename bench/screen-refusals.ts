// False refusals of the unjudgeable-code screen (core/judges/rules/screen.ts: screenProgram, the
// gate every offline judge passes first) on real labelled code: it must refuse none of SVEN
// (../shared/sven/train.jsonl, dev and held-out splits), the Pearce et al. programs, the CoV-Eval
// items (detection and repair inputs, completion scenarios, the train set) and the answers in the
// released CoV-Eval results (code pulled out as a judge run does: core/parsing/code.ts). Prints,
// per set, the programs screened, how many were refused and why (the first few named) — a
// refusal of a program whose own fence names another language (```python in a C scenario of the
// train set) is right, the others are false — and how
// many read as Python 2 (print statements, `except X, e:` …: the screen does not refuse them; see
// README judges section). Also, for information, how many of SVEN's C++ functions the screen
// refuses when handed in as C. Exits 1 when any set has a false refusal.
// Run: npx deno run --allow-read bench/screen-refusals.ts [--show N]

import { parsePearcePrograms } from '../src/lib/core/judges/rules/pearce-measure.ts';
import { screenProgram } from '../src/lib/core/judges/rules/screen.ts';
import { parseSven } from '../src/lib/judges/rules/sven-split.ts';
import { parseRecordFile } from '../src/lib/core/items/json-records.ts';
import { extractCode } from '../src/lib/core/parsing/code.ts';
import { blankStringsAndComments } from '../src/lib/core/judges/rules/language-fingerprints.ts';

const arg = (name: string) => {
	const i = Deno.args.indexOf(`--${name}`);
	return i >= 0 ? Deno.args[i + 1] : undefined;
};
const SHOW = Number(arg('show') ?? 5);
const here = new URL('.', import.meta.url).pathname;
const shared = `${here}../../shared`;
const read = (path: string) => {
	try {
		return Deno.readTextFileSync(path);
	} catch {
		return null;
	}
};

type Lang = 'c' | 'python';
interface Program {
	id: string;
	language: Lang;
	code: string;
	/** The data's own fence tag, when it names another language than `language` (```python in a C scenario): a refusal there is right. */
	otherTag?: string;
}
const sets: { name: string; programs: Program[] }[] = [];
const missing: string[] = [];

const sven = read(`${shared}/sven/train.jsonl`);
let svenCpp: Program[] = [];
if (sven === null) missing.push('SVEN (../shared/sven/train.jsonl)');
else {
	const all = parseSven(sven, 'train.jsonl');
	for (const split of ['dev', 'held-out']) sets.push({ name: `sven-${split}`, programs: all.filter((p) => p.split === split && p.language !== 'cpp').map((p) => ({ id: p.id, language: p.language as Lang, code: p.code })) });
	svenCpp = all.filter((p) => p.language === 'cpp').map((p) => ({ id: p.id, language: 'c', code: p.code }));
}
const pearce = read(`${shared}/coveval/pearce/dow_programs.jsonl`);
if (pearce === null) missing.push('Pearce (../shared/coveval/pearce/dow_programs.jsonl)');
else sets.push({ name: 'pearce', programs: parsePearcePrograms(pearce, 'dow_programs.jsonl').map((p) => ({ id: p.id, language: p.language, code: p.code })) });

const isLang = (x: unknown): x is Lang => x === 'c' || x === 'python';
/** Code as a prompt or answer holds it: the fenced block when there is one. */
const codeOf = (text: string, language: Lang) => (/^\s*(```|~~~)/m.test(text) ? extractCode(text, language) : { code: text, source: 'raw' as const });
const OWN_TAGS: Record<Lang, string[]> = { c: ['', 'c', 'h'], python: ['', 'python', 'py', 'python3'] };
/** The first fence's tag when it names another language. */
const otherTagOf = (text: string, language: Lang) => {
	const tag = /^\s*(?:```|~~~)[ \t]*([\w+#-]*)/.exec(text)?.[1].toLowerCase();
	return tag !== undefined && !OWN_TAGS[language].includes(tag) ? tag : undefined;
};
/** Program text → language, from the items (the released results name items by their text). */
const languageOfText = new Map<string, Lang>();
const ITEM_FILES = [
	['coveval-detection', 'cov-eval/detection_classification/detection_inputs.jsonl'],
	['coveval-repair', 'cov-eval/vulnerability_repair/repair_inputs.jsonl'],
	['coveval-completion-seed', 'cov-eval/code_completion/seed_scenarios.jsonl'],
	['coveval-completion-vulevol', 'cov-eval/code_completion/vulevol_scenarios.jsonl'],
	['coveval-train-set', 'cov-eval/train_set/train_scenarios.jsonl']
];
for (const [name, path] of ITEM_FILES) {
	const text = read(`${shared}/coveval/${path}`);
	if (text === null) {
		missing.push(`${name} (../shared/coveval/${path})`);
		continue;
	}
	const programs: Program[] = [];
	for (const { value } of parseRecordFile(text, path)) {
		if (!isLang(value.language) || typeof value.code !== 'string') continue;
		languageOfText.set(value.code, value.language);
		const { code, source } = codeOf(value.code, value.language);
		if (source !== 'none') programs.push({ id: String(value.id), language: value.language, code, otherTag: otherTagOf(value.code, value.language) });
	}
	sets.push({ name, programs });
}
const released = `${shared}/coveval/cov-eval/released_results`;
for (const task of ['code_completion', 'vulnerability_repair']) {
	let files: string[] = [];
	try {
		files = [...Deno.readDirSync(`${released}/${task}`)].map((e) => e.name).filter((n) => n.endsWith('.json') && !n.endsWith('_scores.json')).sort();
	} catch {
		missing.push(`released ${task} (${released}/${task})`);
	}
	for (const file of files) {
		const programs: Program[] = [];
		let unplaced = 0;
		for (const [k, { value }] of parseRecordFile(Deno.readTextFileSync(`${released}/${task}/${file}`), file).entries()) {
			if (typeof value.response !== 'string') continue;
			const id = String(value.source_code_id ?? '');
			const language = languageOfText.get(String(value.source_code)) ?? (/\.c$/.test(id) ? 'c' : /\.py$/.test(id) ? 'python' : null);
			if (!language) {
				unplaced++;
				continue;
			}
			const { code, source } = extractCode(value.response, language);
			if (source !== 'none') programs.push({ id: `${file}#${k + 1} ${id}`, language, code, otherTag: otherTagOf(value.response, language) });
		}
		if (unplaced) console.log(`screen-refusals: released ${task}/${file}: ${unplaced} answers of no known language left out`);
		sets.push({ name: `released-${task}/${file.replace(/\.json$/, '')}`, programs });
	}
}

/** Python 2 only: print statements, `except X, e:`, `exec "…"`, backquotes, `<>`, `raise E, "…"`. */
const PYTHON2 = /^[ \t]*print[ \t]+(>>|["'\w])(?![\w \t]*=)|^[ \t]*except[ \t]+[\w.]+[ \t]*,[ \t]*\w+[ \t]*:|^[ \t]*exec[ \t]+["'\w]|`[\w.]+`|[\w)][ \t]*<>[ \t]*[\w(]|^[ \t]*raise[ \t]+\w+[ \t]*,/m;

for (const m of missing) console.log(`screen-refusals: skipped ${m}: not found`);
console.log('refused: programs the screen refuses; of them tagged: those whose own fence names another language (```python in a C scenario: a right refusal);');
console.log('false: the others (the target is 0); python 2: Python programs with Python 2 syntax outside strings and comments (not refused)\n');
console.log(`${'set'.padEnd(50)} ${'programs'.padStart(8)} ${'refused'.padStart(8)} ${'tagged'.padStart(7)} ${'false'.padStart(6)} ${'python 2'.padStart(9)}`);
let falseTotal = 0;
const shown: string[] = [];
for (const set of sets) {
	const refused = set.programs.flatMap((p) => {
		const why = screenProgram(p.code, p.language);
		return why ? [{ p, why }] : [];
	});
	const wrong = refused.filter((r) => !r.p.otherTag);
	const py2 = set.programs.filter((p) => p.language === 'python' && PYTHON2.test(blankStringsAndComments(p.code, 'python')));
	falseTotal += wrong.length;
	console.log(`${set.name.padEnd(50)} ${String(set.programs.length).padStart(8)} ${String(refused.length).padStart(8)} ${String(refused.length - wrong.length).padStart(7)} ${String(wrong.length).padStart(6)} ${String(py2.length).padStart(9)}`);
	const tags = new Map<string, number>();
	for (const r of refused) if (r.p.otherTag) tags.set(r.p.otherTag, (tags.get(r.p.otherTag) ?? 0) + 1);
	if (tags.size) shown.push(`  ${set.name}: refused with another language's fence: ${[...tags].map(([t, n]) => `${n} \`\`\`${t}`).join(', ')}; e.g. ${refused.find((r) => r.p.otherTag)!.p.id}: ${refused.find((r) => r.p.otherTag)!.why}`);
	shown.push(...wrong.slice(0, SHOW).map((r) => `  ${set.name}: FALSE REFUSAL ${r.p.id} (${r.p.language}): ${r.why}`));
	shown.push(
		...py2.slice(0, SHOW).map((p) => {
			const blank = blankStringsAndComments(p.code, 'python');
			const m = PYTHON2.exec(blank)!;
			return `  ${set.name}: Python 2: ${p.id} line ${blank.slice(0, m.index).split('\n').length}: ${p.code.slice(m.index, m.index + m[0].length).trim()}`;
		})
	);
}
if (shown.length) console.log(shown.join('\n'));
if (svenCpp.length) {
	const cpp = svenCpp.filter((p) => screenProgram(p.code, 'c'));
	console.log(`\nfor information: SVEN's C++ functions handed in as C: ${cpp.length} of ${svenCpp.length} refused as another language (the others read as C to the screen)`);
}
console.log(`\nscreen-refusals: ${falseTotal} false refusal(s) in all — the target is 0`);
if (falseTotal > 0) Deno.exit(1);
