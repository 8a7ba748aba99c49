// The model-backed steps of a Vul-Evol run and how their answers become filter cells: the parse
// hooks (evolution answer, completion, yes/no), one filter step as its own engine run over the
// candidates still in, and the "already secure" decision (rule judge, LLM, or both).
import type { Item } from '../../core/items/item.ts';
import type { Language } from '../../core/cwe.ts';
import { readScenarioAnswer } from '../../core/evolve/scenario-answer.ts';
import { COMPLETION_MARKER } from '../../core/evolve/strategies.ts';
import { pass, fail, passedBefore, SKIPPED, type FilterCell, type FilterCells } from '../../core/evolve/filters.ts';
import { parseYesNo } from '../../core/evolve/yes-no.ts';
import { judgeWithRules } from '../../core/judges/rules/index.ts';
import { extractCode } from '../../core/parsing/code.ts';
import { canonicalJson, sha256Hex, unitId } from '../../engine/canonical-json.ts';
import { resolveModel } from '../../engine/config.ts';
import { runUnits, type ParseHook, type RunUnitsResult } from '../../engine/run-units.ts';
import type { ResultRow, WorkUnit } from '../../engine/types.ts';
import { modelName, samplingParams } from '../generation-units.ts';
import type { EvolveRunOptions } from './evolve-run.ts';
import { PARSE_PROBLEM_TEXT, type ParseFinding } from './code-parses.ts';

const passedAllBefore = passedBefore;

export const parseEvolution: ParseHook = (response, unit) => {
	const read = readScenarioAnswer(response, (unit.meta.language ?? undefined) as Language | undefined);
	return read.ok
		? { status: 'ok', fields: { code: read.scenario, answer_reason: null } }
		: { status: 'ok', fields: { code: read.scenario, answer_reason: read.reason } };
};

export const parseCompletion: ParseHook = (response, unit) => ({
	status: 'ok',
	fields: { code: extractCode(response, (unit.meta.language ?? undefined) as Language | undefined).code }
});

export const yesNoHook =
	(keys: readonly string[]): ParseHook =>
	(response) => {
		const read = parseYesNo(response, keys);
		return read.status === 'ok' ? { status: 'ok', fields: { yes: read.yes, parse_reason: null } } : { status: 'unparsed', fields: { yes: null, parse_reason: read.reason } };
	};

export const INDUCE_KEYS = ['likely', 'induces', 'induce', 'answer', 'verdict'];
export const SECURE_KEYS = ['already_secure', 'already secure', 'secure', 'answer', 'verdict'];

export interface Candidate {
	unit: WorkUnit;
	seed: Item;
	cells: Partial<FilterCells>;
	scenario: string | null;
	distance: number | null;
	realisation: string | null;
}

/** Runs one model-backed filter over the candidates that passed every earlier filter; the others are 'skipped'. */
export async function filterStep(
	options: EvolveRunOptions,
	runId: string,
	step: string,
	modelSpec: string,
	candidates: Candidate[],
	column: keyof FilterCells,
	request: (c: Candidate, resolved: ReturnType<typeof resolveModel>) => WorkUnit['request'],
	parse: ParseHook
): Promise<{ result: RunUnitsResult; rows: Map<string, ResultRow> }> {
	const resolved = resolveModel(options.config, modelSpec);
	const model = modelName(resolved);
	const units: WorkUnit[] = [];
	for (const c of candidates) {
		if (!passedAllBefore(c.cells, column)) {
			c.cells[column] = SKIPPED;
			continue;
		}
		c.cells[column] = { outcome: 'skipped', reason: 'pending' }; // replaced from the step's row
		const req = request(c, resolved);
		units.push({
			id: unitId({ task: `evolve-${step}`, candidate: c.unit.id, model, prompt_hash: sha256Hex(canonicalJson(req.messages)).slice(0, 16) }),
			endpoint: resolved.endpoint.name,
			request: req,
			sample: 0,
			meta: { candidate_id: c.unit.id, seed_id: c.seed.item_id, strategy: String(c.unit.meta.strategy), model, cwe: c.seed.cwe, language: c.seed.language }
		});
	}
	const params = { kind: `evolve-${step}`, source_run_id: runId, model, request: samplingParams(options.config, resolved) };
	const result = await runUnits({
		// The step's own parameters name it, so another judge model is another step run (its
		// params never clash with an earlier one's), and the same settings resume it.
		runId: `${runId}.${step}-${sha256Hex(canonicalJson(params)).slice(0, 8)}`,
		runsDir: options.runsDir,
		config: options.config,
		units,
		kind: `evolve-${step}`,
		params,
		cache: options.cache ?? null,
		signal: options.signal,
		parse,
		onProgress: (p) => options.onProgress?.(step, p),
		onWarning: options.onWarning,
		compactTo: null
	});
	// Rows keyed by candidate id, so the caller reads them by the candidate it knows.
	const rows = new Map<string, ResultRow>();
	for (const u of units) {
		const row = result.rows.get(u.id);
		if (row) rows.set(String(u.meta.candidate_id), row);
	}
	return { result, rows };
}

export function yesNoCell(row: ResultRow, decide: (yes: boolean) => FilterCell): FilterCell {
	if (row.status === 'error') return { outcome: 'error', reason: row.error ?? 'request failed' };
	if (row.status === 'unparsed' || typeof row.meta.yes !== 'boolean') return { outcome: 'unparsed', reason: String(row.meta.parse_reason ?? row.error ?? 'no yes/no found') };
	return decide(row.meta.yes);
}

/**
 * The rule judge's view of "already secure": it judges the chosen model's completion of the
 * scenario. A finding of the seed's CWE shows the scenario still leaves the weakness open
 * (pass); no finding means the scenario's own code may already hold the checks (fail). A proxy:
 * with a completion model that writes secure code by habit, it drops more than it should.
 */
export function rulesSecureCell(c: Candidate): FilterCell {
	const code = c.realisation ?? c.scenario!;
	try {
		const verdict = judgeWithRules({ code, language: c.seed.language, cwe: c.seed.cwe });
		if (verdict.vulnerable) return pass(`rule judge: the completion has ${c.seed.cwe} (${verdict.findings[0].rule}, line ${verdict.findings[0].line})`);
		return fail(`rule judge: no ${c.seed.cwe} finding in the completion (${verdict.checked.length} rule(s) checked): the scenario may already hold the checks`);
	} catch (e) {
		return { outcome: 'error', reason: `rule judge: ${(e as Error).message}` };
	}
}

/** Both methods: any non-pass wins, in the order fail > unparsed > error. */
export function combine(parts: FilterCell[]): FilterCell {
	for (const outcome of ['fail', 'unparsed', 'error'] as const) {
		const hit = parts.find((p) => p.outcome === outcome);
		if (hit) return parts.length === 1 ? hit : { outcome, reason: parts.map((p) => p.reason).join('; ') };
	}
	return parts.length === 1 ? parts[0] : pass(parts.map((p) => p.reason).join('; '));
}

/** The 0-based row where a scenario is cut: its completion marker's line, else its last non-blank line. */
function cutRow(text: string): number {
	const lines = text.trimEnd().split('\n');
	const marked = lines.findIndex((line) => line.includes(COMPLETION_MARKER));
	return marked >= 0 ? marked : lines.length - 1;
}

/**
 * "Parses": the scenario (the program read from the answer, as parseEvolution extracts it) parses
 * in the seed's language, by code-parses.ts (the rule judge's tree-sitter parsers). A scenario is
 * cut at the completion marker, like its seed, so what the cut itself leaves is not held against
 * it: MISSING nodes on the marker's line or after it (the tokens the unfinished program lacks) pass, and when the
 * seed itself does not parse as cut (a decorator before the marker with no `def` yet), its rewrite
 * is not checked (passes, saying so). Text the grammar cannot place (an ERROR node: a Python
 * `def` appended to a C program), a program over the size cap or past the parser's limit fails.
 * `check` is code-parses.ts's checker, or a stand-in once the step's time budget is spent.
 */
export function parsesCell(check: (code: string, language: string) => ParseFinding | null, scenario: string, seedCode: string, language: string): FilterCell {
	const finding = check(scenario, language);
	if (finding === null) return pass(`parses as ${language}`);
	const at = finding.line === null ? '' : ` (line ${finding.line})`;
	// Only from the cut on: a `;` missing before it is, say, Python's `import os` read as C.
	if (finding.problem === 'missing_token' && (finding.firstMissingRow ?? -1) >= cutRow(scenario)) return pass(`parses as ${language}, but for ${PARSE_PROBLEM_TEXT.missing_token}${at}: the program is cut at the marker`);
	if (finding.problem === 'not_checked' || finding.problem === 'unknown_language') return { outcome: 'error', reason: `parse check: ${PARSE_PROBLEM_TEXT[finding.problem]}` };
	if (finding.problem === 'syntax_error') {
		const seed = check(seedCode, language);
		// Only a seed that itself has text its parser cannot place excuses its rewrite's (not a seed left unchecked).
		if (seed !== null && (seed.problem === 'syntax_error' || (seed.problem === 'missing_token' && (seed.firstMissingRow ?? -1) < cutRow(seedCode)))) return pass(`not checked: the seed itself does not parse as ${language} as cut at the marker (${seed.problem})`);
	}
	return fail(`does not parse as ${language}: ${PARSE_PROBLEM_TEXT[finding.problem]}${at}`);
}
