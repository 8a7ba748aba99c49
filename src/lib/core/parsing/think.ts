// Reasoning models put their chain of thought before `</think>`; only what follows is the
// answer. (The upstream harness keeps the text after the last `</think>`, so do we.)

/**
 * The answer part of a response: the text after the last `</think>`. When a `<think>` was
 * opened but never closed, the model was cut off mid-thought and there is no answer: ''.
 */
export function stripReasoning(text: string): string {
	const close = text.lastIndexOf('</think>');
	if (close >= 0) return text.slice(close + '</think>'.length).replace(/^\s+/, '');
	if (/<think>/i.test(text)) return '';
	return text;
}
