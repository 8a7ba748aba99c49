import { describe, expect, it } from 'vitest';
import { frontMatterTitle } from '../../../../src/lib/server/notebooks/front-matter-title.ts';

describe('frontMatterTitle', () => {
	it('reads the title line of the opening front matter', () => {
		expect(frontMatterTitle('---\ntitle: Figure 4 — ranks\nauthor: me\n---\nbody')).toBe('Figure 4 — ranks');
		expect(frontMatterTitle('---\r\nauthor: me\r\ntitle:   spaced   \r\n---\r\n')).toBe('spaced');
		expect(frontMatterTitle('\uFEFF---\ntitle: with bom\n---\n')).toBe('with bom');
	});

	it('unquotes YAML-quoted titles', () => {
		expect(frontMatterTitle('---\ntitle: "A: \\"quoted\\" title"\n---\n')).toBe('A: "quoted" title');
		expect(frontMatterTitle("---\ntitle: 'it''s'\n---\n")).toBe("it's");
	});

	it('returns null without front matter, without a title, or with an empty one', () => {
		expect(frontMatterTitle('# Heading\ntitle: not front matter\n')).toBeNull();
		expect(frontMatterTitle('---\nauthor: me\n---\ntitle: after\n')).toBeNull();
		expect(frontMatterTitle('---\ntitle:\n---\n')).toBeNull();
		expect(frontMatterTitle('---\ntitle: never closed\n')).toBeNull();
		expect(frontMatterTitle('')).toBeNull();
	});
});
