// Config errors are safe to print and catch what the runtime would get wrong: a JSON syntax
// error gives file, line and column and never V8's snippet of the text (which can hold the
// first characters of an API key); a timeout too large for a timer is refused, not turned into
// 1 ms by setTimeout's overflow.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseEngineConfig } from '../../../src/lib/engine/config.ts';

const file = 'covw.config.json';
const config = (endpoint: string) => `{
  "endpoints": {
    "local": {
      ${endpoint}
      "models": { "m": {} }
    }
  }
}
`;

function errorOf(text: string): string {
	try {
		parseEngineConfig(text, file, {});
	} catch (e) {
		expect(e).toBeInstanceOf(ConfigError);
		return (e as Error).message;
	}
	throw new Error('expected a ConfigError');
}

describe('config syntax errors', () => {
	it('name file, line and column and print none of the text', () => {
		const message = errorOf(config('"baseURL": "http://127.0.0.1:1/v1", "apiKey": sk-live-4f1d9a7c2b,'));
		expect(message).toMatch(/^covw\.config\.json:4:53: not valid JSON/);
		expect(message).not.toMatch(/sk-|apiKey|4f1d/);
	});

	it('locate a missing comma and an early end of file', () => {
		expect(errorOf('{\n  "endpoints": {}\n  "defaults": {}\n}')).toMatch(/^covw\.config\.json:3:3: not valid JSON/);
		expect(errorOf('{\n  "endpoints": {')).toMatch(/^covw\.config\.json:2:17: not valid JSON \(the file ends too early\)/);
	});
});

describe('config bounds', () => {
	it('refuses a timeoutMs a timer cannot hold, naming the field and the bound', () => {
		const message = errorOf(config('"baseURL": "http://127.0.0.1:1/v1", "timeoutMs": 2147483648,'));
		expect(message).toMatch(/endpoints\.local\.timeoutMs: must be between 1 and 2147483647/);
	});

	it('accepts the largest timeout a timer holds', () => {
		const parsed = parseEngineConfig(config('"baseURL": "http://127.0.0.1:1/v1", "timeoutMs": 2147483647,'), file, {});
		expect(parsed.endpoints.get('local')!.timeoutMs).toBe(2147483647);
	});
});
