// The run routes' side of a request: a run cell's spec from the body (`{ spec }`, the same
// validation as the notebook's, with the `source` a self-detection / self-repair cell resolved
// its "from" to; a bad spec is a 400 naming what is wrong), and a live run's
// state as the browser may see it (its error and warnings without the server's absolute paths).
import type { JsonValue } from '../core/json/parse.ts';
import { parseResolvedRunSpec, type RunSpec } from '../notebook/run-spec.ts';
import { BadRequest, publicMessage, readJsonObject } from './http.ts';
import type { RunEvent } from './runs/run-manager.ts';

export async function specFrom(request: Request): Promise<RunSpec> {
	const body = await readJsonObject(request, { what: 'run request' });
	if (body.spec === undefined) throw new BadRequest('field "spec" is missing: expected the run cell\'s spec object');
	const { spec, errors } = parseResolvedRunSpec(body.spec as JsonValue);
	if (!spec) throw new BadRequest(`field "spec": ${errors.join('; ')}`);
	return spec;
}

/** A run's event for the browser: a failed write names its file relative to the runs folder. */
export function publicEvent<E extends RunEvent | null | undefined>(event: E): E {
	if (!event) return event;
	return { ...event, error: event.error === null ? null : publicMessage(event.error), warnings: event.warnings.map((w) => publicMessage(w)) };
}
