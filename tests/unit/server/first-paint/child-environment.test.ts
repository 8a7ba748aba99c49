// The first-paint child (Deno, running someone's notebook headless) gets what Deno and the
// folder rules read, never the server's API keys: it needs none, and a notebook is someone
// else's file. (SQL in it cannot read the environment today; the child should not hold keys
// if that ever changes.)
import { describe, expect, it } from 'vitest';
import { childEnvironment } from '../../../../src/lib/server/first-paint/first-paint-process.ts';

describe('the first-paint child environment', () => {
	it('keeps what Deno and the folders need and drops every key', () => {
		const env = childEnvironment({
			PATH: '/usr/bin',
			HOME: '/home/u',
			DENO_DIR: '/cache/deno',
			XDG_CACHE_HOME: '/cache',
			TMPDIR: '/tmp',
			LANG: 'C.UTF-8',
			COVW_DATA: '/data',
			COVW_RUNS: '/runs',
			OPENAI_API_KEY: 'sk-server-key-0123456789',
			OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
			MY_LLM_KEY: 'secret-one',
			AWS_SECRET_ACCESS_KEY: 'secret-two',
			DENO_AUTH_TOKENS: 'token@registry.example',
			GITHUB_TOKEN: 'ghp_x'
		});
		expect(env).toEqual({ PATH: '/usr/bin', HOME: '/home/u', DENO_DIR: '/cache/deno', XDG_CACHE_HOME: '/cache', TMPDIR: '/tmp', LANG: 'C.UTF-8', COVW_DATA: '/data', COVW_RUNS: '/runs', NO_COLOR: '1' });
	});
});
