// The answers a notebook page gets inside its HTML (server/first-paint/early-answers.ts): written
// where app.html marks, read back exactly, and no text in them can end the data block.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { answerOf, earlyBlock, EARLY_BLOCK_ID, EARLY_MARK, notebookOfPagePath, withEarlyAnswers } from '../../../src/lib/server/first-paint/early-answers.ts';

/** What app.html's script reads: the block's text, parsed. */
function readBack(html: string): unknown {
	const m = new RegExp(`<script type="application/json" id="${EARLY_BLOCK_ID}">([\\s\\S]*?)</script>`).exec(html);
	if (!m) throw new Error('no block');
	return JSON.parse(m[1]);
}

describe('early answers', () => {
	it('names the notebook of a notebook page only', () => {
		expect(notebookOfPagePath('/notebooks/figure4-correlations')).toBe('figure4-correlations');
		expect(notebookOfPagePath('/notebooks/a%20b/')).toBe('a b');
		expect(notebookOfPagePath('/notebooks/a/first-paint')).toBeNull();
		expect(notebookOfPagePath('/api/notebooks/a')).toBeNull();
		expect(notebookOfPagePath('/notebooks/%E0%A4%A')).toBeNull();
	});

	it('keeps a text that tries to end the block inside it, and reads it back unchanged', () => {
		const hostile = 'x </script><script>alert(1)</script> <!-- y';
		const answers = { notebook: { status: 200, body: JSON.stringify({ text: hostile, version: 'v1' }) } };
		const block = earlyBlock(answers);
		expect(block.match(/<\/script>/g)).toHaveLength(1); // its own end only
		expect(block).not.toContain('<!--');
		const html = withEarlyAnswers(`<head>${EARLY_MARK}<script>boot()</script></head>`, answers);
		expect(readBack(html)).toEqual(answers);
		expect(JSON.parse((readBack(html) as typeof answers).notebook.body).text).toBe(hostile);
	});

	it('writes the text as given, even with $ patterns a string replace would expand', () => {
		const answers = { tables: { status: 200, body: '["$&", "$1", "$$"]' } };
		expect(readBack(withEarlyAnswers(EARLY_MARK, answers))).toEqual(answers);
	});

	it('leaves a page without the mark unchanged', () => {
		expect(withEarlyAnswers('<head></head>', { tables: { status: 200, body: '[]' } })).toBe('<head></head>');
	});

	it("reads a route's status and body; a bodiless answer has none; a route that throws is left out", async () => {
		expect(await answerOf(() => new Response('{"a":1}', { status: 404 }))).toEqual({ status: 404, body: '{"a":1}' });
		expect(await answerOf(() => new Response(null, { status: 204 }))).toEqual({ status: 204, body: null });
		expect(
			await answerOf(async () => {
				throw new Error('disk gone');
			})
		).toBeUndefined();
	});

	it('app.html marks the place before its early-request script, which reads the block', () => {
		const app = readFileSync(new URL('../../../src/app.html', import.meta.url), 'utf8');
		const mark = app.indexOf(EARLY_MARK);
		expect(mark).toBeGreaterThan(-1);
		expect(mark).toBeLessThan(app.indexOf('__covwEarly'));
		expect(app).toContain(`getElementById('${EARLY_BLOCK_ID}')`);
	});
});
