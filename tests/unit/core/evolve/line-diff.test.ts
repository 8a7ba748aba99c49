import { describe, expect, it } from 'vitest';
import { diffStats, lineDiff } from '../../../../src/lib/core/evolve/line-diff.ts';

describe('line diff of seed and evolved scenario', () => {
	it('keeps common lines and marks removed and added ones in order', () => {
		const seed = 'import os\ndef f(x):\n    # go on\n';
		const evolved = 'import os\nimport re\ndef f(x, limit):\n    # go on\n';
		const d = lineDiff(seed, evolved);
		expect(d).toEqual([
			{ op: 'same', text: 'import os' },
			{ op: 'del', text: 'def f(x):' },
			{ op: 'add', text: 'import re' },
			{ op: 'add', text: 'def f(x, limit):' },
			{ op: 'same', text: '    # go on' },
			{ op: 'same', text: '' }
		]);
		expect(diffStats(d)).toEqual({ added: 2, removed: 1 });
		expect(diffStats(lineDiff('a\nb', 'a\nb'))).toEqual({ added: 0, removed: 0 });
	});
});
