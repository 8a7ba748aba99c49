// bin/permissions.js for batch runs and replicas: every replica's host is reachable; `covw batch
// export` may write the runs folder and its --vllm file, `import` the runs folder, `status` nothing.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { endpointHosts, permissionsFor } from '../../../bin/permissions.js';
import { tempDir } from '../../support/engine-fixtures.ts';

const dir = tempDir('covw-perm-batch-');
afterAll(() => dir.remove());

describe('permissions for replicas and batch commands', () => {
	it('grants the network to every replica of an endpoint', () => {
		writeFileSync(join(dir.path, 'covw.config.json'), JSON.stringify({ endpoints: { v: { replicas: ['http://10.0.0.1:8000/v1', 'http://10.0.0.2:8001/v1'], models: { m: {} } } } }));
		expect(endpointHosts(['run'], { cwd: dir.path })).toEqual(['10.0.0.1:8000', '10.0.0.2:8001']);
	});

	it('lets batch export write the runs folder and the --vllm file, and status write nothing', () => {
		const env = { COVW_RUNS: join(dir.path, 'runs') };
		const exp: string[] = permissionsFor(['batch', 'export', 'r1', '--vllm', 'out.jsonl'], { root: dir.path, cwd: dir.path, env });
		const write = exp.find((f) => f.startsWith('--allow-write='))!;
		expect(write.split('=')[1].split(',')).toEqual([join(dir.path, 'runs'), join(dir.path, 'out.jsonl')]);
		const imp: string[] = permissionsFor(['batch', 'import', 'r1', 'x.jsonl'], { root: dir.path, cwd: dir.path, env });
		expect(imp.find((f) => f.startsWith('--allow-write='))).toBe(`--allow-write=${join(dir.path, 'runs')}`);
		const status: string[] = permissionsFor(['batch', 'status', 'r1'], { root: dir.path, cwd: dir.path, env });
		expect(status.some((f) => f.startsWith('--allow-write') || f.startsWith('--allow-net'))).toBe(false);
	});

	it('lets batch resume reach the endpoints and write the runs and cache folders, as covw run … --batch', () => {
		const env = { COVW_RUNS: join(dir.path, 'runs'), COVW_CACHE: join(dir.path, 'cache') };
		const resume: string[] = permissionsFor(['batch', 'resume', 'r1'], { root: dir.path, cwd: dir.path, env });
		const run: string[] = permissionsFor(['run', 'completion', '--batch'], { root: dir.path, cwd: dir.path, env });
		expect(resume.find((f) => f.startsWith('--allow-net='))).toBe(run.find((f) => f.startsWith('--allow-net=')));
		expect(resume.find((f) => f.startsWith('--allow-write='))).toBe(`--allow-write=${join(dir.path, 'runs')},${join(dir.path, 'cache')}`);
	});
});
