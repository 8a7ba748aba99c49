// The one shape of a judge. Every judge — an LLM with a template, the rule judge, the detection
// parsers, each static analyzer, the analyzer group, an ensemble — is a JudgeDescriptor in the
// registry (registry.ts): its name, what goes into its run ids, the targets it accepts, and how
// it executes. Descriptors are pure (the browser imports them); what needs Node — running a
// tool, calling an endpoint, writing a run — is done by runs/judge-run.ts per kind of
// execution, never per judge name.
import type { CweId } from '../core/cwe.ts';
import type { ModeDisagreement } from '../core/parsing/mode-disagreement.ts';
import type { JudgeStyle, Language, Task } from '../core/vocabulary.ts';
import type { AnalyzerTool } from './analyzers/types.ts';
import type { JudgeTarget } from './target.ts';

/** The sections of `covw judge --list`. */
export type JudgeFamily = 'offline' | 'analyzer' | 'llm' | 'ensemble';

/** The targets a judge judges; the others get no verdict row (they are counted, never scored). */
export interface JudgeTargets {
	languages: readonly Language[];
	cwes: readonly CweId[];
	/** Target kinds: the task of the generation (or item) a target comes from. */
	tasks: readonly Task[];
}

/** A row value (as the engine's MetaValue, plus booleans for verdicts). */
export type RowValue = string | number | boolean | null;

/** One verdict row of a direct judge, computed only when the run's log has no finished row for it. */
export interface VerdictUnit {
	id: string;
	sample: number;
	meta: Record<string, RowValue>;
	compute(): { status: 'ok' | 'error' | 'unparsed'; response: string | null; error: string | null; fields?: Record<string, RowValue> };
	/** The same row computed a step at a time (a generator yielding between passes), for a caller that gives the event loop turns in between (the rule judges). */
	computeSteps?(): Generator<void, ReturnType<VerdictUnit['compute']>>;
}

/** What a direct judge gets besides its targets: the source run and the unit-id hash (Node-side). */
export interface DirectContext {
	sourceRunId: string | null;
	unitId(key: Record<string, unknown>): string;
	/** The time one program may take (ms): the rule judge's limit (its default when absent). */
	timeLimitMs?: number;
}

/** How a judge executes. runs/judge-run.ts has one executor per `via`. */
export type JudgeExecution =
	/** In process, no endpoint: one or more rows per target (the rule judge, the parsers). */
	| {
			via: 'direct';
			/** May be async: a judge with a parser to load (the tree-sitter rules) loads it here. */
			units(targets: readonly JudgeTarget[], ctx: DirectContext): VerdictUnit[] | Promise<VerdictUnit[]>;
			report?(targets: readonly JudgeTarget[]): { modes?: ModeDisagreement };
	  }
	/** LLM requests through the engine (runs/judge-units.ts): retries, cache, cost. */
	| { via: 'engine' }
	/** An external analyzer over the code as files, never run (runs/analyzer-units.ts). */
	| { via: 'tool'; tool: AnalyzerTool }
	/** A name for several judges, each run as its own judge run ('analyzers'). */
	| { via: 'members' }
	/** Combines the verdicts of member judges (runs/ensemble-units.ts). */
	| { via: 'ensemble' };

export interface JudgeDescriptor {
	/** The registry key and, for judges named by one word, the name itself ('rules', 'bandit'). */
	name: string;
	/** How `--judge` names it: 'rules', 'endpoint/model', 'ensemble:any:<judge>+<judge>…'. */
	usage: string;
	family: JudgeFamily;
	/** One line for `covw judge --list`. */
	summary: string;
	accepts: JudgeTargets;
	/** What goes into its run ids (besides the source), in words: the list shows it. */
	identity: readonly string[];
	/** Fixed parameters of a direct judge that go into its run ids (e.g. the rule engine's version). */
	identityParams?: Readonly<Record<string, string>>;
	/** `--template` values; [] = the judge has none. */
	templates: readonly JudgeStyle[];
	/** Does `spec` name this judge? Default: spec === name. */
	matches?(spec: string): boolean;
	/** Why a spec this judge matches is not valid (null = valid), e.g. an ensemble of unknown
	 * judges; `find` looks other judges up in the registry, `unknown` says why a spec names none
	 * (e.g. "did you mean …"). */
	check?(spec: string, find: (spec: string) => JudgeDescriptor | null, unknown?: (spec: string) => string): string | null;
	/** The judges a composite judge ('analyzers', an ensemble) is made of, as specs. */
	members?(spec: string): readonly string[];
	/** Verdict rows per target (default 1; the parsers write one per mode). */
	rowsPerTarget?: number;
	execution: JudgeExecution;
}

/** Whether a judge can run here: able, partly able (with what it cannot see), or not (why). */
export interface JudgeAvailability {
	state: 'able' | 'partly' | 'unable';
	/** Version, path or endpoint details for the list. */
	detail?: string;
	/** Why it is unable, or what it cannot see when partly able. */
	reasons: string[];
}
