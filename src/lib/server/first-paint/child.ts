// The process that records first paints (record-notebook.ts), started by the server for each
// recording (first-paint-process.ts) so the headless engine's ~220 MB never stay in the
// server: Deno with read-only access and no network, as `covw notebook run`. Reads one
// request (JSON) on stdin; writes the recording (JSON) or `null` on stdout.
//   deno run --allow-read --allow-env --allow-sys=cpus src/lib/server/first-paint/child.ts
import { Buffer } from 'node:buffer';
import process from 'node:process';
import { DataFolder } from '../../node/datasets/index.ts';
import { createHeadlessEngine } from '../../node/headless/engine.ts';
import { runTablesIPC, RUN_TABLE_NAMES } from '../../runs/index.ts';
import type { RunTableName } from '../../runs/run-tables.ts';
import { recordNotebook, type RecordRequest } from './record-notebook.ts';

export interface ChildRequest extends RecordRequest {
	dataRoot: string;
	runsDir: string;
}

async function main(): Promise<void> {
	const chunks: Uint8Array[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Uint8Array);
	const request = JSON.parse(new TextDecoder().decode(Buffer.concat(chunks))) as ChildRequest;
	const data = new DataFolder(request.dataRoot);
	let runTables: ReturnType<typeof runTablesIPC> | null = null;
	const engine = await createHeadlessEngine();
	const recording = await recordNotebook(engine, request, async (name) => {
		if ((RUN_TABLE_NAMES as readonly string[]).includes(name)) return (runTables ??= runTablesIPC(request.runsDir))[name as RunTableName];
		return data.ipcStream(name);
	});
	process.stdout.write(JSON.stringify(recording));
}

await main();
