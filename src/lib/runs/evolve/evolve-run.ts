// A Vul-Evol synthesis run: seed scenarios × strategies × n through one endpoint, then the
// quality filters as recorded steps. Every step that calls a model is a run of its own on the
// engine (runUnits: concurrent, cached, resumable, errors as rows):
//   <id>            the evolution answers (kind 'evolve')
//   <id>.realise-<h>  a completion of each candidate by the chosen model (kind 'evolve-realise')
//   <id>.induce-<h>   the LLM check "likely to induce the seed's CWE" (kind 'evolve-induce')
//   <id>.secure-<h>   the LLM check "already secure" (kind 'evolve-secure'; --secure llm|both)
// (<h>: a hash of the step's own parameters — its model and sampling — so changing the judge
// model makes a new step run instead of clashing with the old one.)
// Before any of them, free: the scenario parses in its language (code-parses.ts), so a candidate
// that does not is never sent to a paid step.
// The filter table (<id>/filters.jsonl) has one row per candidate — never fewer — with a column
// and a reason per filter. Running the same command again resumes every step.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Item } from '../../core/items/item.ts';
import type { Language } from '../../core/cwe.ts';
import { DEFAULT_DIFFERS, FILTER_COLUMNS, type FilterColumn, differsFilter, fail, pass, passedBefore, realisableFilter, SKIPPED, accepted as isAccepted, type DiffersOptions, type FilterCell, type FilterCells } from '../../core/evolve/filters.ts';
import { type EvolveStrategy, type EvolveTemplateName } from '../../core/evolve/strategies.ts';
import { buildTaskPrompt, type TemplateSet } from '../../core/prompts/build.ts';
import { sha256Hex, canonicalJson, unitId } from '../../engine/canonical-json.ts';
import { chatRequestFor, resolveModel, type EngineConfig } from '../../engine/config.ts';
import type { ResponseCache } from '../../engine/response-cache.ts';
import { runUnits, type Progress, type RunUnitsResult } from '../../engine/run-units.ts';
import { RunSetupError } from '../../engine/run-errors.ts';
import type { ResultRow, WorkUnit } from '../../engine/types.ts';
import { checkedFolderUnder, writeFileAtomic } from '../../engine/atomic-file.ts';
import { itemsHash } from '../dataset-hash.ts';
import { modelName, samplingParams } from '../generation-units.ts';
import { derivedRunId } from '../run-ids.ts';
import { PARSE_CHECK_BUDGET_MS, parseChecker, type ParseFinding } from './code-parses.ts';
import { combine, filterStep, INDUCE_KEYS, parseCompletion, parseEvolution, parsesCell, rulesSecureCell, SECURE_KEYS, yesNoCell, yesNoHook, type Candidate } from './evolve-steps.ts';
import { renderEvolvePrompt, type EvolveTemplates } from './evolve-templates.ts';

export const FILTERS_FILE = 'filters.jsonl';
export type SecureMethod = 'rules' | 'llm' | 'both';

export interface EvolveRunOptions {
	runsDir: string;
	config: EngineConfig;
	/** The seed scenarios (completion items). */
	seeds: readonly Item[];
	strategies: readonly EvolveStrategy[];
	/** Scenarios per seed and strategy. */
	samples: number;
	/** The evolving model ("endpoint/model"). */
	model: string;
	/** Completes candidates for the realisable filter (and the rule judge); default: model. */
	realiseModel?: string;
	/** Answers the induce / secure prompts; default: model. */
	judgeModel?: string;
	secure?: SecureMethod;
	differs?: DiffersOptions;
	templates: EvolveTemplates;
	/** The completion prompt template (code_completion) for the realise step. */
	taskTemplates: TemplateSet;
	runId?: string;
	cache?: ResponseCache | null;
	signal?: AbortSignal;
	onProgress?: (step: string, p: Progress) => void;
	onWarning?: (message: string) => void;
	/** The parse step's time budget for all candidates (ms); default PARSE_CHECK_BUDGET_MS. */
	parseBudgetMs?: number;
}

/** One row of filters.jsonl: a candidate scenario with its lineage and every filter's outcome. */
export interface FilterRow {
	candidate_id: string;
	run_id: string;
	seed_id: string;
	seed_scenario: string;
	strategy: EvolveStrategy;
	sample: number;
	cwe: string;
	language: Language;
	model: string;
	seed_code: string;
	scenario: string | null;
	distance: number | null;
	seed_lines: number;
	scenario_lines: number | null;
	answer: FilterCell['outcome'];
	answer_reason: string;
	/** Absent in rows written before the parse step existed. */
	parses?: FilterCell['outcome'];
	parses_reason?: string;
	differs: FilterCell['outcome'];
	differs_reason: string;
	realisable: FilterCell['outcome'];
	realisable_reason: string;
	induces: FilterCell['outcome'];
	induces_reason: string;
	not_secure: FilterCell['outcome'];
	not_secure_reason: string;
	accepted: boolean;
}

export interface EvolveRunResult {
	runId: string;
	/** State of the evolution step; the filters only run once it completed. */
	state: RunUnitsResult['state'];
	steps: Record<string, RunUnitsResult>;
	rows: FilterRow[];
	filtersFile: string | null;
}

export class EvolveSetupError extends RunSetupError {}

const lines = (text: string) => text.split('\n').length;

export function evolveRunPlan(options: EvolveRunOptions) {
	if (options.seeds.length === 0) throw new EvolveSetupError('the seed set is empty: no scenario to evolve');
	if (options.strategies.length === 0) throw new EvolveSetupError('no strategy given');
	for (const s of options.seeds) {
		if (s.task !== 'completion') throw new EvolveSetupError(`seed ${s.item_id}: only completion scenarios can be evolved (task is ${s.task})`);
	}
	if (!Number.isInteger(options.samples) || options.samples < 1 || options.samples > 100) {
		throw new EvolveSetupError(`n must be an integer from 1 to 100, got ${options.samples}`);
	}
	const resolved = resolveModel(options.config, options.model);
	const templateHash = (name: EvolveTemplateName) => partsHash(options.templates[name]);
	const params = {
		kind: 'evolve',
		model: modelName(resolved),
		strategies: [...options.strategies],
		samples: options.samples,
		request: samplingParams(options.config, resolved),
		templates: { ...Object.fromEntries(options.strategies.map((s) => [s, templateHash(s)])), ...filterTemplates(options) },
		// What decides the filters is part of the run: its filters.jsonl is their outcome, so another
		// --secure, judge or realise model, differs threshold or filter template is another run (its answers come
		// from the cache). Each is named only when it is not the default, so the runs made before
		// they were named keep their ids.
		...filterChoices(options, resolved)
	};
	const runId = options.runId ?? derivedRunId('evolve', [modelName(resolved)], { ...params, seeds: itemsHash(options.seeds) });
	return { runId, resolved, params };
}

const partsHash = (template: { parts: unknown }) => sha256Hex(canonicalJson(template.parts)).slice(0, 16);

/**
 * The filter steps' templates evolve runs were made with before those were part of the run id:
 * the content hashes (as partsHash) of datasets/templates/evolve-induce.txt, evolve-secure.txt
 * and code_completion.txt (the realise step's prompt) at that time. A run with these names none
 * of them, so its id stays what it was; any other content is named. Keep these as they are
 * when the shipped files change: a run with the new text is then named, so it cannot resume
 * (or be resumed by) a run made with the old one.
 */
export const UNNAMED_FILTER_TEMPLATES = { induce: '9f05fd29055b5849', secure: '9b41a1e39e5d6399', realise: 'ef3b6cadabdcba08' } as const;

/** The filter steps' templates the run uses that are not UNNAMED_FILTER_TEMPLATES, by step, for its identity. */
function filterTemplates(options: EvolveRunOptions): Record<string, string> {
	const used: Record<keyof typeof UNNAMED_FILTER_TEMPLATES, string | null> = {
		induce: partsHash(options.templates.induce),
		secure: options.secure === 'llm' || options.secure === 'both' ? partsHash(options.templates.secure) : null,
		realise: partsHash(options.taskTemplates.code_completion)
	};
	return Object.fromEntries(Object.entries(used).filter(([step, hash]) => hash !== null && hash !== UNNAMED_FILTER_TEMPLATES[step as keyof typeof UNNAMED_FILTER_TEMPLATES])) as Record<string, string>;
}

/** The filters' settings that are not the defaults, for the run's identity. */
function filterChoices(options: EvolveRunOptions, resolved: ReturnType<typeof resolveModel>): Record<string, unknown> {
	const model = modelName(resolved);
	const other = (name: string | undefined) => (name === undefined ? null : modelName(resolveModel(options.config, name)));
	const realise = other(options.realiseModel);
	const judge = other(options.judgeModel);
	const differs = options.differs ?? DEFAULT_DIFFERS;
	return {
		...(options.secure && options.secure !== 'rules' ? { secure: options.secure } : {}),
		...(realise && realise !== model ? { realise_model: realise } : {}),
		...(judge && judge !== model ? { judge_model: judge } : {}),
		...(differs.minDistance !== DEFAULT_DIFFERS.minDistance || differs.duplicateSimilarity !== DEFAULT_DIFFERS.duplicateSimilarity ? { differs: { ...differs } } : {})
	};
}

export function evolveUnits(options: EvolveRunOptions): WorkUnit[] {
	const { resolved } = evolveRunPlan(options);
	const model = modelName(resolved);
	const sampling = samplingParams(options.config, resolved);
	const units: WorkUnit[] = [];
	for (const seed of options.seeds) {
		for (const strategy of options.strategies) {
			const prompt = renderEvolvePrompt(options.templates, strategy, { code: seed.code, language: seed.language, cwe: seed.cwe, strategy });
			const request = chatRequestFor(options.config, resolved, [{ role: 'user', content: prompt }]);
			const promptHash = sha256Hex(canonicalJson(request.messages)).slice(0, 16);
			for (let sample = 0; sample < options.samples; sample++) {
				units.push({
					id: unitId({ task: 'evolve', seed: seed.item_id, strategy, model, params: sampling, prompt_hash: promptHash, sample }),
					endpoint: resolved.endpoint.name,
					request,
					sample,
					meta: { seed_id: seed.item_id, strategy, model, prompt_hash: promptHash, cwe: seed.cwe, language: seed.language, scenario: seed.scenario }
				});
			}
		}
	}
	return units;
}

export async function runEvolve(options: EvolveRunOptions): Promise<EvolveRunResult> {
	const plan = evolveRunPlan(options);
	const units = evolveUnits(options);
	const seedById = new Map(options.seeds.map((s) => [s.item_id, s]));
	const common = {
		runsDir: options.runsDir,
		config: options.config,
		cache: options.cache ?? null,
		signal: options.signal,
		onWarning: options.onWarning
	};
	const steps: Record<string, RunUnitsResult> = {};
	const evolved = await runUnits({
		...common,
		runId: plan.runId,
		units,
		kind: 'evolve',
		params: plan.params,
		datasetHash: itemsHash(options.seeds),
		parse: parseEvolution,
		onProgress: (p) => options.onProgress?.('evolve', p),
		compactTo: 'generations.arrow'
	});
	steps.evolve = evolved;
	if (evolved.state !== 'completed') return { runId: plan.runId, state: evolved.state, steps, rows: [], filtersFile: null };

	// Step 0: the answer is a scenario (code with the completion marker).
	const candidates: Candidate[] = units.map((unit) => {
		const row = evolved.rows.get(unit.id);
		const seed = seedById.get(String(unit.meta.seed_id))!;
		let answer: FilterCell;
		let scenario: string | null = null;
		if (!row || row.status === 'error') answer = { outcome: 'error', reason: row?.error ?? 'no answer' };
		else if (row.meta.answer_reason) answer = fail(`${row.meta.answer_reason}: ${describeAnswerFailure(String(row.meta.answer_reason))}`);
		else {
			scenario = String(row.meta.code);
			answer = pass('a scenario with the completion marker');
		}
		return { unit, seed, cells: { answer }, scenario, distance: null, realisation: null };
	});

	// Step 1: the scenario parses in its language (free, before any paid step).
	const check = await parseChecker();
	const budget = options.parseBudgetMs ?? PARSE_CHECK_BUDGET_MS;
	const started = Date.now();
	const seedParse = new Map<string, ParseFinding | null>();
	const checkOnce = (code: string, language: string, seedId: string | null): ParseFinding | null => {
		if (seedId !== null && seedParse.has(seedId)) return seedParse.get(seedId)!;
		const found = Date.now() - started > budget ? { problem: 'not_checked' as const, line: null } : check(code, language);
		if (seedId !== null) seedParse.set(seedId, found);
		return found;
	};
	for (const c of candidates) {
		if (!passedAllBefore(c.cells, 'parses')) {
			c.cells.parses = SKIPPED;
			continue;
		}
		c.cells.parses = parsesCell((code, language) => checkOnce(code, language, code === c.seed.code ? c.seed.item_id : null), c.scenario!, c.seed.code, c.seed.language);
	}

	// Step 2: differs from the seed, and no near-duplicate of an earlier survivor.
	const differs = differsFilter(
		candidates.map((c) => ({ seed: c.seed.code, scenario: c.cells.parses?.outcome === 'pass' ? c.scenario : null, label: label(c) })),
		options.differs ?? DEFAULT_DIFFERS
	);
	differs.forEach((d, i) => {
		candidates[i].cells.differs = d.cell;
		candidates[i].distance = d.distance;
	});

	// Step 3: realisable — a completion by the chosen model adds code beyond the scenario.
	const realiseSpec = options.realiseModel ?? options.model;
	const realise = await filterStep(options, plan.runId, 'realise', realiseSpec, candidates, 'realisable', (c, resolved) => {
		// The whole scenario, as a completion run would give it (many seeds go on after the marker).
		const pseudo: Item = { ...c.seed, item_id: c.unit.id, code: c.scenario! };
		return chatRequestFor(options.config, resolved, [{ role: 'user', content: buildTaskPrompt(pseudo, options.taskTemplates) }]);
	}, parseCompletion);
	steps.realise = realise.result;
	if (realise.result.state !== 'completed') return partial(plan.runId, steps, realise.result.state);
	for (const c of candidates) {
		const row = realise.rows.get(c.unit.id);
		if (!row) continue; // skipped: an earlier filter did not pass
		if (row.status === 'error') c.cells.realisable = { outcome: 'error', reason: row.error ?? 'request failed' };
		else {
			c.realisation = row.meta.code === null ? null : String(row.meta.code);
			c.cells.realisable = realisableFilter(c.scenario!, c.realisation);
		}
	}

	// Step 4: likely to induce the seed's CWE (LLM, few-shot template).
	const judgeSpec = options.judgeModel ?? options.model;
	const induce = await filterStep(options, plan.runId, 'induce', judgeSpec, candidates, 'induces', (c, resolved) =>
		chatRequestFor(options.config, resolved, [{ role: 'user', content: renderEvolvePrompt(options.templates, 'induce', { code: c.scenario!, language: c.seed.language, cwe: c.seed.cwe }) }]),
		yesNoHook(INDUCE_KEYS)
	);
	steps.induce = induce.result;
	if (induce.result.state !== 'completed') return partial(plan.runId, steps, induce.result.state);
	for (const c of candidates) {
		const row = induce.rows.get(c.unit.id);
		if (!row) continue;
		c.cells.induces = yesNoCell(row, (yes) => (yes ? pass(`the judge finds ${c.seed.cwe} likely`) : fail(`the judge finds ${c.seed.cwe} unlikely`)));
	}

	// Step 5: not already secure — by the rule judge, an LLM, or both (either finding it secure drops it).
	const method = options.secure ?? 'rules';
	let llmSecure: Map<string, ResultRow> | null = null;
	if (method !== 'rules') {
		const secure = await filterStep(options, plan.runId, 'secure', judgeSpec, candidates, 'not_secure', (c, resolved) =>
			chatRequestFor(options.config, resolved, [{ role: 'user', content: renderEvolvePrompt(options.templates, 'secure', { code: c.scenario!, language: c.seed.language, cwe: c.seed.cwe }) }]),
			yesNoHook(SECURE_KEYS)
		);
		steps.secure = secure.result;
		if (secure.result.state !== 'completed') return partial(plan.runId, steps, secure.result.state);
		llmSecure = secure.rows;
	}
	for (const c of candidates) {
		if (!passedAllBefore(c.cells, 'not_secure')) {
			c.cells.not_secure = SKIPPED;
			continue;
		}
		const parts: FilterCell[] = [];
		if (method !== 'llm') parts.push(rulesSecureCell(c));
		if (llmSecure) parts.push(yesNoCell(llmSecure.get(c.unit.id)!, (yes) => (yes ? fail('the LLM judge finds the scenario already secure') : pass('the LLM judge finds the scenario not yet secure'))));
		c.cells.not_secure = combine(parts);
	}

	const rows = candidates.map((c) => filterRow(plan.runId, c));
	const filtersFile = join(options.runsDir, plan.runId, FILTERS_FILE);
	// Into the run folder as checked now (a real folder in the runs folder), never through a link.
	mkdirSync(join(options.runsDir, plan.runId), { recursive: true });
	writeFileAtomic(filtersFile, rows.map((r) => JSON.stringify(r)).join('\n') + '\n', { within: checkedFolderUnder(options.runsDir, plan.runId) });
	return { runId: plan.runId, state: 'completed', steps, rows, filtersFile };
}

function describeAnswerFailure(reason: string): string {
	if (reason === 'no_code') return 'the answer is prose with no code';
	if (reason === 'no_marker') return 'the scenario lost the completion marker';
	return 'the answer is empty';
}

function label(c: Candidate): string {
	return `${c.seed.item_id} ${c.unit.meta.strategy} #${c.unit.sample}`;
}

function partial(runId: string, steps: Record<string, RunUnitsResult>, state: RunUnitsResult['state']): EvolveRunResult {
	return { runId, state, steps, rows: [], filtersFile: null };
}

const passedAllBefore = passedBefore;

/** The filter columns a row records (rows written before the parse step have no `parses`). */
export function recordedFilters(r: FilterRow): { filter: FilterColumn; outcome: FilterCell['outcome']; reason: string }[] {
	return FILTER_COLUMNS.flatMap((c) => (r[c] === undefined ? [] : [{ filter: c, outcome: r[c]!, reason: String(r[`${c}_reason`]) }]));
}

function filterRow(runId: string, c: Candidate): FilterRow {
	const cells = c.cells as FilterCells;
	return {
		candidate_id: c.unit.id,
		run_id: runId,
		seed_id: c.seed.item_id,
		seed_scenario: c.seed.scenario,
		strategy: c.unit.meta.strategy as EvolveStrategy,
		sample: c.unit.sample,
		cwe: c.seed.cwe,
		language: c.seed.language,
		model: String(c.unit.meta.model),
		seed_code: c.seed.code,
		scenario: c.scenario,
		distance: c.distance,
		seed_lines: lines(c.seed.code),
		scenario_lines: c.scenario === null ? null : lines(c.scenario),
		answer: cells.answer.outcome,
		answer_reason: cells.answer.reason,
		parses: cells.parses.outcome,
		parses_reason: cells.parses.reason,
		differs: cells.differs.outcome,
		differs_reason: cells.differs.reason,
		realisable: cells.realisable.outcome,
		realisable_reason: cells.realisable.reason,
		induces: cells.induces.outcome,
		induces_reason: cells.induces.reason,
		not_secure: cells.not_secure.outcome,
		not_secure_reason: cells.not_secure.reason,
		accepted: isAccepted(cells)
	};
}
