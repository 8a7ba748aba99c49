// End-to-end tests: the built app (adapter-node) in Debian's Chromium, driven by playwright-core.
import { defineConfig } from 'vitest/config';

export default defineConfig({
	test: {
		include: ['tests/e2e/**/*.e2e.ts'],
		globalSetup: ['tests/e2e/global-setup.ts'],
		// One browser at a time: these machines have 2 cores and the server needs one.
		fileParallelism: false,
		testTimeout: 60_000,
		hookTimeout: 60_000
	}
});
