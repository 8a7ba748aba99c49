// The server's long-lived objects, created on first use from the configured folders.
import process from 'node:process';
import { DataFolder } from '../node/datasets/index.ts';
import { NotebookStore } from './notebooks/index.ts';
import { Labelling } from './labels/index.ts';
import { judgeWorkerComputer } from './runs/judge-worker.ts';
import { ProjectRuns } from './runs/project-runs.ts';
import { RunManager } from './runs/run-manager.ts';
import { RunTablesCache } from './runs/run-tables-cache.ts';
import { cacheDir, dataDir, notebooksDir, projectRoot, runsDir } from '../node/paths.ts';

let folder: DataFolder | null = null;
let store: NotebookStore | null = null;

export function notebookStore(): NotebookStore {
	store ??= new NotebookStore(notebooksDir());
	return store;
}

export function dataFolder(): DataFolder {
	folder ??= new DataFolder(dataDir());
	return folder;
}

let labels: Labelling | null = null;

/** Human labels (labels/labels.jsonl in the data folder) and the targets to label. */
export function labelling(): Labelling {
	// The judges' verdicts and the generations to label come from the run logs (the same
	// tables notebooks see).
	labels ??= new Labelling(
		dataDir(),
		async () => runTables().ipc('verdicts'),
		async () => runTables().ipc('generations'),
		runsDir()
	);
	return labels;
}

let runs: ProjectRuns | null = null;
let manager: RunManager | null = null;
let runTablesCache: RunTablesCache | null = null;

/** Plans and starts the runs that notebooks' run cells describe. */
export function projectRuns(): ProjectRuns {
	// a page-started direct judge run computes in a worker thread (server/runs/judge-worker.ts)
	runs ??= new ProjectRuns({ root: projectRoot(), runsDir: runsDir(), cacheDir: cacheDir(), dataDir: dataDir(), env: process.env }, judgeWorkerComputer());
	return runs;
}

export function runManager(): RunManager {
	manager ??= new RunManager(projectRuns());
	return manager;
}

/** The generations, verdicts and runs tables, read from the run logs. */
export function runTables(): RunTablesCache {
	runTablesCache ??= new RunTablesCache(runsDir());
	return runTablesCache;
}
