// The Vul-Evol vocabulary: the four evolution strategies of the paper (§3.3), the filter
// prompts, the template file each reads (datasets/templates/evolve-*.txt, our own wording) and
// the slots each template must contain. Pure: the CLI, the runs and the notebook share it.

export const EVOLVE_STRATEGIES = ['constraints', 'specific', 'reasoning', 'complexity'] as const;
export type EvolveStrategy = (typeof EVOLVE_STRATEGIES)[number];

/** One line per strategy, for help texts and the notebook. */
export const STRATEGY_SUMMARY: Readonly<Record<EvolveStrategy, string>> = {
	constraints: 'add constraints and requirements',
	specific: 'replace a common requirement with a less common, more specific one',
	reasoning: 'add reasoning steps',
	complexity: 'demand higher time or space complexity'
};

/** The filter prompts an LLM answers. */
export const EVOLVE_FILTER_PROMPTS = ['induce', 'secure'] as const;
export type EvolveFilterPrompt = (typeof EVOLVE_FILTER_PROMPTS)[number];

export type EvolveTemplateName = EvolveStrategy | EvolveFilterPrompt;
export const EVOLVE_TEMPLATE_NAMES: readonly EvolveTemplateName[] = [...EVOLVE_STRATEGIES, ...EVOLVE_FILTER_PROMPTS];

export function evolveTemplateFile(name: EvolveTemplateName): string {
	return `evolve-${name}.txt`;
}

/** The marker a completion scenario must keep: where the model under test continues. */
export const COMPLETION_MARKER = '-copilot next line-';

/**
 * Slots each template must contain. A strategy rewrites `{code}` and must keep the marker,
 * which it names through `{marker}`; the filter prompts judge `{code}` for `{cwe_id}`.
 */
export const EVOLVE_REQUIRED_SLOTS: Readonly<Record<EvolveTemplateName, readonly string[]>> = {
	constraints: ['code', 'marker'],
	specific: ['code', 'marker'],
	reasoning: ['code', 'marker'],
	complexity: ['code', 'marker'],
	induce: ['code', 'cwe_id'],
	secure: ['code', 'cwe_id']
};

/** Slots on offer to every evolve template (a slot outside this list is an error naming it). */
export const EVOLVE_SLOTS = ['code', 'marker', 'language', 'cwe_id', 'cwe_name', 'cwe_description', 'strategy'] as const;

export function isEvolveStrategy(value: unknown): value is EvolveStrategy {
	return (EVOLVE_STRATEGIES as readonly unknown[]).includes(value);
}
