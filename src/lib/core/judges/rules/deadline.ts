// The rule judges' time limit per program (the tree rules and the token rules they join, and the
// token rules alone, rules-v1). A judge is synchronous (it runs inside the web server's process
// for a page-started run), so it cannot be stopped from outside: its passes call `tick()` as
// they go — the tree walk (judges/rules/syntax.ts walk, toSyn), the families' own loops, the
// token helpers (helpers.ts tokensOf, mentions, conditionRanges), the tokenizers (a token each) and
// the bracket matching (structure.ts); the parser cancels through its
// progress callback (judges/rules/parse.ts) — and every TICKS_PER_CHECK
// ticks the clock is read once; past the deadline a tick throws JudgeTimeLimitError, which the
// judge run turns into a status ("judge time limit"), never a verdict. Outside `withTimeLimit`
// a tick only counts. Pure (performance.now is in every runtime): core rules import it.

/** The default limit per program (covw judge --timeout changes it). Real programs take milliseconds (SVEN: ~3 s per 1,000). */
export const DEFAULT_RULE_TIME_LIMIT_MS = 10_000;

/** Ticks between two reads of the clock: a tick is a node visited or a loop step (well under a microsecond each). */
const TICKS_PER_CHECK = 2048;

/** Thrown inside the judge once a program has run past its limit. */
export class JudgeTimeLimitError extends Error {
	constructor(readonly limitMs: number) {
		super(`judge time limit: no verdict within ${formatLimit(limitMs)} (the limit per program; covw judge --timeout)`);
		this.name = 'JudgeTimeLimitError';
	}
}

/** 10 s, 0.02 s, 1.5 s. */
export function formatLimit(ms: number): string {
	return `${Number((ms / 1000).toPrecision(3))} s`;
}

let deadline = Infinity;
let limit = Infinity;
let ticks = 0;

/** One step of work; throws JudgeTimeLimitError (at most every TICKS_PER_CHECK steps) once past the deadline. */
export function tick(steps = 1): void {
	ticks += steps;
	if (ticks < TICKS_PER_CHECK) return;
	ticks = 0;
	if (performance.now() > deadline) throw new JudgeTimeLimitError(limit);
}

/** Reads the clock now (between passes): throws once past the deadline. */
export function checkDeadline(): void {
	ticks = 0;
	if (performance.now() > deadline) throw new JudgeTimeLimitError(limit);
}

/** For a callback that must not throw (the parser's progress callback runs inside WASM): past the deadline? */
export function pastDeadline(): boolean {
	return performance.now() > deadline;
}

/** The error a pass throws once pastDeadline() said so. */
export function timeLimitError(): JudgeTimeLimitError {
	return new JudgeTimeLimitError(limit);
}

/** Runs `fn` with a deadline `limitMs` from now (Infinity or undefined: none); the outer deadline comes back after. */
export function withTimeLimit<T>(limitMs: number | undefined, fn: () => T): T {
	return withDeadline(limitMs ?? Infinity, limitMs ?? Infinity, fn);
}

/** `fn` with `leftMs` from now before JudgeTimeLimitError, which names `limitMs` (the program's whole limit). */
function withDeadline<T>(leftMs: number, limitMs: number, fn: () => T): T {
	const outer = { deadline, limit };
	deadline = Math.min(outer.deadline, performance.now() + leftMs);
	limit = deadline === outer.deadline ? outer.limit : limitMs;
	ticks = 0;
	try {
		return fn();
	} finally {
		deadline = outer.deadline;
		limit = outer.limit;
	}
}

/**
 * A judge's passes as steps (a generator that yields between passes) under one limit of compute
 * time: each step runs with what is left of it, and the time between steps — when the caller
 * gave the event loop a turn — does not count. Past the limit a step throws JudgeTimeLimitError.
 */
export function* stepsWithTimeLimit<T>(limitMs: number | undefined, steps: Generator<void, T>): Generator<void, T> {
	const limitAll = limitMs ?? Infinity;
	let left = limitAll;
	try {
		for (;;) {
			const t0 = performance.now();
			let step: IteratorResult<void, T>;
			try {
				step = withDeadline(left, limitAll, () => steps.next());
			} finally {
				left -= performance.now() - t0;
			}
			if (step.done) return step.value;
			if (left < 0) throw new JudgeTimeLimitError(limitAll);
			yield;
		}
	} finally {
		steps.return(undefined as T); // an abandoned judge still lets go of what it holds (its tree)
	}
}

/** Runs steps to their end, here and now (callers that need no turns in between). */
export function runSteps<T>(steps: Generator<void, T>): T {
	for (;;) {
		const step = steps.next();
		if (step.done) return step.value;
	}
}
