// A run cell's spec from a request body (`{ spec }`): the same validation as the notebook's;
// a bad spec is a 400 naming what is wrong.
import { parseRunSpec, type RunSpec } from '../notebook/run-spec.ts';
import { BadRequest, readJsonObject } from './http.ts';

export async function specFrom(request: Request): Promise<RunSpec> {
	const body = await readJsonObject(request, { what: 'run request' });
	if (body.spec === undefined) throw new BadRequest('field "spec" is missing: expected the run cell\'s spec object');
	const { spec, errors } = parseRunSpec(JSON.stringify(body.spec));
	if (!spec) throw new BadRequest(`field "spec": ${errors.map((e) => e.message).join('; ')}`);
	return spec;
}
