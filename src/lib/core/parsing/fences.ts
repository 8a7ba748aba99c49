// Markdown code fences: finding fenced blocks in a model answer, and peeling the single
// outer fence the Vul-Evol scenario files are wrapped in.

export interface FencedBlock {
	/** The info string's first word, lowercased ('' when the fence has none). */
	lang: string;
	body: string;
	/** False when the answer ended before the closing fence (a truncated answer). */
	closed: boolean;
}

const OPEN = /^[ \t]*(`{3,}|~{3,})[ \t]*([^\s`]*)[^\n`]*$/;

/** Every fenced block in order; an unclosed last fence yields a block running to the end. */
export function findFencedBlocks(text: string): FencedBlock[] {
	const lines = text.split('\n');
	const blocks: FencedBlock[] = [];
	for (let i = 0; i < lines.length; i++) {
		const open = OPEN.exec(lines[i]);
		if (!open) continue;
		const marker = open[1];
		const closing = new RegExp(`^[ \\t]*${marker[0] === '`' ? '`' : '~'}{${marker.length},}[ \\t]*$`);
		let j = i + 1;
		while (j < lines.length && !closing.test(lines[j])) j++;
		blocks.push({
			lang: open[2].toLowerCase(),
			body: lines.slice(i + 1, j).join('\n'),
			closed: j < lines.length
		});
		i = j;
	}
	return blocks;
}

/**
 * Removes one fence wrapping the whole text (an opening ```lang line at the start and a
 * closing ``` line at the end); everything between is kept byte for byte. Text without an
 * outer fence is returned unchanged.
 */
export function stripOuterFence(text: string): string {
	const open = /^[ \t]*```[^\n]*\n/.exec(text);
	if (!open) return text;
	const inner = text.slice(open[0].length);
	const close = /\n?[ \t]*```[ \t]*\n?\s*$/.exec(inner);
	return close ? inner.slice(0, close.index) : inner;
}
