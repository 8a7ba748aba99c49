// cppcheck (C): `cppcheck --xml --xml-version=2 ...`, the XML report on stderr. Measured on SVEN
// (bench/judges-real.ts): its time goes to a few long files with many #ifdef configurations.

import { mapFinding } from '../cwe-map.ts';
import type { CweId } from '../../../core/cwe.ts';
import type { AnalyzerTool, ParsedOutput } from '../types.ts';
import { readCppcheckXml } from './cppcheck-xml.ts';
import { emptyParsed, fileKey } from './file-key.ts';

/** Error ids that mean cppcheck gave up on the file: no verdict can be drawn from silence. */
const ABORTED_IDS = new Set(['syntaxError', 'unknownMacro', 'internalAstError', 'cppcheckError', 'internalError', 'preprocessorErrorDirective']);

function parseCppcheck(_stdout: string, stderr: string, files: readonly string[]): ParsedOutput {
	const parsed = emptyParsed(files);
	for (const { attrs, locations } of readCppcheckXml(stderr)) {
		const primary = locations[0];
		const key = fileKey(primary?.file ?? attrs.file0 ?? '');
		const list = parsed.findings.get(key);
		if (!list) continue; // a report about the run, not about one of our files
		const rule = attrs.id ?? '';
		const message = attrs.verbose || attrs.msg || '';
		if (ABORTED_IDS.has(rule)) {
			parsed.fileErrors.set(key, `cppcheck could not analyse the code (${rule}): ${message}`);
			continue;
		}
		if (attrs.severity === 'information') continue; // about the tool's setup, not the code
		const toolCwe = attrs.cwe && attrs.cwe !== '0' ? `CWE-${attrs.cwe}` : null;
		const cwes = mapFinding('cppcheck', rule, toolCwe);
		list.push({ tool: 'cppcheck', rule, line: Number(primary?.line) || 0, cwe: cwes[0] ?? null, cwes, tool_cwe: toolCwe, message: `${message} (${attrs.severity ?? '?'})` });
	}
	for (const list of parsed.findings.values()) list.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
	return parsed;
}

/** What cppcheck 2.10 can report at all: the CWEs of its checks (`cppcheck --errorlist`, and
 * ctuArrayIndex / ctunullpointer, which it does not list) mapped by cwe-map.ts — bounds,
 * use after free and double free, NULL, integer overflow. */
const CPPCHECK_CWES: readonly CweId[] = ['CWE-787', 'CWE-125', 'CWE-119', 'CWE-416', 'CWE-476', 'CWE-190'];

export const cppcheck: AnalyzerTool = {
	name: 'cppcheck',
	cwes: CPPCHECK_CWES,
	language: 'c',
	extension: '.c',
	debianPackage: 'cppcheck',
	okExitCodes: [0],
	args: (files) => [
		'--xml',
		'--xml-version=2',
		'--quiet',
		'--language=c',
		'--enable=warning,style,portability',
		'--inconclusive',
		// one preprocessor configuration per file: real files with many #ifdef branches cost up to
		// 12 configurations each (a 1,500-line SVEN function: 1.05 s of CPU, 0.09 s with this)
		'--max-configs=1',
		// two rounds of value flow instead of 4: its time goes there on long functions (the 12
		// slowest SVEN dev functions 26.4 → 18.5 s of CPU, the same findings); deterministic,
		// unlike --performance-valueflow-max-time, whose findings would depend on the load
		'--valueflow-max-iterations=2',
		'--suppress=missingIncludeSystem',
		'--suppress=missingInclude',
		...files
	],
	parse: parseCppcheck
};
