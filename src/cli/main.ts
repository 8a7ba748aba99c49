// covw — the workbench's command line. Runs on Deno (see bin/covw.js for the permissions).
import process from 'node:process';
import { commandEntries, loadCommands } from './commands/index.ts';
import { CliError, type CliContext, type Command } from './command.ts';
import { markPhase, recordPhases } from '../lib/engine/phase-marks.ts';
import { printable, printableLines } from '../lib/core/text/printable.ts';

/** The command the words select (only its module is loaded), and the arguments after them. */
async function findCommand(argv: string[]): Promise<{ command: Command; rest: string[] } | null> {
	const matches = commandEntries.filter((c) => c.words.every((w, i) => argv[i] === w));
	matches.sort((a, b) => b.words.length - a.words.length);
	const entry = matches[0];
	return entry ? { command: await entry.load(), rest: argv.slice(entry.words.length) } : null;
}

async function help(): Promise<string> {
	const lines = (await loadCommands()).map((c) => `  covw ${c.words.join(' ').padEnd(18)} ${c.summary}`);
	return ['Usage: covw <command> [options]', '', 'Commands:', ...lines, ''].join('\n');
}

async function main(argv: string[]): Promise<number> {
	if (argv.length === 0 || argv[0] === '--help' || argv[0] === 'help') {
		process.stdout.write(await help());
		return argv.length === 0 ? 2 : 0;
	}
	const found = await findCommand(argv);
	if (!found) {
		process.stderr.write(`covw: unknown command "${printable(argv.join(' '))}"\n\n${await help()}`);
		return 2;
	}
	if (found.rest.includes('--help')) {
		process.stdout.write(`${found.command.usage}\n`);
		return 0;
	}
	const ctx: CliContext = {
		args: found.rest,
		root: process.env.COVW_ROOT ?? process.cwd(),
		cwd: process.cwd(),
		stdout: (text) => process.stdout.write(text),
		stderr: (text) => process.stderr.write(text),
		isTTY: Boolean(process.stdout.isTTY),
		env: (name) => process.env[name]
	};
	try {
		return await found.command.run(ctx);
	} catch (error) {
		if (error instanceof CliError) {
			process.stderr.write(`covw: ${printableLines(error.message)}\n`);
			return 2;
		}
		// A run folder's file that is a link, a FIFO, a folder… (engine/atomic-file.ts
		// LinkRefusedError, by its code: no module loaded for it): the user's to fix, said like a
		// CliError, naming the file — never an uncaught error with a stack.
		// Likewise a data file that is a FIFO, socket, device or folder (NotRegularFileError, ENOTREGULAR).
		const code = (error as { code?: unknown } | null)?.code;
		if (code === 'ELINKREFUSED' || code === 'ENOTREGULAR') {
			process.stderr.write(`covw: ${printableLines((error as Error).message)}\n`);
			return 2;
		}
		throw error;
	}
}

// COVW_PHASES=1: the run's phase timestamps as one JSON line on stderr (bench/cli-run.js reads it).
const phases = process.env.COVW_PHASES
	? recordPhases(() => {
			const { user, system } = process.cpuUsage();
			return (user + system) / 1000;
		})
	: null;
if (phases) {
	phases.first.process = phases.last.process = performance.timeOrigin;
	phases.cpuFirst.process = 0;
	markPhase('main');
}
process.exitCode = await main(process.argv.slice(2));
if (phases) {
	markPhase('exit');
	process.stderr.write(`covw-phases ${JSON.stringify(phases)}\n`);
}
// Exit now, not once the event loop has drained: every command has awaited its work by the time
// main returns, and Deno writes stdout and stderr synchronously (nothing is cut short), so all
// that is skipped is tearing down a heap of up to ~100 MB after a run (bench/cli-run.js, the
// "exit" phase).
process.exit(process.exitCode);
