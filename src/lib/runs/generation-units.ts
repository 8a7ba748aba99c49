// Work units of a generation run: one per (item, sample), each asking the model the task
// prompt built from the item and the template folder. Meta carries the item's task, set, CWE,
// language and labels into every row, so the generations table needs no join to be useful.
import type { Item } from '../core/items/item.ts';
import { buildTaskPrompt, type TemplateSet } from '../core/prompts/build.ts';
import { canonicalJson, sha256Hex, unitId } from '../engine/canonical-json.ts';
import { chatRequestFor, type EngineConfig, type ResolvedModel } from '../engine/config.ts';
import type { WorkUnit } from '../engine/types.ts';

export { GENERATION_TASKS, type GenerationTask } from '../core/vocabulary.ts';

/** "endpoint/model": how rows and run ids name a model (the same name on two endpoints differs). */
export function modelName(resolved: ResolvedModel): string {
	return `${resolved.endpoint.name}/${resolved.model}`;
}

/** The request fields other than the messages: what, besides the prompt, shapes an answer. */
export function samplingParams(config: EngineConfig, resolved: ResolvedModel): Record<string, unknown> {
	const { messages: _messages, model: _model, ...rest } = chatRequestFor(config, resolved, [{ role: 'user', content: '' }]);
	return rest;
}

export function generationUnits(options: {
	items: readonly Item[];
	config: EngineConfig;
	resolved: ResolvedModel;
	templates: TemplateSet;
	samples: number;
}): WorkUnit[] {
	const { config, resolved } = options;
	const model = modelName(resolved);
	const sampling = samplingParams(config, resolved);
	const units: WorkUnit[] = [];
	for (const item of options.items) {
		if (item.task === 'reference') throw new Error(`item ${item.item_id}: reference programs are judged, not generated from`);
		const prompt = buildTaskPrompt(item, options.templates);
		const request = chatRequestFor(config, resolved, [{ role: 'user', content: prompt }]);
		const promptHash = sha256Hex(canonicalJson(request.messages)).slice(0, 16);
		for (let sample = 0; sample < options.samples; sample++) {
			units.push({
				id: unitId({ task: item.task, item_id: item.item_id, model, params: sampling, prompt_hash: promptHash, sample }),
				endpoint: resolved.endpoint.name,
				request,
				sample,
				meta: {
					item_id: item.item_id,
					model,
					prompt_hash: promptHash,
					task: item.task,
					set: item.set,
					cwe: item.cwe,
					language: item.language,
					scenario: item.scenario,
					label: item.label,
					label_class: item.label_class
				}
			});
		}
	}
	return units;
}
