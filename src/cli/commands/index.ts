// Every covw command. The dispatcher in ../main.ts picks the longest matching word sequence.
import type { Command } from '../command.ts';
import { dataImportCommand } from './data.ts';
import { notebookRunCommand } from './notebook.ts';

export const commands: Command[] = [dataImportCommand, notebookRunCommand];
import { runCommand } from './run.ts';
import { judgeCommand } from './judge.ts';
import { runsListCommand, runsShowCommand } from './runs.ts';
import { cachePruneCommand, cacheStatsCommand } from './cache.ts';
commands.push(runCommand, judgeCommand, runsListCommand, runsShowCommand, cacheStatsCommand, cachePruneCommand);
