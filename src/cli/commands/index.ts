// Every covw command. The dispatcher in ../main.ts picks the longest matching word sequence.
import type { Command } from '../command.ts';
import { cachePruneCommand, cacheStatsCommand } from './cache.ts';
import { dataImportCommand } from './data.ts';
import { importCommand } from './import.ts';
import { judgeCommand } from './judge.ts';
import { notebookRunCommand } from './notebook.ts';
import { runCommand } from './run.ts';
import { runsListCommand, runsShowCommand } from './runs.ts';
import { selfCorrectCommand } from './self-correct.ts';

export const commands: Command[] = [
	dataImportCommand,
	importCommand,
	notebookRunCommand,
	runCommand,
	judgeCommand,
	runsListCommand,
	runsShowCommand,
	selfCorrectCommand,
	cacheStatsCommand,
	cachePruneCommand
];
