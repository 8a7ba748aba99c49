// Static analyzers as judges: "does this code have the target CWE?", answered by a tool that
// reads the code as text in a fresh temporary folder. The code is never executed.
// A missing tool, a timeout, a crash or output we cannot read is status 'error', never a verdict.
// Many programs go to one tool process (fast); when that batch fails as a whole (a timeout, a
// crash, unreadable output), each of its programs is analysed again alone under its own
// deadline, so one slow or poisonous program costs one error row, not a hundred.

import { tryNormalizeCweId, type CweId } from '../../core/cwe.ts';
import { isLanguage, LANGUAGES } from '../../core/vocabulary.ts';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { notInstalledMessage, which } from './locate-tool.ts';
import { dedent } from './dedent.ts';
import { analyzerTool } from './registry.ts';
import { runProcess } from './run-process.ts';
import { withTempFolder } from './temp-folder.ts';
import { planCFiles, REPAIR_ROUNDS } from './tools/c-prepare.ts';
import type { AnalyzerFinding, AnalyzerInput, AnalyzerName, AnalyzerOptions, AnalyzerTool, AnalyzerVerdict, ParsedOutput } from './types.ts';

/** Default deadline for one program. */
export const FILE_TIMEOUT_MS = 60_000;

/** Default deadline of a batch: one program's, plus a little per program. */
export function defaultTimeoutMs(files: number, perFile: number = FILE_TIMEOUT_MS): number {
	return perFile + 500 * files;
}

/** Programs analysed at once when a failed batch is retried one program at a time. */
const SINGLE_FILE_CONCURRENCY = 2;

export async function judgeWithAnalyzer(tool: AnalyzerName, input: AnalyzerInput, opts?: AnalyzerOptions): Promise<AnalyzerVerdict> {
	return (await judgeBatchWithAnalyzer(tool, [input], opts))[0];
}

/**
 * Runs the tool ONCE over all inputs of its language (one file each in one temporary folder)
 * and splits the findings per file. Verdicts come back in input order. Inputs in another
 * language get status 'error'. Throws only for caller bugs: an unknown tool, target CWE or language.
 */
export async function judgeBatchWithAnalyzer(toolName: AnalyzerName, inputs: readonly AnalyzerInput[], opts: AnalyzerOptions = {}): Promise<AnalyzerVerdict[]> {
	const tool = analyzerTool(toolName);
	const targets = inputs.map((input, index) => checkInput(input, index));
	const verdicts: (AnalyzerVerdict | undefined)[] = inputs.map((input, index) =>
		input.language === tool.language ? undefined : { status: 'error', tool: tool.name, cwe: targets[index], error: `${tool.name} reads ${tool.language} code, not ${input.language}` }
	);
	const mine = inputs.flatMap((_, index) => (verdicts[index] ? [] : [index]));
	if (mine.length === 0) return verdicts as AnalyzerVerdict[];

	const files = mine.map((index) => `item-${index}${tool.extension}`);
	// Code cut out of a Python file keeps its indentation; the parsers want a module.
	const codes = mine.map((index) => (tool.language === 'python' ? dedent(inputs[index].code) : inputs[index].code));
	const perFile = opts.timeoutMs ?? FILE_TIMEOUT_MS;
	const outcome = await analyse(tool, codes, files, opts, opts.batchTimeoutMs ?? defaultTimeoutMs(files.length, perFile));
	// The batch failed as a whole: each program alone, under its own deadline.
	const alone: (ParsedOutput | { error: string })[] | null =
		'error' in outcome && files.length > 1 && !outcome.missing
			? await mapLimited(files, SINGLE_FILE_CONCURRENCY, (file, k) => analyse(tool, [codes[k]], [file], opts, perFile))
			: null;
	mine.forEach((index, k) => {
		const cwe = targets[index];
		const result = alone ? alone[k] : outcome;
		if ('error' in result) {
			verdicts[index] = { status: 'error', tool: tool.name, cwe, error: result.error };
			return;
		}
		const fileError = result.fileErrors.get(files[k]);
		if (fileError) {
			verdicts[index] = { status: 'error', tool: tool.name, cwe, error: fileError };
			return;
		}
		const findings: AnalyzerFinding[] = result.findings.get(files[k]) ?? [];
		verdicts[index] = { status: 'ok', tool: tool.name, cwe, vulnerable: findings.some((f) => f.cwes.includes(cwe)), findings };
	});
	return verdicts as AnalyzerVerdict[];
}

/** One run of the tool over `files` (already written in `folder`), its output read. */
async function runTool(
	tool: AnalyzerTool,
	executable: string,
	files: string[],
	folder: string,
	timeoutMs: number,
	env: Record<string, string>
): Promise<{ parsed: ParsedOutput; stdout: string; stderr: string } | { error: string }> {
	const result = await runProcess(executable, tool.args(files), { cwd: folder, timeoutMs, env });
	if (result.status === 'error') return { error: `${tool.name} failed: ${result.error}` };
	const tail = (text: string) => text.trim().slice(-500);
	if (!tool.okExitCodes.includes(result.exitCode)) {
		return { error: `${tool.name} exited with code ${result.exitCode}: ${tail(result.stderr) || tail(result.stdout)}` };
	}
	try {
		return { parsed: tool.parse(result.stdout, result.stderr, files), stdout: result.stdout, stderr: result.stderr };
	} catch (error) {
		return { error: `could not read ${tool.name}'s output: ${(error as Error).message}; stderr: ${tail(result.stderr)}` };
	}
}

/**
 * A small, fixed environment: no API keys or user settings leak into the tool, HOME is the
 * scratch folder (no per-user config is read) and Python-based tools read the files as UTF-8.
 */
function toolEnvironment(searchPath: string, folder: string): Record<string, string> {
	return { PATH: searchPath, HOME: folder, LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', PYTHONUTF8: '1', PYTHONDONTWRITEBYTECODE: '1' };
}

function checkInput(input: AnalyzerInput, index: number): CweId {
	const where = `analyzer input ${index}`;
	if (!input || typeof input !== 'object') throw new Error(`${where}: not an object`);
	if (typeof input.code !== 'string') throw new Error(`${where}: field "code" must be a string`);
	if (!isLanguage(input.language)) throw new Error(`${where}: field "language" must be one of ${LANGUAGES.map((l) => `"${l}"`).join(', ')}, got ${JSON.stringify(input.language)}`);
	const cwe = tryNormalizeCweId(String(input.cwe));
	if (!cwe) throw new Error(`${where}: field "cwe": ${JSON.stringify(input.cwe)} is not one of the 18 CoV-Eval CWEs`);
	return cwe;
}

/** `work` over `items`, at most `limit` at a time; results in input order. */
async function mapLimited<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const out: R[] = new Array(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const k = next++;
			out[k] = await work(items[k], k);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return out;
}

async function analyse(
	tool: AnalyzerTool,
	codes: string[],
	files: string[],
	opts: AnalyzerOptions,
	timeoutMs: number
): Promise<ParsedOutput | { error: string; missing?: true }> {
	const command = opts.command ?? tool.name;
	const searchPath = opts.path ?? process.env.PATH ?? '';
	const executable = which(command, searchPath);
	if (!executable) return { error: notInstalledMessage(tool, command), missing: true };
	return withTempFolder(async (folder) => {
		const deadline = Date.now() + timeoutMs;
		const env = toolEnvironment(searchPath, folder);
		const c = tool.declarations === 'c' ? await planCFiles(codes, files, searchPath) : null;
		const textOf = (k: number) => (c ? c.text(k) : tool.prepare ? tool.prepare(codes[k]) : codes[k]);
		await Promise.all(codes.map((_, k) => writeFile(join(folder, files[k]), textOf(k), { encoding: 'utf8', flag: 'wx' })));
		const first = await runTool(tool, executable, files, folder, timeoutMs, env);
		if ('error' in first) return first;
		const merged = first.parsed;
		// Lone C functions the tool could not compile: declarations corrected from its own errors, run again.
		let pending = c && tool.compileErrors ? files.flatMap((f, k) => (merged.fileErrors.has(f) && c.repair(k, tool.compileErrors!(first.stdout, first.stderr, f)) ? [k] : [])) : [];
		for (let round = 1; round <= REPAIR_ROUNDS && pending.length > 0 && deadline > Date.now(); round++) {
			await Promise.all(pending.map((k) => writeFile(join(folder, files[k]), textOf(k), 'utf8')));
			const again = await runTool(tool, executable, pending.map((k) => files[k]), folder, deadline - Date.now(), env);
			if ('error' in again) break; // the earlier compile errors stand for these programs
			const next: number[] = [];
			for (const k of pending) {
				const f = files[k];
				merged.findings.set(f, again.parsed.findings.get(f) ?? []);
				const error = again.parsed.fileErrors.get(f);
				if (!error) merged.fileErrors.delete(f);
				else {
					merged.fileErrors.set(f, error);
					if (round < REPAIR_ROUNDS && c!.repair(k, tool.compileErrors!(again.stdout, again.stderr, f))) next.push(k);
				}
			}
			pending = next;
		}
		return merged;
	}, opts.tempRoot);
}
