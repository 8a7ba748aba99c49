// The process that records first paints (record-notebook.ts), started by the server
// (first-paint-process.ts) so the headless engine's ~220 MB never stay in the server: Deno
// with read-only access and no network, as `covw notebook run`. Reads one request (JSON) per
// line on stdin and answers each with one line on stdout: the recording, or `null` (after
// `{"running": sql}` lines, one before each statement). One engine
// serves every request (reset before each); the process ends when stdin closes (the server
// closes it after a while without requests).
//   deno run --allow-read --allow-env --allow-sys=cpus src/lib/server/first-paint/child.ts
import { writeSync } from 'node:fs';
import process from 'node:process';
import { createInterface } from 'node:readline';
import { DataFolder } from '../../node/datasets/index.ts';
import { createHeadlessEngine, type HeadlessEngine } from '../../node/headless/engine.ts';
import { runTablesIPC, RUN_TABLE_NAMES } from '../../runs/index.ts';
import type { RunTableName } from '../../runs/run-tables.ts';
import { recordNotebook, type RecordRequest } from './record-notebook.ts';
import { dataTableBytes } from '../labels/empty-labels.ts';
import { CHILD_MEMORY_LIMIT } from './child-limits.ts';

export interface ChildRequest extends RecordRequest {
	dataRoot: string;
	runsDir: string;
}

/**
 * Each statement, before the engine runs it, as a line `{"running": sql}`: the server kills this
 * process when it passes its memory cap and then knows which statement did it. Written at once
 * (the engine then holds this thread until the statement ends); best effort.
 */
function running(sql: string): void {
	try {
		writeSync(1, new TextEncoder().encode(JSON.stringify({ running: sql }) + '\n'));
	} catch {
		// the server reads it only to name the statement if it must stop this process
	}
}

let engine: HeadlessEngine | null = null;
const folders = new Map<string, DataFolder>();

async function answer(request: ChildRequest): Promise<string> {
	engine ??= await createHeadlessEngine({ memoryLimit: CHILD_MEMORY_LIMIT });
	let data = folders.get(request.dataRoot);
	if (!data) folders.set(request.dataRoot, (data = new DataFolder(request.dataRoot)));
	let runTables: ReturnType<typeof runTablesIPC> | null = null;
	const recording = await recordNotebook(
		engine,
		request,
		async (name) => {
			if ((RUN_TABLE_NAMES as readonly string[]).includes(name)) return (runTables ??= runTablesIPC(request.runsDir))[name as RunTableName];
			return dataTableBytes(data, name);
		},
		running
	);
	return JSON.stringify(recording);
}

for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
	if (!line.trim()) continue;
	let out = 'null';
	try {
		out = await answer(JSON.parse(line) as ChildRequest);
	} catch (error) {
		process.stderr.write(`first paint: ${error instanceof Error ? error.message : String(error)}\n`);
	}
	process.stdout.write(out + '\n');
}
(engine as HeadlessEngine | null)?.close();
