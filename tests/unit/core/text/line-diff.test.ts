// The compare view's line diff.
import { describe, expect, it } from 'vitest';
import { diffStats, lineDiff } from '../../../../src/lib/core/text/line-diff.ts';

describe('lineDiff', () => {
	it('keeps common lines and marks removed and added ones with both sides’ numbers', () => {
		const left = 'import os\ndef run(cmd):\n    os.system(cmd)\n';
		const right = 'import subprocess\ndef run(cmd):\n    subprocess.run([cmd])\n    return None\n';
		expect(lineDiff(left, right)).toEqual([
			{ kind: 'removed', text: 'import os', left: 1 },
			{ kind: 'added', text: 'import subprocess', right: 1 },
			{ kind: 'same', text: 'def run(cmd):', left: 2, right: 2 },
			{ kind: 'removed', text: '    os.system(cmd)', left: 3 },
			{ kind: 'added', text: '    subprocess.run([cmd])', right: 3 },
			{ kind: 'added', text: '    return None', right: 4 }
		]);
	});

	it('handles empty sides and identical programs', () => {
		expect(lineDiff('', 'a\nb')).toEqual([
			{ kind: 'added', text: 'a', right: 1 },
			{ kind: 'added', text: 'b', right: 2 }
		]);
		expect(lineDiff('x\r\ny', 'x\ny\n')!.every((l) => l.kind === 'same')).toBe(true);
	});

	it('counts the lines added and removed (a seed and its evolved scenario)', () => {
		const seed = 'import os\ndef f(x):\n    # go on\n';
		const evolved = 'import os\nimport re\ndef f(x, limit):\n    # go on\n';
		const d = lineDiff(seed, evolved)!;
		expect(d.map((l) => [l.kind, l.text])).toEqual([
			['same', 'import os'],
			['removed', 'def f(x):'],
			['added', 'import re'],
			['added', 'def f(x, limit):'],
			['same', '    # go on']
		]);
		expect(diffStats(d)).toEqual({ added: 2, removed: 1 });
		expect(diffStats(lineDiff('a\nb', 'a\nb')!)).toEqual({ added: 0, removed: 0 });
	});
});
