// Training-data export (the paper's SC-IFT and VD-IFT), read from what the workbench already
// has: judged generation runs, labelled sets (SVEN-style JSONL) and detection items. Every
// example passes the leakage check against the test items before anything is written.
//   SC-IFT: (task prompt, program) for each generation that every chosen judge run finds secure
//           (a verdict row with status ok and vulnerable false in each), optionally also the
//           annotators' majority (labels of the data folder), one per unique program; a program
//           some judge found vulnerable elsewhere (the same code in another unit or run) is
//           dropped, never taught as secure.
//   VD-IFT: (detection question about a program, answer from its label), one per unique program;
//           a program whose identical code carries contradicting labels is dropped, all copies.
// "Identical" is whitespace-insensitive (core/evolve/similarity.ts codeKey).
// A program that does not parse in its language (code-parses.ts: the rule judge's tree-sitter
// parsers) is never an example, whatever a judge said of it: excluded and counted by reason.
// Every example carries its provenance (run, unit, item, sample, source set, judge runs and their
// verdicts; a labelled record's file and line), written beside the training file — which keeps
// the format trainers read — as <file>.provenance.jsonl (one line per example, same order) and
// <file>.manifest.json (what was read, what was dropped and why, the leak check).
import { join } from 'node:path';
import { isCweId, tryNormalizeCweId, type CweId, type Language } from '../../core/cwe.ts';
import { buildLeakIndex, findLeak, type Leak } from '../../core/evolve/leakage.ts';
import { codeKey } from '../../core/evolve/similarity.ts';
import { detectionAnswer, detectionQuestion, fencedProgram, formatExample, type SftExample, type SftFormat } from '../../core/evolve/sft-format.ts';
import type { Item } from '../../core/items/item.ts';
import { buildTaskPrompt, type TemplateSet } from '../../core/prompts/build.ts';
import type { TemplateName } from '../../core/prompts/template-names.ts';
import { canonicalJson, sha256Hex } from '../../engine/canonical-json.ts';
import { MANIFEST_FILE, readManifest } from '../../engine/manifest.ts';
import { checkRunId } from '../../engine/run-id.ts';
import { readUserText } from '../../engine/atomic-file.ts';
import { latestRowPerUnit, LOG_FILE, readRunLog } from '../../engine/run-log.ts';
import type { ResultRow } from '../../engine/types.ts';
import { writeFileAtomic } from '../../node/coveval/items-arrow.ts';
import { PARSE_CHECK_BUDGET_MS, PARSE_PROBLEM_TEXT, PARSE_PROBLEMS, type ParseFinding, type ParseProblem } from './code-parses.ts';

export class ExportError extends Error {}

/** Where one example came from: one line of <file>.provenance.jsonl. */
export type Provenance = Record<string, unknown>;

/** An example with its provenance (formatExample writes only the example). */
export type TracedExample = SftExample & { provenance: Provenance };

/**
 * The set an item really belongs to: the benchmark's, or one of the user's own — an evolved set
 * (item ids completion/evolved-<name>/…) or covw self-correct's self-repairs (<completion item>/self-<n>),
 * also as written before those had set names of their own ("vul-evol", "repair").
 */
export function sourceSetOf(itemId: string, task: string, set: string | null): string | null {
	if (set === 'self-repair' || (task === 'repair' && /^completion\/.*\/self-[0-9]+$/.test(itemId))) return 'self-repair';
	const evolved = EVOLVED_ITEM.exec(itemId);
	if (evolved) return `evolved-${evolved[1]}`;
	return set;
}

const TEMPLATE_OF: Record<string, TemplateName> = { completion: 'code_completion', repair: 'vulnerability_repair' };

function runRows(runsDir: string, runId: string, kinds: string[]) {
	const dir = join(runsDir, checkRunId(runId));
	const manifest = readManifest(join(dir, MANIFEST_FILE));
	if (!manifest) throw new ExportError(`no run "${runId}" in ${runsDir} (no ${MANIFEST_FILE})`);
	if (!kinds.includes(manifest.kind)) throw new ExportError(`run "${runId}" is a ${manifest.kind} run; expected ${kinds.join(' or ')}`);
	return { manifest, rows: [...latestRowPerUnit(readRunLog(join(dir, LOG_FILE)).rows).values()] };
}

/** The item id prefix of an evolved set's items (evolved-set.ts evolvedItems): completion/evolved-<name>/… */
const EVOLVED_ITEM = /^completion\/evolved-([^/]+)\//;

/**
 * The items the generation runs were made from, as their rows name them: the evolved sets
 * (`covw run … --evolved <name>` gives items completion/evolved-<name>/…), and whether any row
 * names an item of no evolved set (the benchmark's, or an --items-file's).
 */
export function itemSourcesOfRuns(runsDir: string, runIds: readonly string[]): { evolvedSets: string[]; otherItems: boolean } {
	const sets = new Set<string>();
	let otherItems = false;
	for (const runId of runIds) {
		for (const row of runRows(runsDir, runId, ['generation']).rows) {
			const m = EVOLVED_ITEM.exec(String(row.meta.item_id ?? ''));
			if (m) sets.add(m[1]);
			else otherItems = true;
		}
	}
	return { evolvedSets: [...sets].sort(), otherItems };
}

export interface ScIftReport {
	generations: number;
	/** Every chosen judge found the program secure. */
	secure: number;
	/** Some judge found it vulnerable. */
	vulnerable: number;
	/** Some judge has no usable verdict for it (missing, unparsed, error). */
	undecided: number;
	duplicates: number;
	/** Secure by every judge here, but the same code was found vulnerable in another unit or run: dropped. */
	contradicting: number;
	/** With human labels required: secure by the judges, but the annotators' majority does not say secure (or there is none). */
	noHumanAgreement: number;
}

export function scIftExamples(options: {
	runsDir: string;
	/** Completion or repair runs (one or several models); programs are deduplicated across them. */
	generationRunIds: readonly string[];
	/** Judge runs of those runs; each generation run needs at least one, and all of its must agree. */
	judgeRunIds: readonly string[];
	items: readonly Item[];
	templates: TemplateSet;
	/** Also require the annotators' majority vote (per generation unit id) to be 'not_vulnerable'. */
	humanDecision?: (unitId: string) => string | null;
}): { examples: TracedExample[]; report: ScIftReport } {
	if (options.generationRunIds.length === 0) throw new ExportError('SC-IFT needs at least one generation run (--run)');
	if (options.judgeRunIds.length === 0) throw new ExportError('SC-IFT needs at least one judge run (--judges)');
	const judgesOf = new Map<string, { runId: string; judge: string | null; template: string | null; byTarget: Map<string, ResultRow> }[]>();
	for (const id of options.judgeRunIds) {
		const judged = runRows(options.runsDir, id, ['judge']);
		const recorded = (judged.manifest.params.source as { run?: string } | undefined)?.run ?? judged.rows.find((r) => r.meta.source_run_id)?.meta.source_run_id;
		const source = recorded === undefined || recorded === null ? null : String(recorded);
		if (source === null || !options.generationRunIds.includes(source)) {
			throw new ExportError(`judge run "${id}" judged ${source === null ? 'items, not a generation run' : `run "${source}"`}, which is not among --run ${options.generationRunIds.join(', ')}`);
		}
		const byTarget = new Map<string, ResultRow>();
		for (const r of judged.rows) byTarget.set(String(r.meta.target_id), r);
		const p = judged.manifest.params as { judge?: unknown; template?: unknown };
		const info = { runId: id, judge: p.judge === undefined ? null : String(p.judge), template: p.template === undefined || p.template === null ? null : String(p.template), byTarget };
		judgesOf.set(source, [...(judgesOf.get(source) ?? []), info]);
	}
	const itemById = new Map(options.items.map((i) => [i.item_id, i]));
	const report: ScIftReport = { generations: 0, secure: 0, vulnerable: 0, undecided: 0, duplicates: 0, contradicting: 0, noHumanAgreement: 0 };
	const seen = new Set<string>();
	// Codes some judge found vulnerable, in any unit of any run: the same program is never an example.
	const foundVulnerable = new Set<string>();
	const candidates: { key: string; example: TracedExample }[] = [];
	for (const runId of options.generationRunIds) {
		const gen = runRows(options.runsDir, runId, ['generation']);
		const task = String(gen.manifest.params.task);
		const templateName = TEMPLATE_OF[task];
		if (!templateName) throw new ExportError(`run "${runId}" is a ${task} run; SC-IFT reads completion or repair runs`);
		const recorded = (gen.manifest.params.prompt_template as { hash?: string } | undefined)?.hash;
		const hash = sha256Hex(canonicalJson(options.templates[templateName].parts)).slice(0, 16);
		if (recorded && recorded !== hash) {
			throw new ExportError(`run "${runId}" was prompted with another ${templateName} template (hash ${recorded}, the given one is ${hash}): give its folder with --templates`);
		}
		const verdicts = judgesOf.get(runId);
		if (!verdicts) throw new ExportError(`no judge run of run "${runId}" among --judges`);
		for (const row of gen.rows) {
			if (row.status !== 'ok' || typeof row.meta.code !== 'string' || row.meta.code.trim() === '') continue;
			report.generations++;
			const found = verdicts.map((v) => v.byTarget.get(row.unit_id));
			if (found.some((v) => v?.status === 'ok' && v.meta.vulnerable === true)) {
				report.vulnerable++;
				foundVulnerable.add(codeKey(row.meta.code, String(itemById.get(String(row.meta.item_id))?.language ?? row.meta.language ?? '')));
				continue;
			}
			if (!found.every((v) => v?.status === 'ok' && v.meta.vulnerable === false)) {
				report.undecided++;
				continue;
			}
			report.secure++;
			const human = options.humanDecision ? options.humanDecision(row.unit_id) : undefined;
			if (options.humanDecision && human !== 'not_vulnerable') {
				report.noHumanAgreement++;
				continue;
			}
			const code = row.meta.code;
			const item = itemById.get(String(row.meta.item_id));
			if (!item) throw new ExportError(`item ${row.meta.item_id} of run "${runId}" is not in the items table (give the one the run used with --items-file, or --evolved <set>)`);
			const itemId = String(row.meta.item_id);
			const provenance: Provenance = {
				id: `${runId}/${row.unit_id}`,
				kind: 'sc-ift',
				generation_run: runId,
				unit_id: row.unit_id,
				item_id: itemId,
				sample: row.sample,
				model: row.meta.model ?? gen.manifest.params.model ?? null,
				task,
				source_set: sourceSetOf(itemId, task, item.set),
				item_source: item.source,
				cwe: item.cwe,
				language: item.language,
				judges: verdicts.map((v, i) => ({ run: v.runId, judge: v.judge, template: v.template, status: found[i]!.status, verdict: 'secure' })),
				...(options.humanDecision ? { human_majority: human } : {})
			};
			candidates.push({
				key: codeKey(code, item.language),
				example: { id: `${runId}/${row.unit_id}`, kind: 'sc-ift', prompt: buildTaskPrompt(item, options.templates), response: fencedProgram(code, item.language), codes: [item.code, code], language: item.language, provenance }
			});
		}
	}
	const examples: TracedExample[] = [];
	for (const { key, example } of candidates) {
		if (foundVulnerable.has(key)) {
			report.contradicting++;
			continue;
		}
		if (seen.has(key)) {
			report.duplicates++;
			continue;
		}
		seen.add(key);
		examples.push(example);
	}
	return { examples, report };
}

export interface VdIftReport {
	records: number;
	/** Languages other than C and Python, or CWEs outside the 18. */
	unsupported: number;
	duplicates: number;
}

const SECURE_LABELS = new Set(['secure', 'non_vulnerable', 'safe', 'fixed']);

/** VD-IFT examples from a labelled JSONL file: id, code, language, cwe, label per line (SVEN's form). */
export function vdIftFromLabelled(path: string, report: VdIftReport = { records: 0, unsupported: 0, duplicates: 0 }): { examples: TracedExample[]; report: VdIftReport } {
	const examples: TracedExample[] = [];
	// A file the user named (--labelled): may be a pipe, read as a stream (size-capped); no FIFO wait otherwise.
	const lines = readUserText(path).split('\n');
	for (const [i, line] of lines.entries()) {
		if (line.trim() === '') continue;
		const at = `${path}: line ${i + 1}`;
		let record: Record<string, unknown>;
		try {
			record = JSON.parse(line);
		} catch (e) {
			throw new ExportError(`${at}: not JSON (${(e as Error).message})`);
		}
		for (const field of ['id', 'code', 'language', 'cwe', 'label']) {
			if (typeof record[field] !== 'string') throw new ExportError(`${at}: field "${field}" must be a string`);
		}
		report.records++;
		const label = String(record.label).toLowerCase();
		if (label !== 'vulnerable' && !SECURE_LABELS.has(label)) throw new ExportError(`${at}: field "label" is "${record.label}" (expected vulnerable or secure)`);
		const language = String(record.language).toLowerCase();
		const cwe = tryNormalizeCweId(String(record.cwe));
		if ((language !== 'c' && language !== 'python') || !cwe) {
			report.unsupported++;
			continue;
		}
		const provenance: Provenance = { id: `${record.id}`, kind: 'vd-ift', source: 'labelled', file: path, record_line: i + 1, record_id: record.id, label: record.label, cwe, language };
		examples.push(vdExample(`${record.id}`, String(record.code), language, label === 'vulnerable' ? cwe : null, provenance));
	}
	return { examples, report };
}

/** VD-IFT examples from detection items (their label_class is the answer). */
export function vdIftFromItems(items: readonly Item[]): TracedExample[] {
	return items
		.filter((i) => i.task === 'detection' && i.label_class !== null)
		.map((i) =>
			vdExample(i.item_id, i.code, i.language, i.label_class !== null && isCweId(i.label_class) ? i.label_class : null, {
				id: i.item_id, kind: 'vd-ift', source: 'items', item_id: i.item_id, source_set: i.set, item_source: i.source, label: i.label, label_class: i.label_class, cwe: i.cwe, language: i.language
			})
		);
}

function vdExample(id: string, code: string, language: Language, cwe: CweId | null, provenance: Provenance): TracedExample {
	return { id, kind: 'vd-ift', prompt: detectionQuestion(code, language), response: detectionAnswer(cwe), codes: [code], label: cwe ?? 'secure', language, provenance };
}

export interface DedupeReport {
	/** Repeats of an earlier program (same code, whitespace aside) with the same label: the first is kept. */
	duplicates: number;
	/** Programs whose identical code is labelled vulnerable in one place and secure in another: all dropped. */
	contradictingLabels: number;
	/** Programs whose identical code is labelled vulnerable to different CWEs (never secure): all dropped. */
	conflictingCwes: number;
}

/**
 * One example per program (whitespace-insensitive code): repeats with the same label are
 * dropped, keeping the first; a program whose copies carry different labels would teach the
 * same question two answers, so every copy is dropped and counted by reason.
 */
export function dedupeExamples<E extends SftExample>(examples: readonly E[]): { kept: E[] } & DedupeReport {
	const groups = new Map<string, E[]>();
	for (const e of examples) {
		const key = e.codes.map((c) => codeKey(c, e.language)).join('\u0000');
		const group = groups.get(key);
		if (group) group.push(e);
		else groups.set(key, [e]);
	}
	const report: DedupeReport = { duplicates: 0, contradictingLabels: 0, conflictingCwes: 0 };
	const kept: E[] = [];
	for (const group of groups.values()) {
		const labels = new Set(group.map((e) => e.label ?? e.response));
		if (labels.size === 1) {
			kept.push(group[0]);
			report.duplicates += group.length - 1;
		} else if (labels.has('secure')) report.contradictingLabels += group.length;
		else report.conflictingCwes += group.length;
	}
	// Map order is first-seen order: the kept examples keep the input's order.
	return { kept, ...report };
}

export interface LeakRow extends Leak {
	example_id: string;
}

/** Splits examples into those clear of every test item and those that repeat one. */
export function checkLeaks<E extends SftExample>(
	examples: readonly E[],
	testItems: readonly { item_id: string; code: string }[],
	threshold = 0.8
): { clean: E[]; leaks: LeakRow[] } {
	const index = buildLeakIndex(testItems.map((t) => ({ id: t.item_id, code: t.code })));
	const clean: E[] = [];
	const leaks: LeakRow[] = [];
	for (const e of examples) {
		const leak = findLeak(e.codes, index, threshold);
		if (leak) leaks.push({ example_id: e.id, ...leak });
		else clean.push(e);
	}
	return { clean, leaks };
}

export interface ParseExclusions {
	/** Excluded programs per reason (code-parses.ts ParseProblem). */
	byReason: Partial<Record<ParseProblem, number>>;
	/**
	 * Each excluded example: its index in the input, its id, where it came from when that is known
	 * (a labelled file and line: ids repeat across files), why, and the line of the first ERROR / MISSING node.
	 */
	excluded: { index: number; example_id: string; file?: string; record_line?: number; language: string | null; problem: ParseProblem; line: number | null }[];
}

export interface ParseCheckOptions {
	/** The whole check's time budget (ms); the examples after it are "not_checked". */
	budgetMs?: number;
	/** The clock (ms); performance.now by default. */
	now?: () => number;
}

/**
 * Drops every example whose program does not parse in its language: the program the example
 * teaches (SC-IFT's response) or asks about (VD-IFT) — the last of its codes; SC-IFT's first code
 * is the task's scenario, an unfinished program by design. Once `budgetMs` is spent, the rest are
 * excluded as "not_checked" (never assumed to parse).
 */
export function excludeUnparseable<E extends SftExample>(examples: readonly E[], check: (code: string, language: string) => ParseFinding | null, options: ParseCheckOptions = {}): { kept: E[] } & ParseExclusions {
	const now = options.now ?? (() => performance.now());
	const budget = options.budgetMs ?? PARSE_CHECK_BUDGET_MS;
	const start = now();
	const kept: E[] = [];
	const out: ParseExclusions = { byReason: {}, excluded: [] };
	for (const [index, e] of examples.entries()) {
		const finding: ParseFinding | null = now() - start > budget ? { problem: 'not_checked', line: null } : check(e.codes[e.codes.length - 1] ?? '', e.language ?? '');
		if (!finding) {
			kept.push(e);
			continue;
		}
		out.byReason[finding.problem] = (out.byReason[finding.problem] ?? 0) + 1;
		const prov = (e as { provenance?: Provenance }).provenance;
		const at = prov && typeof prov.file === 'string' && typeof prov.record_line === 'number' ? { file: prov.file, record_line: prov.record_line } : {};
		out.excluded.push({ index, example_id: e.id, ...at, language: e.language ?? null, problem: finding.problem, line: finding.line });
	}
	return { kept, ...out };
}

/** "2 with text the parser could not place …; 1 with a token missing …" (empty: none). */
export function parseExclusionText(byReason: ParseExclusions['byReason']): string[] {
	return PARSE_PROBLEMS.filter((p) => byReason[p]).map((p) => `${byReason[p]} ${PARSE_PROBLEM_TEXT[p]}`);
}

/** The sidecar files of a training file: one provenance line per example, and the manifest. */
export function sidecarPaths(path: string): { provenance: string; manifest: string } {
	return { provenance: `${path}.provenance.jsonl`, manifest: `${path}.manifest.json` };
}

/**
 * Writes the training file (only the examples, in `format`) and beside it <file>.provenance.jsonl
 * (each example's provenance, in the same order, with its line number in the training file) and
 * <file>.manifest.json (`manifest`: what was read, dropped and why, the leak check). The sidecars
 * are written first, so a training file never stands without them.
 */
export async function writeSft(path: string, examples: readonly TracedExample[], format: SftFormat, manifest: Record<string, unknown>): Promise<{ provenance: string; manifest: string }> {
	const side = sidecarPaths(path);
	const lines = examples.map((e, i) => JSON.stringify({ line: i + 1, ...e.provenance }));
	await writeFileAtomic(side.provenance, lines.join('\n') + (lines.length ? '\n' : ''));
	await writeFileAtomic(side.manifest, JSON.stringify({ file: path, format, examples: examples.length, provenance: side.provenance, ...manifest }, null, 1) + '\n');
	await writeFileAtomic(path, examples.map((e) => formatExample(e, format)).join('\n') + (examples.length ? '\n' : ''));
	return side;
}
