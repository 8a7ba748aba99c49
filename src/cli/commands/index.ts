// Every covw command, as the words that select it and where it lives. A command's module (and
// what it imports: DuckDB, the analyzers, the openai client, Arrow) is loaded only when that
// command runs, so `covw runs` starts without loading the others. The dispatcher in ../main.ts
// picks the longest matching word sequence; a unit test checks each entry's words against its
// module's. Adding a command: one line here.
//
// The modules are named through lazyModule (a specifier held in a variable), not `import('./x.ts')`:
// Deno reads ahead every module a literal dynamic import names, and every module those import,
// before the first line of the CLI runs (~300 files: every command's, DuckDB's, the judges'),
// whichever command was asked for. A specifier it cannot read ahead is loaded when it is
// imported, so a command costs only its own modules (`covw runs` starts ~0.1 s sooner).
import type { Command } from '../command.ts';
import { lazyModule } from '../lazy-module.ts';

export interface CommandEntry {
	words: string[];
	load(): Promise<Command>;
}

export const commandEntries: CommandEntry[] = [
	{ words: ['data', 'import'], load: async () => (await lazyModule<typeof import('./data.ts')>(import.meta.url, './data.ts')).dataImportCommand },
	{ words: ['import'], load: async () => (await lazyModule<typeof import('./import.ts')>(import.meta.url, './import.ts')).importCommand },
	{ words: ['self-correct'], load: async () => (await lazyModule<typeof import('./self-correct.ts')>(import.meta.url, './self-correct.ts')).selfCorrectCommand },
	{ words: ['notebook', 'run'], load: async () => (await lazyModule<typeof import('./notebook.ts')>(import.meta.url, './notebook.ts')).notebookRunCommand },
	{ words: ['run'], load: async () => (await lazyModule<typeof import('./run.ts')>(import.meta.url, './run.ts')).runCommand },
	{ words: ['judge'], load: async () => (await lazyModule<typeof import('./judge.ts')>(import.meta.url, './judge.ts')).judgeCommand },
	{ words: ['runs'], load: async () => (await lazyModule<typeof import('./runs.ts')>(import.meta.url, './runs.ts')).runsListCommand },
	{ words: ['runs', 'show'], load: async () => (await lazyModule<typeof import('./runs.ts')>(import.meta.url, './runs.ts')).runsShowCommand },
	{ words: ['cache', 'stats'], load: async () => (await lazyModule<typeof import('./cache.ts')>(import.meta.url, './cache.ts')).cacheStatsCommand },
	{ words: ['cache', 'prune'], load: async () => (await lazyModule<typeof import('./cache.ts')>(import.meta.url, './cache.ts')).cachePruneCommand },
	{ words: ['batch', 'status'], load: async () => (await lazyModule<typeof import('./batch.ts')>(import.meta.url, './batch.ts')).batchStatusCommand },
	{ words: ['batch', 'export'], load: async () => (await lazyModule<typeof import('./batch.ts')>(import.meta.url, './batch.ts')).batchExportCommand },
	{ words: ['batch', 'import'], load: async () => (await lazyModule<typeof import('./batch.ts')>(import.meta.url, './batch.ts')).batchImportCommand },
	{ words: ['batch', 'resume'], load: async () => (await lazyModule<typeof import('./batch.ts')>(import.meta.url, './batch.ts')).batchResumeCommand },
	{ words: ['evolve'], load: async () => (await lazyModule<typeof import('./evolve.ts')>(import.meta.url, './evolve.ts')).evolveCommand },
	{ words: ['export', 'sft'], load: async () => (await lazyModule<typeof import('./export.ts')>(import.meta.url, './export.ts')).exportSftCommand }
];

/** Every command, loaded (for the help listing). */
export function loadCommands(): Promise<Command[]> {
	return Promise.all(commandEntries.map((e) => e.load()));
}
