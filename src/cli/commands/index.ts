// Every covw command, as the words that select it and where it lives. A command's module (and
// what it imports: DuckDB, the analyzers, the openai client, Arrow) is loaded only when that
// command runs, so `covw runs` starts without loading the others. The dispatcher in ../main.ts
// picks the longest matching word sequence; a unit test checks each entry's words against its
// module's. Adding a command: one line here.
import type { Command } from '../command.ts';

export interface CommandEntry {
	words: string[];
	load(): Promise<Command>;
}

export const commandEntries: CommandEntry[] = [
	{ words: ['data', 'import'], load: async () => (await import('./data.ts')).dataImportCommand },
	{ words: ['import'], load: async () => (await import('./import.ts')).importCommand },
	{ words: ['self-correct'], load: async () => (await import('./self-correct.ts')).selfCorrectCommand },
	{ words: ['notebook', 'run'], load: async () => (await import('./notebook.ts')).notebookRunCommand },
	{ words: ['run'], load: async () => (await import('./run.ts')).runCommand },
	{ words: ['judge'], load: async () => (await import('./judge.ts')).judgeCommand },
	{ words: ['runs'], load: async () => (await import('./runs.ts')).runsListCommand },
	{ words: ['runs', 'show'], load: async () => (await import('./runs.ts')).runsShowCommand },
	{ words: ['cache', 'stats'], load: async () => (await import('./cache.ts')).cacheStatsCommand },
	{ words: ['cache', 'prune'], load: async () => (await import('./cache.ts')).cachePruneCommand },
	{ words: ['batch', 'status'], load: async () => (await import('./batch.ts')).batchStatusCommand },
	{ words: ['batch', 'export'], load: async () => (await import('./batch.ts')).batchExportCommand },
	{ words: ['batch', 'import'], load: async () => (await import('./batch.ts')).batchImportCommand },
	{ words: ['evolve'], load: async () => (await import('./evolve.ts')).evolveCommand },
	{ words: ['export', 'sft'], load: async () => (await import('./export.ts')).exportSftCommand }
];

/** Every command, loaded (for the help listing). */
export function loadCommands(): Promise<Command[]> {
	return Promise.all(commandEntries.map((e) => e.load()));
}
