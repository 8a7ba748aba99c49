// A tiny in-memory SqlEngine for executor tests. It understands only the SQL the executor
// generates plus a toy query language for view bodies:
//   ROWS {"col": [..], ...}              literal table
//   SELECT * FROM name [WHERE col > n]   read another relation (views resolve lazily, like DuckDB)
//   FAIL                                 a syntax error reported on "LINE 1", DuckDB style
import type { SqlEngine, ResultTable } from '../../../src/lib/notebook/executor.ts';

type Columns = Record<string, unknown[]>;
interface Relation {
	kind: 'table' | 'view';
	name: string;
	columns?: Columns;
	body?: string;
}

export function tableOf(columns: Columns): ResultTable {
	const names = Object.keys(columns);
	return {
		numRows: names.length ? columns[names[0]].length : 0,
		schema: { fields: names.map((name) => ({ name, type: null })) },
		getChild: (name) => (columns[name] ? { get: (i: number) => columns[name][i], toArray: () => columns[name] } : null)
	};
}

export class FakeEngine implements SqlEngine {
	readonly relations = new Map<string, Relation>();
	readonly log: string[] = [];
	/** Milliseconds each call waits (to test cancellation). */
	delay = 0;

	constructor(tables: Record<string, Columns> = {}) {
		for (const [name, columns] of Object.entries(tables)) this.relations.set(name.toLowerCase(), { kind: 'table', name, columns });
	}

	private async tick() {
		if (this.delay) await new Promise((r) => setTimeout(r, this.delay));
	}

	private evaluate(body: string): Columns {
		const text = body.trim();
		if (text.startsWith('ROWS ')) return JSON.parse(text.slice(5));
		const m = /^SELECT \* FROM "?(\w+)"?(?: WHERE (\w+) > (\d+))?$/s.exec(text);
		if (m) {
			const rel = this.relations.get(m[1].toLowerCase());
			if (!rel) throw new Error(`Catalog Error: Table with name ${m[1]} does not exist!\n\nLINE 1: ${text}`);
			const cols = rel.kind === 'table' ? rel.columns! : this.evaluate(rel.body!);
			if (!m[2]) return cols;
			const keep = cols[m[2]].map((v) => (v as number) > Number(m[3]));
			return Object.fromEntries(Object.entries(cols).map(([k, vs]) => [k, vs.filter((_, i) => keep[i])]));
		}
		const line = text.split('\n').findIndex((l) => l.includes('FAIL')) + 1;
		throw new Error(`Parser Error: syntax error at or near "FAIL"\n\nLINE ${line || 1}: ...`);
	}

	async query(sql: string): Promise<ResultTable> {
		this.log.push(sql);
		await this.tick();
		const count = /^SELECT count\(\*\) AS n FROM (.*)$/s.exec(sql);
		if (count) {
			const cols = this.evaluate(`SELECT * FROM ${count[1]}`);
			const first = Object.values(cols)[0] ?? [];
			return tableOf({ n: [first.length] });
		}
		const limit = /^(.*) LIMIT (\d+)$/s.exec(sql);
		if (limit) {
			const cols = this.evaluate(limit[1]);
			return tableOf(Object.fromEntries(Object.entries(cols).map(([k, vs]) => [k, vs.slice(0, Number(limit[2]))])));
		}
		return tableOf(this.evaluate(sql));
	}

	async exec(sql: string): Promise<void> {
		this.log.push(sql);
		await this.tick();
		const create = /^CREATE OR REPLACE VIEW "(\w+)" AS (.*)$/s.exec(sql);
		if (create) {
			const key = create[1].toLowerCase();
			if (this.relations.get(key)?.kind === 'table') {
				throw new Error(`Catalog Error: Existing object ${create[1]} is of type Table, trying to replace with type View`);
			}
			this.evaluate(create[2]); // DuckDB binds a view when it is created
			this.relations.set(key, { kind: 'view', name: create[1], body: create[2] });
			return;
		}
		const drop = /^DROP (VIEW|TABLE) IF EXISTS "(\w+)"$/.exec(sql);
		if (drop) {
			const rel = this.relations.get(drop[2].toLowerCase());
			if (rel && rel.kind !== drop[1].toLowerCase()) throw new Error(`Catalog Error: Existing object ${drop[2]} is not a ${drop[1]}`);
			this.relations.delete(drop[2].toLowerCase());
			return;
		}
		throw new Error(`fake engine cannot exec: ${sql}`);
	}

	async registerRows(name: string, columns: Record<string, (number | string | null)[]>): Promise<void> {
		this.log.push(`REGISTER ${name}`);
		await this.tick();
		this.relations.set(name.toLowerCase(), { kind: 'table', name, columns });
	}

	async tableNames(): Promise<string[]> {
		return [...this.relations.values()].map((r) => r.name);
	}
}
