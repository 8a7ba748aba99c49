// Engine config: env defaults, the config file, errors that name file, line and field, model
// resolution and request building with the paper's sampling defaults.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { API_KEY_ENV_RULE, chatRequestFor, configFromEnv, ConfigError, isKeyVariableName, loadEngineConfig, parseEngineConfig, resolveModel } from '../../../src/lib/engine/config.ts';
import { firstSyntaxError } from '../../../src/lib/engine/json-source.ts';
import { runUnits } from '../../../src/lib/engine/run-units.ts';
import { tempDir } from '../../support/engine-fixtures.ts';

const file = 'covw.config.json';
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const valid = `{
  "defaults": { "max_tokens": 512, "system": "Be brief." },
  "endpoints": {
    "openai": {
      "baseURL": "https://api.example.test/v1",
      "apiKeyEnv": "EXAMPLE_API_KEY",
      "concurrency": 16,
      "models": {
        "big-model": { "params": { "temperature": 0.2 }, "prices": { "inputPer1M": 2, "outputPer1M": 8 } },
        "shared": {}
      }
    },
    "vllm": {
      "baseURL": "http://127.0.0.1:8000/v1",
      "stream": true,
      "models": { "meta/llama-x": { "system": null }, "shared": {} }
    }
  }
}
`;

describe('engine config', () => {
	it('defaults to one endpoint from OPENAI_BASE_URL / OPENAI_API_KEY that takes any model', () => {
		const c = configFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1/', OPENAI_API_KEY: 'sk-envkey-123456' });
		const e = c.endpoints.get('default')!;
		expect(e.baseURL).toBe('http://127.0.0.1:9/v1');
		expect(e.secretApiKey()).toBe('sk-envkey-123456');
		expect(resolveModel(c, 'anything').model).toBe('anything');
		expect(c.defaults).toMatchObject({ temperature: 0.6, top_p: 0.9, samples: 1 });
		expect(configFromEnv({ OPENAI_API_KEY: 'sk-envkey-123456' }).endpoints.get('default')!.baseURL).toBe('https://api.openai.com/v1');
	});

	it('with neither OPENAI_BASE_URL nor OPENAI_API_KEY names a model but may not call any endpoint', () => {
		const c = configFromEnv({});
		expect(resolveModel(c, 'gpt-4o').model).toBe('gpt-4o');
		const endpoint = c.endpoints.get('default')!;
		expect(() => endpoint.requireApiKey()).toThrow(/no endpoint is configured: set OPENAI_BASE_URL .* covw\.config\.json; nothing was sent/);
		expect(() => endpoint.secretApiKey()).toThrow(/no endpoint is configured/);
		expect(() => configFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' }).endpoints.get('default')!.requireApiKey()).not.toThrow();
		expect(() => configFromEnv({ OPENAI_API_KEY: 'sk-envkey-123456' }).endpoints.get('default')!.requireApiKey()).not.toThrow();
	});

	it('reads covw.config.json from the working folder when present', () => {
		const d = tempDir();
		try {
			writeFileSync(join(d.path, file), valid);
			const c = loadEngineConfig({ cwd: d.path, env: { EXAMPLE_API_KEY: 'k-1234567' } });
			expect([...c.endpoints.keys()]).toEqual(['openai', 'vllm']);
			expect(c.source).toBe(join(d.path, file));
			expect(loadEngineConfig({ cwd: join(d.path, 'nowhere'), env: {} }).source).toBe('environment');
		} finally {
			d.remove();
		}
	});

	it('parses endpoints, models, params, prices and defaults', () => {
		const c = parseEngineConfig(valid, file, { EXAMPLE_API_KEY: 'k-1234567' });
		const openai = c.endpoints.get('openai')!;
		expect(openai).toMatchObject({ concurrency: 16, timeoutMs: 120000, maxAttempts: 6, stream: false });
		expect(openai.models!['big-model'].prices).toEqual({ inputPer1M: 2, outputPer1M: 8 });
		expect(c.endpoints.get('vllm')!.secretApiKey()).toBeNull();
		expect(c.defaults).toEqual({ temperature: 0.6, top_p: 0.9, max_tokens: 512, system: 'Be brief.', samples: 1 });
	});

	it('resolves endpoint/model, unique names, and refuses ambiguous or unknown ones', () => {
		const c = parseEngineConfig(valid, file, { EXAMPLE_API_KEY: 'k-1234567' });
		expect(resolveModel(c, 'big-model').endpoint.name).toBe('openai');
		expect(resolveModel(c, 'vllm/meta/llama-x').model).toBe('meta/llama-x');
		expect(resolveModel(c, 'meta/llama-x').endpoint.name).toBe('vllm');
		expect(() => resolveModel(c, 'shared')).toThrow(/offered by endpoints openai, vllm/);
		expect(resolveModel(c, 'vllm/shared').endpoint.name).toBe('vllm');
		expect(() => resolveModel(c, 'nope')).toThrow(/no endpoint offers model "nope"/);
		// The error lists what exists, so a typo is fixed without opening the config.
		expect(() => resolveModel(c, 'nope')).toThrow(/models: openai\/big-model, .*openai\/shared/);
		expect(() => resolveModel(c, 'openai/bigmodel')).toThrow(/it offers big-model, /);
	});

	it('builds requests: defaults < model params < overrides; system prompt first', () => {
		const c = parseEngineConfig(valid, file, { EXAMPLE_API_KEY: 'k-1234567' });
		const msgs = [{ role: 'user' as const, content: 'hi' }];
		expect(chatRequestFor(c, resolveModel(c, 'big-model'), msgs)).toEqual({
			model: 'big-model',
			messages: [{ role: 'system', content: 'Be brief.' }, ...msgs],
			temperature: 0.2,
			top_p: 0.9,
			max_tokens: 512
		});
		const llama = chatRequestFor(c, resolveModel(c, 'meta/llama-x'), msgs, { max_tokens: 10 });
		expect(llama.messages).toEqual(msgs); // the model's system: null turns the run's off
		expect(llama).toMatchObject({ temperature: 0.6, max_tokens: 10 });
	});

	// Line numbers counted by hand in `valid` above (line 1 is the opening brace).
	const bad: [string, (t: string) => string, RegExp][] = [
		['wrong type', (t) => t.replace('"concurrency": 16', '"concurrency": "16"'), /^covw\.config\.json:7: endpoints\.openai\.concurrency: must be an integer$/],
		['out of range', (t) => t.replace('"temperature": 0.2', '"temperature": 7'), /^covw\.config\.json:9: endpoints\.openai\.models\.big-model\.params\.temperature: must be between 0 and 2$/],
		['unknown field', (t) => t.replace('"stream": true', '"streaming": true'), /^covw\.config\.json:15: endpoints\.vllm\.streaming: unknown field/],
		['bad URL', (t) => t.replace('http://127.0.0.1:8000/v1', 'ftp://x'), /^covw\.config\.json:14: endpoints\.vllm\.baseURL: must be an http/],
		['missing prices field', (t) => t.replace(', "outputPer1M": 8', ''), /^covw\.config\.json:9: endpoints\.openai\.models\.big-model\.prices\.outputPer1M: is required/],
		['trailing comma', (t) => t.replace('"shared": {}\n      }', '"shared": {},\n      }'), /^covw\.config\.json:11:\d+: not valid JSON/]
	];
	for (const [name, edit, message] of bad) {
		it(`rejects ${name} with file:line: field`, () => {
			const env = { EXAMPLE_API_KEY: 'k-1234567' };
			expect(() => parseEngineConfig(edit(valid), file, env)).toThrow(ConfigError);
			expect(() => parseEngineConfig(edit(valid), file, env)).toThrow(message);
		});
	}

	it('lets apiKeyEnv name only a model-key variable, refused with file:line: field and the rule before anything is read', () => {
		const named = (name: string) => valid.replace('"apiKeyEnv": "EXAMPLE_API_KEY"', `"apiKeyEnv": ${JSON.stringify(name)}`);
		const secrets = { AWS_SECRET_ACCESS_KEY: 'aws-secret', GITHUB_TOKEN: 'ghp-secret', OPENAI_API_KEY: 'sk-1', COVW_LOCAL_KEY: 'k-2', HF_TOKEN: 'hf-3' };
		for (const name of ['AWS_SECRET_ACCESS_KEY', 'GITHUB_TOKEN', 'SECRET_KEY', 'K', 'openai_api_key', '_API_KEY', 'API_KEY', 'PATH', 'HOME', 'COVW_KEY', 'OPENAI_API_KEY ']) {
			expect(isKeyVariableName(name), name).toBe(false);
			let message = '';
			try {
				parseEngineConfig(named(name), file, secrets);
			} catch (e) {
				expect(e).toBeInstanceOf(ConfigError);
				message = (e as Error).message;
			}
			expect(message.startsWith(`covw.config.json:6: endpoints.openai.apiKeyEnv: ${JSON.stringify(name)} is not accepted: the variable must end in _API_KEY`), message).toBe(true);
			expect(message).toContain(API_KEY_ENV_RULE);
			expect(message).not.toMatch(/aws-secret|ghp-secret/);
		}
		for (const [name, key] of [['OPENAI_API_KEY', 'sk-1'], ['COVW_LOCAL_KEY', 'k-2'], ['HF_TOKEN', 'hf-3'], ['VLLM_API_KEY', null]] as const) {
			expect(isKeyVariableName(name), name).toBe(true);
			expect(parseEngineConfig(named(name), file, secrets).endpoints.get('openai')!.toJSON().hasApiKey).toBe(key !== null);
		}
	});

	it('accepts the apiKeyEnv of the example config', () => {
		const example = readFileSync(join(repoRoot, 'covw.config.example.json'), 'utf8');
		const names = [...example.matchAll(/"apiKeyEnv": "([^"]*)"/g)].map((m) => m[1]);
		expect(names.length).toBeGreaterThan(0);
		for (const name of names) expect(isKeyVariableName(name), name).toBe(true);
		expect(() => parseEngineConfig(example, 'covw.config.example.json', {})).not.toThrow();
	});

	it('plans without the key an apiKeyEnv names; starting a run on that endpoint needs it', async () => {
		// Naming runs (covw notebook run over finished runs) reads the config but calls no endpoint.
		const c = parseEngineConfig(valid, file, {});
		expect(resolveModel(c, 'big-model').endpoint.name).toBe('openai');
		expect(c.endpoints.get('openai')!.toJSON().hasApiKey).toBe(false);
		const message = /^covw\.config\.json:6: endpoints\.openai\.apiKeyEnv: environment variable EXAMPLE_API_KEY is not set$/;
		expect(() => c.endpoints.get('openai')!.requireApiKey()).toThrow(message);
		expect(() => c.endpoints.get('openai')!.secretApiKey()).toThrow(ConfigError);
		// An endpoint that needs no key is unaffected.
		expect(() => c.endpoints.get('vllm')!.requireApiKey()).not.toThrow();
		const d = tempDir();
		try {
			const unit = { id: 'u1', endpoint: 'openai', sample: 0, meta: {}, request: { model: 'big-model', messages: [{ role: 'user' as const, content: 'hi' }] } };
			await expect(runUnits({ runsDir: d.path, runId: 'needs-key', kind: 'test', config: c, units: [unit] } as never)).rejects.toThrow(message);
			expect(existsSync(join(d.path, 'needs-key'))).toBe(false);
		} finally {
			d.remove();
		}
	});

	it('finds the offset where text stops being JSON', () => {
		expect(firstSyntaxError('{"a": 1}')).toBeNull();
		expect(firstSyntaxError('{"a": tru }')).toBe(6);
		expect(firstSyntaxError('[1, 2,]')).toBe(6);
		expect(firstSyntaxError('{"a": "x\\q"}')).toBe(9);
		expect(firstSyntaxError('{} x')).toBe(3);
	});
});
