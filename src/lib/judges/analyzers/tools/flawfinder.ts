// flawfinder (C): `flawfinder --csv --quiet <files>`, CSV with a header row on stdout.

import { scanCsv } from '../../../node/datasets/csv-scanner.ts';
import { mapFinding } from '../cwe-map.ts';
import type { AnalyzerTool, ParsedOutput } from '../types.ts';
import { emptyParsed, fileKey } from './file-key.ts';

function csvRecords(text: string): string[][] {
	const bytes = new TextEncoder().encode(text);
	const decoder = new TextDecoder();
	const records: string[][] = [];
	let current: string[] = [];
	scanCsv(bytes, 0, {
		field(column, start, end, _quoted, doubledQuotes) {
			const value = decoder.decode(bytes.subarray(start, end));
			current[column] = doubledQuotes ? value.replaceAll('""', '"') : value;
		},
		record() {
			records.push(current);
			current = [];
		}
	});
	return records;
}

function parseFlawfinder(stdout: string, _stderr: string, files: readonly string[]): ParsedOutput {
	const parsed = emptyParsed(files);
	const records = csvRecords(stdout);
	const header = records[0];
	if (!header || header[0] !== 'File') throw new Error('flawfinder output has no CSV header starting with "File"');
	const column = (name: string) => {
		const index = header.indexOf(name);
		if (index < 0) throw new Error(`flawfinder CSV has no "${name}" column`);
		return index;
	};
	const at = { file: column('File'), line: column('Line'), name: column('Name'), warning: column('Warning'), cwes: column('CWEs'), level: column('Level') };
	for (const record of records.slice(1)) {
		const list = parsed.findings.get(fileKey(record[at.file] ?? ''));
		if (!list) continue;
		const rule = record[at.name] ?? '';
		const toolCwe = record[at.cwes] || null;
		const cwes = mapFinding('flawfinder', rule, toolCwe);
		list.push({ tool: 'flawfinder', rule, line: Number(record[at.line]) || 0, cwe: cwes[0] ?? null, cwes, tool_cwe: toolCwe, message: `${record[at.warning] ?? ''} (level ${record[at.level] ?? '?'})` });
	}
	return parsed;
}

export const flawfinder: AnalyzerTool = {
	name: 'flawfinder',
	language: 'c',
	extension: '.c',
	debianPackage: 'flawfinder',
	okExitCodes: [0],
	// --neverignore: the code's own `Flawfinder: ignore` / `RATS: ignore` comments must not hide a finding
	args: (files) => ['--csv', '--quiet', '--neverignore', ...files],
	parse: parseFlawfinder
};
