// The page's cell queries, cancellable (trial-red w9 #5: a long SQL cell had no running state and
// no cancel, and blocked every other cell). A query is sent as a pending query (duckdb-wasm's
// AsyncDuckDBConnection.send): the worker runs it in slices and answers other messages between
// them, so cancelSent() reaches it and interrupts it. Cell queries get a connection of their own,
// so the page's other queries (table loads, run rows, the schema browser) neither wait for nor
// disturb a pending one; on it, queries run one at a time (a connection holds one pending
// query). Cancel() rejects the caller at once with QueryCancelledError — the cell
// then says "cancelled", the cells downstream wait on it, and the next run is not held up.
// A query whose tables still load (`prepare`) counts as running: a Cancel then stops it before it
// is sent (the load goes on; other cells share it), and says so. When the worker refused the
// interrupt (the query was past its pending phase, fetching batches), the next query on the
// connection waits until the old one settled, so it never shares the connection with it (review10 #8, #9).

/** What the runner needs of a duckdb-wasm connection (AsyncDuckDBConnection has both). */
export interface SendingConnection {
	send(sql: string): Promise<(AsyncIterable<unknown> & { readonly schema: unknown }) | undefined>;
	cancelSent(): Promise<boolean>;
}

export class QueryCancelledError extends Error {
	/** notSent: cancelled while its tables loaded, before the query reached the database. */
	constructor(readonly seconds: number, readonly notSent = false) {
		const after = `cancelled after ${seconds < 10 ? seconds.toFixed(1) : Math.round(seconds)} s`;
		super(notSent ? `${after} before it was sent (its tables loading, or the query before it still ending): it did not run; ▶ Run runs the cell again` : `${after}: the query was stopped; ▶ Run runs the cell again`);
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
	/** False while `prepare` runs: the query is not sent yet. */
	sent: boolean;
	/** The query's own work (send and fetch), once sent. */
	work: Promise<unknown> | null;
	/** What the next query on the connection waits for besides this one's answer. */
	hold: { until: Promise<unknown> };
}

interface Waiting {
	started: number;
	cancelled: QueryCancelledError | null;
	stop(error: Error): void;
}

export class QueryRunner<T> {
	private readonly inFlight = new Set<InFlight>();
	private readonly waiting = new Set<Waiting>();
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

	/** Runs `sql` after `prepare` (e.g. loading the tables it reads), which a Cancel also stops it in. */
	run(sql: string, prepare?: () => Promise<void>): Promise<T> {
		const hold = { until: Promise.resolve() as Promise<unknown> };
		// Waiting for its turn: behind a query the worker would not interrupt, a Cancel finds
		// nothing running and stops this one instead (it is what the page shows as running).
		let stop: (error: Error) => void = () => {};
		const stopped = new Promise<never>((_, reject) => (stop = reject));
		const waiting: Waiting = { started: this.clock(), cancelled: null, stop };
		this.waiting.add(waiting);
		const turn = this.turn.then(() => {
			this.waiting.delete(waiting);
			if (waiting.cancelled) throw waiting.cancelled;
			return this.runNow(sql, prepare, hold);
		});
		// hold.until is read once the answer settled: a Cancel sets it before it rejects the caller.
		// The next query waits for this one's turn to end, even when its caller was told at once.
		this.turn = turn.then(
			() => undefined,
			() => hold.until
		);
		turn.catch(() => {});
		return Promise.race([turn, stopped]);
	}

	private async runNow(sql: string, prepare: (() => Promise<void>) | undefined, hold: InFlight['hold']): Promise<T> {
		let stop: (error: Error) => void = () => {};
		const stopped = new Promise<never>((_, reject) => (stop = reject));
		const entry: InFlight = { sql, started: this.clock(), stop, sent: false, work: null, hold };
		let cancelled = false;
		stopped.catch(() => (cancelled = true));
		const work = (async () => {
			if (prepare) await prepare();
			if (cancelled) throw new Error('cancelled before it was sent');
			const conn = await this.connection();
			if (cancelled) throw new Error('cancelled before it was sent');
			entry.sent = true;
			const reader = await conn.send(sql);
			if (!reader) throw new Error('the database worker is gone: reload the page');
			const batches: unknown[] = [];
			for await (const batch of reader) batches.push(batch);
			return this.toTable(reader.schema, batches);
		})();
		entry.work = work;
		const answer = work.catch((error: unknown) => {
			throw duckdbError(error);
		});
		work.catch(() => {}); // after a cancel, its own error (or late result) goes nowhere
		answer.catch(() => {});
		this.inFlight.add(entry);
		try {
			return await Promise.race([answer, stopped]);
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
		return (await this.cancelDetailed()).stopped;
	}

	/**
	 * cancel(), with what the caller was told: `stopped` — the worker took the interrupt, or the
	 * query had not been sent yet (it never will be); `errors` — what each stopped caller got.
	 */
	async cancelDetailed(): Promise<{ stopped: boolean; errors: QueryCancelledError[] }> {
		const entries = [...this.inFlight];
		if (!entries.length) {
			// Nothing sent: those waiting for their turn (behind a query the worker would not
			// interrupt) are stopped, never to be sent.
			const errors: QueryCancelledError[] = [];
			for (const w of this.waiting) {
				if (w.cancelled) continue;
				w.cancelled = new QueryCancelledError((this.clock() - w.started) / 1000, true);
				errors.push(w.cancelled);
				w.stop(w.cancelled);
			}
			return { stopped: errors.length > 0, errors };
		}
		const sent = entries.filter((e) => e.sent);
		const interrupted = sent.length ? await (await this.connection()).cancelSent().catch(() => false) : false;
		const errors: QueryCancelledError[] = [];
		for (const entry of entries) {
			if (!this.inFlight.has(entry)) continue;
			this.inFlight.delete(entry);
			// Sent and not interrupted: it still runs in the worker; the next query waits for it.
			if (entry.sent && !interrupted && entry.work) entry.hold.until = entry.work.catch(() => {});
			const error = new QueryCancelledError((this.clock() - entry.started) / 1000, !entry.sent);
			errors.push(error);
			entry.stop(error);
		}
		return { stopped: sent.length === 0 || interrupted, errors };
	}
}

/**
 * A pending query's error as DuckDB words it elsewhere ("Parser Error: syntax error at …"):
 * through send() the worker answers with its JSON form, `{"exception_type":"Parser",
 * "exception_message":"…"}`, which the cell showed as is.
 */
export function duckdbError(error: unknown): unknown {
	if (!(error instanceof Error) || !error.message.startsWith('{')) return error;
	try {
		const parsed = JSON.parse(error.message) as { exception_type?: unknown; exception_message?: unknown };
		if (typeof parsed.exception_message !== 'string') return error;
		const type = typeof parsed.exception_type === 'string' && parsed.exception_type ? `${parsed.exception_type} Error: ` : '';
		return new Error(type + parsed.exception_message);
	} catch {
		return error;
	}
}
