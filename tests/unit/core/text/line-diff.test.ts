// The compare view's line diff.
import { describe, expect, it } from 'vitest';
import { lineDiff } from '../../../../src/lib/workbench/sample/line-diff.ts';

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
});
