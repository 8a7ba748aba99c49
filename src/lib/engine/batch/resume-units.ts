// The units `covw batch resume` reads back from a run folder's batch/units.jsonl, checked
// against the run's manifest before anything is sent: the folder may come from someone else,
// and a planted line (another model, max_tokens 100000, any prompt) would be submitted with the
// user's key. Every unit must be one the run's own command builds: its model and request
// parameters those of manifest.params (model or judge "endpoint/model", request), its id the one
// derived from its content as runs/generation-units.ts and runs/judge-units.ts derive it, ids
// unique, and no more units than the manifest counts. A unit that fails is refused by file and
// line; nothing is sent and the manifest is left as it was. `covw batch export` and `covw batch
// import` (vLLM) check the same way (`outcome`: what the refusal says, "not exported"…): an
// import takes answers only for the units that pass.
import { canonicalJson, sha256Hex, unitId } from '../canonical-json.ts';
import type { Manifest } from '../manifest.ts';
import type { WorkUnit } from '../types.ts';

/** The id a generation unit's content derives (runs/generation-units.ts). */
export function generationUnitId(u: WorkUnit, model: string): string {
	const { messages, model: _m, ...sampling } = u.request;
	return unitId({ task: u.meta.task, item_id: u.meta.item_id, model, params: sampling, prompt_hash: sha256Hex(canonicalJson(messages)).slice(0, 16), sample: u.sample });
}

/** The id an LLM judge unit's content derives (runs/judge-units.ts). */
export function judgeUnitId(u: WorkUnit, judge: string, template: unknown): string {
	const { messages, ...params } = u.request;
	return unitId({ judge, template, target_id: u.meta.target_id, params, prompt_hash: sha256Hex(canonicalJson(messages)).slice(0, 16) });
}

/** Throws an Error naming `file`, the line and what is wrong, unless every unit is one of this run's (see the header). `outcome` ends the message. */
export function checkResumeUnits(units: readonly WorkUnit[], manifest: Pick<Manifest, 'kind' | 'params' | 'counts'>, file: string, outcome = 'not resumed'): void {
	const p = manifest.params;
	const name = manifest.kind === 'generation' ? p.model : manifest.kind === 'judge' ? p.judge : undefined;
	const field = manifest.kind === 'generation' ? 'model' : 'judge';
	if (typeof name !== 'string' || typeof p.request !== 'object' || p.request === null) {
		throw new Error(`${file}: the run's manifest names no ${field} and request parameters to check its units against: ${outcome}`);
	}
	const request = canonicalJson(p.request);
	const seen = new Set<string>();
	units.forEach((u, i) => {
		const bad = (what: string) => new Error(`${file}:${i + 1}: ${what}: ${outcome} (a run's unit list is written by the command that started it; restart the run with that command)`);
		if (typeof u !== 'object' || u === null || typeof u.id !== 'string' || typeof u.endpoint !== 'string' || typeof u.request !== 'object' || u.request === null || typeof u.meta !== 'object' || u.meta === null || !Number.isInteger(u.sample)) {
			throw bad('not a unit (id, endpoint, request, sample, meta)');
		}
		if (!Array.isArray(u.request.messages)) throw bad('its request has no messages');
		if (seen.has(u.id)) throw bad(`unit ${u.id} is listed twice`);
		seen.add(u.id);
		const model = `${u.endpoint}/${String(u.request.model)}`;
		if (model !== name) throw bad(`its model "${model.slice(0, 120)}" is not the run's ${field} "${name}"`);
		const { messages: _messages, model: _model, ...rest } = u.request;
		if (canonicalJson(rest) !== request) throw bad(`its request parameters ${canonicalJson(rest).slice(0, 200)} are not the run's ${request.slice(0, 200)}`);
		const id = manifest.kind === 'generation' ? generationUnitId(u, name) : judgeUnitId(u, name, p.template);
		if (id !== u.id) throw bad(`its id ${String(u.id).slice(0, 40)} is not the one its content derives (${id})`);
	});
	const total = manifest.counts?.total;
	if (typeof total === 'number' && units.length > total) throw new Error(`${file}: ${units.length} units, more than the ${total} the run's manifest counts: ${outcome}`);
}
