import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	resolve: {
		// The `obsidian` package ships types only; in tests it is the faithful fake.
		alias: { obsidian: fileURLToPath(new URL('./tests/obsidian-fake/index.ts', import.meta.url)) },
	},
	test: {
		include: ['tests/**/*.test.ts'],
		testTimeout: 30_000,
		hookTimeout: 60_000,
		pool: 'forks',
	},
});
