// What the labelling view says when an answer could not be saved. A key pressed while the
// server is down (fetch rejects: "Failed to fetch") or refused by it (a 4xx/5xx) saved
// nothing: the view says so plainly, keeps the target and its answers selectable, and offers
// the same answer again (Retry) — it never moves on as if the label were saved.

/** fetch() rejects (a TypeError) when no answer came at all: the server is stopped or unreachable. */
export function isUnreachable(error: unknown): boolean {
	return error instanceof TypeError;
}

/** The reason a request failed, in words: the server's own message, or that it did not answer. */
export function failureReason(error: unknown): string {
	if (isUnreachable(error)) return 'the workbench server did not answer (is it still running?)';
	return error instanceof Error ? error.message : String(error);
}

/** "NOT saved" for an answer (`answer`: its words, e.g. "vulnerable") on a target. */
export function notSavedMessage(error: unknown, answer: string, targetId: string): string {
	return `Your answer "${answer}" on ${targetId} was NOT saved: ${failureReason(error)}. Nothing was recorded; answer again or press Retry${isUnreachable(error) ? ' once the server is back' : ''}.`;
}
