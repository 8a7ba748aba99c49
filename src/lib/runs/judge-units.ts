// Work units of an LLM judge run: one judge prompt per target (zero-shot, few-shot or direct),
// the few-shot demonstrations taken from the Pearce reference programs of the target's own
// scenario. Judges default to temperature 0 (a verdict should not be a dice roll) unless the
// model's config sets a temperature.
import type { Item } from '../core/items/item.ts';
import { buildJudgePrompt, type JudgeStyle, type TemplateSet } from '../core/prompts/build.ts';
import { pickFewShotExamples } from '../core/prompts/few-shot-examples.ts';
import { canonicalJson, sha256Hex, unitId } from '../engine/canonical-json.ts';
import { chatRequestFor, type EngineConfig, type ResolvedModel } from '../engine/config.ts';
import type { WorkUnit } from '../engine/types.ts';
import { modelName } from './generation-units.ts';
import { judgeResponseFormat } from './judge-schema.ts';
import type { JudgeTarget } from './judge-targets.ts';

export { JUDGE_STYLES } from '../core/vocabulary.ts';

export function judgeOverrides(resolved: ResolvedModel, style: JudgeStyle): Record<string, unknown> {
	const overrides: Record<string, unknown> = {};
	if (resolved.settings.params.temperature === undefined) overrides.temperature = 0;
	if (resolved.endpoint.structuredOutput) overrides.response_format = judgeResponseFormat(style);
	return overrides;
}

export function judgeUnits(options: {
	targets: readonly JudgeTarget[];
	config: EngineConfig;
	resolved: ResolvedModel;
	style: JudgeStyle;
	templates: TemplateSet;
	/** Pearce reference items (task 'reference'); needed by the few-shot style only. */
	reference: readonly Item[];
	sourceRunId: string | null;
}): WorkUnit[] {
	const { config, resolved, style } = options;
	const judge = modelName(resolved);
	const overrides = judgeOverrides(resolved, style);
	if (style === 'fewshot' && options.reference.length === 0) {
		throw new Error('the few-shot judge needs the Pearce reference programs (task "reference") in the items table');
	}
	return options.targets.map((t) => {
		const examples =
			style === 'fewshot'
				? (() => {
						let picked;
						try {
							picked = pickFewShotExamples(options.reference, { cwe: t.cwe, scenario: t.scenario, language: t.language }, t.code);
						} catch (e) {
							throw new Error(`few-shot judge of ${t.item_id}: ${(e as Error).message}`);
						}
						return { vulnerable: picked.vulnerable.code, nonVulnerable: picked.nonVulnerable.code };
					})()
				: undefined;
		const prompt = buildJudgePrompt({ style, cwe: t.cwe, code: t.code, language: t.language, examples }, options.templates);
		const request = chatRequestFor(config, resolved, [{ role: 'user', content: prompt }], overrides);
		const { messages, ...params } = request;
		const promptHash = sha256Hex(canonicalJson(messages)).slice(0, 16);
		return {
			id: unitId({ judge, template: style, target_id: t.target_id, params, prompt_hash: promptHash }),
			endpoint: resolved.endpoint.name,
			request,
			sample: t.sample,
			meta: {
				target_id: t.target_id,
				item_id: t.item_id,
				model: t.model,
				judge,
				template: style,
				task: t.task,
				cwe: t.cwe,
				language: t.language,
				prompt_hash: promptHash,
				source_run_id: options.sourceRunId,
				label: t.label,
				label_class: t.label_class,
				scenario: t.scenario,
				predicted_cwe: null
			}
		};
	});
}
