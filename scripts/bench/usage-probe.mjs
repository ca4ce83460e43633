// Preloaded into every measured child (`node --import`): at exit, writes the
// process's own resource usage (user and system CPU of all its threads, the
// engine's worker included) to the file named by BENCH_USAGE_FILE.
import { writeFileSync } from 'node:fs';
import process from 'node:process';

process.on('exit', () => {
	const file = process.env.BENCH_USAGE_FILE;
	if (!file) return;
	const usage = process.resourceUsage();
	writeFileSync(file, JSON.stringify({ userUs: usage.userCPUTime, systemUs: usage.systemCPUTime, maxRssKb: usage.maxRSS }));
});
