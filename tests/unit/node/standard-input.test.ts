// Standard input read whole for `covw import -` (node/standard-input.ts): to its end, refused
// past the limit saying it, and named for the readers that tell CSV by a file's extension.
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readStandardInput, StandardInputError, standardInputName } from '../../../src/lib/node/standard-input.ts';

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
});
