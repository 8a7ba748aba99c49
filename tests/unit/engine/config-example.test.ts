// The example config shipped for users must stay valid as the config format evolves.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEngineConfig, resolveModel } from '../../../src/lib/engine/config.ts';

const path = resolve(dirname(fileURLToPath(import.meta.url)), '../../../covw.config.example.json');

describe('covw.config.example.json', () => {
	it('parses, names three endpoints, and resolves its models', () => {
		const config = parseEngineConfig(readFileSync(path, 'utf8'), 'covw.config.example.json', { OPENAI_API_KEY: 'sk-example' });
		expect([...config.endpoints.keys()]).toEqual(['openai', 'vllm', 'ollama']);
		expect(config.defaults).toMatchObject({ temperature: 0.6, top_p: 0.9 });
		expect(resolveModel(config, 'vllm/Qwen/Qwen2.5-7B-Instruct').endpoint.name).toBe('vllm');
		// Two vLLM servers of one model share its load (engine/replicas.ts); concurrency is per server.
		expect(config.endpoints.get('vllm')!.replicas).toHaveLength(2);
		expect(config.endpoints.get('vllm')!.concurrency).toBe(128);
		expect(resolveModel(config, 'llama3.1:8b').endpoint.name).toBe('ollama');
	});
});
