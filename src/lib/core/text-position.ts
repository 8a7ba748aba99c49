/** offset → 1-based line and column, by binary search over line starts computed once. */
export function textLocator(text: string): (offset: number) => { line: number; column: number } {
	const starts = [0];
	for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
	return (offset) => {
		let lo = 0;
		let hi = starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (starts[mid] <= offset) lo = mid;
			else hi = mid - 1;
		}
		return { line: lo + 1, column: offset - starts[lo] + 1 };
	};
}

/** 1-based line of a character offset (lines end at LF; a CRLF's CR stays on its line). */
export function lineOf(text: string, offset: number): number {
	let line = 1;
	const end = Math.min(offset, text.length);
	for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) line++;
	return line;
}
