// The run routes' spec for self-detection / self-repair: the cell's spec plus the `source` the
// notebook resolved its "from" to. A missing or unusable source is a 400 naming the field.
import { describe, expect, it } from 'vitest';
import { answer } from '../../../../src/lib/server/http.ts';
import { specFrom } from '../../../../src/lib/server/run-request.ts';

const post = (body: unknown) => new Request('http://127.0.0.1:5178/api/runs', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const source = { task: 'completion', model: 'local/m', judge: 'rules' };

async function message(body: unknown): Promise<[number, string]> {
	const response = await answer(async () => specFrom(post(body)).then(() => new Response('unreachable')));
	return [response.status, (await response.json()).message];
}

describe('run request specs', () => {
	it('takes a self-repair spec with its source cell`s spec', async () => {
		expect(await specFrom(post({ spec: { task: 'self-repair', from: 'gen', judge: 'rules', source } }))).toEqual({ task: 'self-repair', from: 'gen', judge: 'rules', source });
		expect(await specFrom(post({ spec: { task: 'evolve', model: 'local/m', strategies: ['reasoning'] } }))).toEqual({ task: 'evolve', model: 'local/m', strategies: ['reasoning'] });
	});

	it('answers 400 naming what is wrong', async () => {
		expect(await message({ spec: { task: 'self-detection', from: 'gen' } })).toEqual([400, 'field "spec": "source": the spec of run cell "gen" is needed (the notebook fills it in)']);
		expect(await message({ spec: { task: 'self-detection', from: 'gen', source: { task: 'completion', model: 'local/m' } } })).toEqual([
			400,
			'field "spec": "source": run cell "gen" has no "judge": its judge run is the reference the model is scored against; add "judge" to it'
		]);
		expect(await message({ spec: { task: 'self-repair', from: 'gen', source: { task: 'completion' } } })).toEqual([400, 'field "spec": "source": "model" must name a model, e.g. "endpoint/model"']);
		expect(await message({ spec: { task: 'evolve', model: 'local/m', n: 1000 } })).toEqual([400, 'field "spec": "n" must be an integer from 1 to 100']);
	});
});
