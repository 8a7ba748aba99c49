// The page's cell queries, cancellable (trial-red w9 #5: a long SQL cell had no running state and
// no cancel, and blocked every other cell). A query is sent as a pending query (duckdb-wasm's
// AsyncDuckDBConnection.send): the worker runs it in slices and answers other messages between
// them, so cancelSent() reaches it and interrupts it. Cell queries get a connection of their own,
// so the page's other queries (table loads, run rows, the schema browser) neither wait for nor
// disturb a pending one; on it, queries run one at a time (a connection holds one pending
// query). Cancel() rejects the caller at once with QueryCancelledError — the cell
// then says "cancelled", the cells downstream wait on it, and the next run is not held up.

/** What the runner needs of a duckdb-wasm connection (AsyncDuckDBConnection has both). */
export interface SendingConnection {
	send(sql: string): Promise<(AsyncIterable<unknown> & { readonly schema: unknown }) | undefined>;
	cancelSent(): Promise<boolean>;
}

export class QueryCancelledError extends Error {
	constructor(readonly seconds: number) {
		super(`cancelled after ${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s: the query was stopped; ▶ Run runs the cell again`);
		this.name = 'QueryCancelledError';
	}
}

export interface RunningQuery {
	sql: string;
	/** When it was sent (the runner's clock, ms). */
	started: number;
}

interface InFlight extends RunningQuery {
	stop(error: Error): void;
}

export class QueryRunner<T> {
	private readonly inFlight = new Set<InFlight>();
	/** One query at a time: a connection holds one pending query, a second send would replace it. */
	private turn: Promise<unknown> = Promise.resolve();

	constructor(
		private readonly connection: () => Promise<SendingConnection>,
		/** The result table from the stream's schema and batches. */
		private readonly toTable: (schema: unknown, batches: unknown[]) => T,
		private readonly clock: () => number = () => Date.now()
	) {}

	/** The queries running now, oldest first. */
	get running(): RunningQuery[] {
		return [...this.inFlight].map(({ sql, started }) => ({ sql, started }));
	}

	run(sql: string): Promise<T> {
		const result = this.turn.then(() => this.runNow(sql));
		this.turn = result.catch(() => {});
		return result;
	}

	private async runNow(sql: string): Promise<T> {
		const conn = await this.connection();
		let stop: (error: Error) => void = () => {};
		const stopped = new Promise<never>((_, reject) => (stop = reject));
		const entry: InFlight = { sql, started: this.clock(), stop };
		const work = (async () => {
			const reader = await conn.send(sql);
			if (!reader) throw new Error('the database worker is gone: reload the page');
			const batches: unknown[] = [];
			for await (const batch of reader) batches.push(batch);
			return this.toTable(reader.schema, batches);
		})();
		work.catch(() => {}); // after a cancel, its own error (or late result) goes nowhere
		this.inFlight.add(entry);
		try {
			return await Promise.race([work, stopped]);
		} finally {
			this.inFlight.delete(entry);
		}
	}

	/**
	 * Stops the running query (not those queued behind it): asks the worker to interrupt it, and
	 * rejects its caller at once with QueryCancelledError. Whether the worker took the interrupt;
	 * false too when nothing was running.
	 */
	async cancel(): Promise<boolean> {
		const entries = [...this.inFlight];
		if (!entries.length) return false;
		const conn = await this.connection();
		const interrupted = await conn.cancelSent().catch(() => false);
		for (const entry of entries) {
			this.inFlight.delete(entry);
			entry.stop(new QueryCancelledError((this.clock() - entry.started) / 1000));
		}
		return interrupted;
	}
}
