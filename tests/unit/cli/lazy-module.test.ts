// lazyModule (src/cli/lazy-module.ts) loads a module by a specifier resolved against the
// caller's URL, as `import('./x.ts')` written in the caller would: the same module instance,
// and a missing file is a rejected import, not a silent undefined.
import { describe, expect, it } from 'vitest';
import { lazyModule } from '../../../src/cli/lazy-module.ts';
import * as command from '../../../src/cli/command.ts';

describe('lazyModule', () => {
	it('resolves against the caller and gives the module a literal import gives', async () => {
		const loaded = await lazyModule<typeof import('../../../src/cli/command.ts')>(import.meta.url, '../../../src/cli/command.ts');
		expect(loaded.CliError).toBe(command.CliError);
	});

	it('rejects for a module that does not exist', async () => {
		await expect(lazyModule(import.meta.url, './no-such-module.ts')).rejects.toThrow();
	});
});
