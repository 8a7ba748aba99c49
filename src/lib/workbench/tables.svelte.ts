// The data folder's tables, as the browser sees them: listed by the server, fetched as Arrow
// IPC streams and loaded into DuckDB-WASM. A table that fails keeps its error; others load.
import { loadArrowTable } from './browser-engine.ts';

export interface TableEntry {
	name: string;
	file: string;
	rows: number;
	columns: { name: string; type: string }[];
	error?: string;
	/** 'runs': generations, verdicts, runs — they grow while a run goes on. */
	origin?: 'runs';
	state: 'pending' | 'loaded' | 'error';
}

class Tables {
	entries = $state<TableEntry[]>([]);
	ready: Promise<void> | null = null;

	/** Fetch the list and load every table; resolves when all have settled. */
	load(): Promise<void> {
		this.ready ??= this.refresh();
		return this.ready;
	}

	async refresh(): Promise<void> {
		const response = await fetch('/api/tables');
		if (!response.ok) throw new Error(`listing tables failed: ${await errorMessage(response)}`);
		const listed: Omit<TableEntry, 'state'>[] = await response.json();
		this.entries = listed.map((t) => ({ ...t, state: t.error ? 'error' : 'pending' }));
		await Promise.all(this.entries.filter((t) => t.state === 'pending').map((t) => this.fetchOne(t.name)));
	}

	/** Re-fetch the run tables (generations, verdicts, runs) while a run writes to them. */
	async reloadRunTables(): Promise<void> {
		await this.load();
		const response = await fetch('/api/tables');
		if (!response.ok) return;
		const listed: Omit<TableEntry, 'state'>[] = await response.json();
		const runTables = listed.filter((t) => t.origin === 'runs');
		for (const t of runTables) {
			const entry = this.entries.find((e) => e.name === t.name);
			if (entry) entry.rows = t.rows;
			else this.entries.push({ ...t, state: 'pending' });
		}
		await Promise.all(runTables.map((t) => this.fetchOne(t.name)));
	}

	private async fetchOne(name: string): Promise<void> {
		const entry = () => this.entries.find((t) => t.name === name)!;
		try {
			const response = await fetch(`/api/tables/${encodeURIComponent(name)}`);
			if (!response.ok) throw new Error(await errorMessage(response));
			await loadArrowTable(name, new Uint8Array(await response.arrayBuffer()));
			entry().state = 'loaded';
		} catch (e) {
			entry().state = 'error';
			entry().error = e instanceof Error ? e.message : String(e);
		}
	}
}

/** SvelteKit's error() bodies are JSON `{ message }`; anything else is shown as text. */
export async function errorMessage(response: Response): Promise<string> {
	const text = await response.text();
	try {
		return JSON.parse(text).message ?? text;
	} catch {
		return text || `${response.status} ${response.statusText}`;
	}
}

export const tables = new Tables();
