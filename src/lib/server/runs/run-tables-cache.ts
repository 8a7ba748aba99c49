// The run tables (generations, verdicts, runs) for the table API. Building them reads every run
// log, and a page load asks for the list and then each table, so one build is reused for as
// long as no run folder changed (judged by the sizes and times of their files).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { runTablesIPC, RUN_TABLE_NAMES, type RunTables } from '../../runs/index.ts';

type RunTableName = (typeof RUN_TABLE_NAMES)[number];

/** Changes whenever a run writes: a log line appended, a manifest rewritten, a run added. */
function runsSignature(runsDir: string): string {
	let entries: string[];
	try {
		entries = readdirSync(runsDir).sort();
	} catch {
		return 'none';
	}
	const parts: string[] = [];
	for (const run of entries) {
		let files: string[];
		try {
			files = readdirSync(join(runsDir, run)).sort();
		} catch {
			continue; // not a folder
		}
		for (const file of files) {
			try {
				const { size, mtimeMs } = statSync(join(runsDir, run, file));
				parts.push(`${run}/${file}:${size}:${mtimeMs}`);
			} catch {
				/* removed meanwhile */
			}
		}
	}
	return parts.join('|');
}

/** A run table in the table list; `origin` tells the browser it changes while runs go on. */
export interface RunTableEntry {
	name: RunTableName;
	file: string;
	origin: 'runs';
	rows: number;
	columns: { name: string; type: string }[];
}

export class RunTablesCache {
	private built: { signature: string; tables: RunTables; list: RunTableEntry[] } | null = null;

	constructor(private readonly runsDir: string) {}

	tables(): RunTables {
		return this.current().tables;
	}

	/** Entries for the table list, in the data folder's TableInfo shape. */
	list(): RunTableEntry[] {
		return this.current().list;
	}

	has(name: string): name is RunTableName {
		return (RUN_TABLE_NAMES as readonly string[]).includes(name);
	}

	ipc(name: RunTableName): Uint8Array {
		return this.tables()[name];
	}

	private current() {
		const signature = runsSignature(this.runsDir);
		if (this.built?.signature !== signature) {
			const tables = runTablesIPC(this.runsDir);
			const list = RUN_TABLE_NAMES.map((name): RunTableEntry => {
				const table = tableFromIPC(tables[name]);
				const columns = table.schema.fields.map((f) => ({ name: f.name, type: String(f.type) }));
				return { name, file: `runs/ (${name})`, origin: 'runs', rows: table.numRows, columns };
			});
			this.built = { signature, tables, list };
		}
		return this.built;
	}
}
