// Shared types of the static-analyzer judges (bandit, cppcheck, flawfinder).

import type { CweId, Language } from '../../core/cwe.ts';

/** A tool's name ('bandit', 'cppcheck', …): the tools are listed once, in tools/index.ts. */
export type AnalyzerName = string;

export { ANALYZER_NAMES } from './tools/index.ts';

/** One thing a tool reported, with the CWEs of the 18 it counts toward. */
export interface AnalyzerFinding {
	tool: AnalyzerName;
	/** The tool's own rule id: 'B602', 'nullPointer', 'strcpy'. */
	rule: string;
	/** 1-based line in the judged code (0 when the tool gave none). */
	line: number;
	/** The first of `cwes` (the most specific mapping), null when the finding maps to none of the 18. */
	cwe: CweId | null;
	/** Every CWE of the 18 this finding counts toward (see cwe-map.ts). */
	cwes: CweId[];
	/** The CWE(s) exactly as the tool printed them ('CWE-120', 'CWE-119!/CWE-120'), null when none. */
	tool_cwe: string | null;
	message: string;
}

export interface AnalyzerInput {
	code: string;
	language: Language;
	/** Target CWE: 'CWE-787', 'cwe-787' or '787'. */
	cwe: string;
}

/** The paper's judgement style: does this code have THE TARGET CWE? */
export type AnalyzerVerdict =
	| {
			status: 'ok';
			tool: AnalyzerName;
			cwe: CweId;
			/** True when at least one finding maps to the target CWE. */
			vulnerable: boolean;
			/** Every finding on this code, mapped or not (the ones behind the verdict have `cwes` containing the target). */
			findings: AnalyzerFinding[];
	  }
	| { status: 'error'; tool: AnalyzerName; cwe: CweId; error: string };

export interface AnalyzerAvailability {
	tool: AnalyzerName;
	language: Language;
	available: boolean;
	/** Absolute path of the executable when found. */
	path?: string;
	/** First line of `<tool> --version`. */
	version?: string;
	/** Why it is unavailable, e.g. "bandit is not installed: apt-get install bandit". */
	message?: string;
	/** When available: what this installed version cannot see (the tool is only partly able). */
	limitations?: string[];
}

export interface AnalyzerOptions {
	/** Executable to run instead of the tool's own name (a path or a bare name looked up on `path`). */
	command?: string;
	/** PATH to search (default: process.env.PATH). */
	path?: string;
	/** Deadline for ONE program: a program the tool has not finished by then is an 'error' row of its
	 * own (a batch that runs out of time is analysed again one program at a time). Default 60 s. */
	timeoutMs?: number;
	/** Deadline for a whole batch (default: timeoutMs + 500 ms per program). */
	batchTimeoutMs?: number;
	/** Resident memory, in MB, one tool process may hold together with its children (its process
	 * group: gcc's cc1, clang's -cc1); past it the group is killed and the programs it had are
	 * 'error' rows (a batch then analysed again one program at a time). Default 1024
	 * (run-process.ts DEFAULT_MEMORY_LIMIT_MB); Infinity: no limit. Where the memory of processes
	 * cannot be read (group-memory.ts: no /proc and no ps) there is no limit. */
	memoryLimitMb?: number;
	/** The first line of the tool's `--version` when the caller already has it (a judge run: its
	 * tool version); otherwise it is asked once per executable (AnalyzerTool.profileFor). */
	version?: string;
	/** Parent of the temporary folder (default: the OS temp folder). */
	tempRoot?: string;
	/** Tool processes at a time (default 2: this machine has 2 cores). A batch of at least 16
	 * programs is cut into pieces (at most 25 programs each, or the tool's pieceSize) that run
	 * side by side. */
	parallel?: number;
}

/** What a tool's output parser returns: findings and per-file failures keyed by file name. */
export interface ParsedOutput {
	findings: Map<string, AnalyzerFinding[]>;
	/** Files the tool could not analyse (e.g. a syntax error): their verdict is an error. */
	fileErrors: Map<string, string>;
}

/** A compiler error about one file: its line in the judged code (0 when elsewhere) and message. */
export interface CompilerError {
	line: number;
	message: string;
	/** When the error is inside the declarations (line 0): its line there. */
	declarationLine?: number;
}

/** How to run and read one tool. */
export interface AnalyzerTool {
	name: AnalyzerName;
	language: Language;
	/** File extension of the temporary files, with the dot. */
	extension: string;
	/** Debian package that provides it. */
	debianPackage: string;
	/** The executable to run when it is not the tool's name (clang-taint runs `clang`). */
	executable?: string;
	/** Further files written into the temporary folder next to the programs (name → text), e.g.
	 * a configuration the arguments name (clang-taint's taint configuration); `calls`: the
	 * functions the C programs call that nothing here defines (tools/c-prepare.ts), as they stand
	 * before the run that analyses them. */
	supportFiles?(calls: readonly string[]): Record<string, string>;
	/** C tools: whether the parameters of the programs of `profile` are handed to a taint source
	 * first (tools/c-taint.ts); none: never. */
	taintParameters?(profile: string | undefined): boolean;
	/** An opt-in judge: not among the tools `--judge analyzers` runs (it is named explicitly). */
	optIn?: boolean;
	/** Arguments to analyse `files` (names relative to the temporary folder, which is the cwd),
	 * with the checks of `profile` (profileFor; none: every check); `prelude`, when given, replaces
	 * the arguments that include the C prelude headers (judge.ts: a precompiled prelude). */
	args(files: readonly string[], profile?: string, prelude?: readonly string[]): string[];
	/** Exit codes that mean "ran to the end" (bandit exits 1 when it found something). */
	okExitCodes: readonly number[];
	/** 'c': a lone C function gets the declarations it lacks (tools/c-prepare.ts); the programs
	 * the tool could not compile get them corrected from `compileErrors` and are run again. */
	declarations?: 'c';
	/** The compiler errors the tool printed about `file` (line 0: inside the declarations). */
	compileErrors?(stdout: string, stderr: string, file: string): CompilerError[];
	/** Rewrites the code before it is written to the temporary file (e.g. declares what a lone C function lacks); line numbers must stay those of the code. */
	prepare?(code: string): string;
	/** Reads the tool's output; throws when it is not what the tool should print. */
	parse(stdout: string, stderr: string, files: readonly string[]): ParsedOutput;
	/** Optional: what an installed version cannot see, read from its whole `--version` output
	 * (e.g. bandit 1.6 on Python ≥ 3.8 never reports B608/B105); none = fully able. */
	limitations?(versionOutput: string): string[];
	/** Optional: at most this many programs per tool process when a batch is cut into pieces
	 * (default 25); a tool slow to start (bandit: a Python interpreter) takes more. */
	pieceSize?: number;
	/** Optional: the CWEs of the 18 its findings can map to at all (default: all 18). A target of
	 * another CWE is not analysed: no row in a judge run (the judge does not accept it, as a
	 * program in another language), an 'error' naming why from judgeBatchWithAnalyzer. */
	cwes?: readonly CweId[];
	/** Optional: the checks a program judged against `cwe` needs — a verdict is about the target
	 * CWE only, so the checks none of whose findings can count toward it are left out. Programs
	 * are grouped by the name returned (one tool process per group and piece) and the name is
	 * handed to `args`. Measured to give, program by program, the verdicts of a run with every
	 * check on SVEN dev and Pearce (bench/judges-real.ts --compare); not guaranteed in general
	 * (fewer checkers can change where the analyzer stops exploring a path). `version`: the first
	 * line of `<tool> --version` (as in the run id and `judge --list`), when known; a profile may
	 * depend on it (gcc 13+ has an analyzer bounds check). Default: one run with every check. */
	profileFor?(cwe: CweId, version?: string): string;
}

/** A syntax check and an analysis, each one process over many files (judge.ts: the two-step
 * way of a C tool that offers it, e.g. clang through tools/clang-cc1.ts). */
export interface TwoStepCommands {
	executable: string;
	/** Arguments of the syntax check of `files`: its errors are read with the tool's `parse` and
	 * `compileErrors`; one process reports nothing after a fatal error, so it is run again from
	 * the file after one. */
	check(files: readonly string[]): string[];
	/** Arguments of the analysis of `files` (all of which compiled); read with the tool's `parse`. */
	analyse(files: readonly string[]): string[];
}
