// Standard input read whole for `covw import -` (node/standard-input.ts): to its end, refused
// past the limit saying it, and named for the readers that tell CSV by a file's extension.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { binaryInputProblem, readStandardInput, StandardInputError, standardInputName } from '../../../src/lib/node/standard-input.ts';
import { importCommand } from '../../../src/cli/commands/import.ts';
import { fakeContext } from '../cli/fake-context.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('standard input', () => {
	it('is read to its end, chunk after chunk', async () => {
		const bytes = await readStandardInput(1024, Readable.from([enc('{"a":1}\n'), enc('{"a":2}\n')]));
		expect(new TextDecoder().decode(bytes)).toBe('{"a":1}\n{"a":2}\n');
	});

	it('past the limit is refused, saying the limit', async () => {
		const input = Readable.from([enc('x'.repeat(600)), enc('y'.repeat(600))]);
		await expect(readStandardInput(1024, input)).rejects.toThrow(StandardInputError);
		await expect(readStandardInput(1024, Readable.from([enc('x'.repeat(2000))]))).rejects.toThrow('standard input is larger than 1 KiB: not read');
	});

	it('is named stdin.csv when it is no JSON, else stdin', () => {
		expect(standardInputName(enc('item_id,model,response\n1,m,x\n'))).toBe('stdin.csv');
		expect(standardInputName(enc('\uFEFF  {"item_id":1}\n'))).toBe('stdin');
		expect(standardInputName(enc('[{"item_id":1}]'))).toBe('stdin');
	});

	it('binary input (gzip, NUL bytes) is said to be so, not read as a bad CSV', async () => {
		const gz = new Uint8Array(gzipSync(enc('{"item_id":"a","response":"x"}\n')));
		expect(binaryInputProblem(gz)).toMatch(/^binary input \(gzip\): decompress first/);
		expect(binaryInputProblem(enc('item_id\u0000,x\n'))).toMatch(/^binary input \(NUL bytes/);
		expect(binaryInputProblem(enc('item_id,model,response\n1,m,x\n'))).toBe(null);
		const root = resolve(__dirname, '../../..');
		for (const args of [['-'], ['--labelled', 'gz', '-']]) {
			const ctx = { ...fakeContext(args, { root, cwd: root, env: {} }), stdin: async () => gz };
			await expect(importCommand.run(ctx)).rejects.toThrow(/import: -: binary input \(gzip\): decompress first/);
		}
	});
});
