/**
 * Summarises a V8 CPU profile (`node --cpu-prof`): self and total time per
 * function, aggregated over every call site, biggest first. Total time
 * counts a function once per sample even when it recurses.
 *
 * Standalone: npx tsx scripts/bench/profile.ts <file.cpuprofile> [top]
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import process from 'node:process';

interface ProfileNode {
	id: number;
	callFrame: { functionName: string; url: string; lineNumber: number };
	children?: number[];
}

interface CpuProfile {
	nodes: ProfileNode[];
	startTime: number;
	endTime: number;
	samples: number[];
	timeDeltas: number[];
}

export interface ProfileEntry {
	/** `name (file:line)`, or V8's own `(garbage collector)`, `(idle)`, `(program)`. */
	name: string;
	selfMs: number;
	totalMs: number;
}

export interface ProfileSummary {
	/** Wall time the profile covers. */
	durationMs: number;
	/** Idle time: the process was waiting (network, disk, timers). */
	idleMs: number;
	entries: ProfileEntry[];
}

function label(node: ProfileNode): string {
	const { functionName, url, lineNumber } = node.callFrame;
	const name = functionName === '' ? '(anonymous)' : functionName;
	if (url === '') return name;
	const file = url.includes('node_modules') ? url.slice(url.lastIndexOf('node_modules') + 13) : path.basename(url.replace(/^file:\/\//, ''));
	return `${name} (${file}:${lineNumber + 1})`;
}

/** Reads and aggregates a .cpuprofile file. */
export function summariseProfile(file: string): ProfileSummary {
	const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
	const byId = new Map<number, ProfileNode>();
	const parent = new Map<number, number>();
	for (const node of profile.nodes) {
		byId.set(node.id, node);
		for (const child of node.children ?? []) parent.set(child, node.id);
	}
	const self = new Map<string, number>();
	const total = new Map<string, number>();
	let idleUs = 0;
	profile.samples.forEach((id, i) => {
		// A sample's time is the gap to the next sample.
		const us = profile.timeDeltas[i + 1] ?? 0;
		const node = byId.get(id);
		if (!node) return;
		const own = label(node);
		if (own === '(idle)') idleUs += us;
		self.set(own, (self.get(own) ?? 0) + us);
		const seen = new Set<string>();
		for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
			const frame = byId.get(at);
			if (!frame) break;
			const name = label(frame);
			if (seen.has(name)) continue;
			seen.add(name);
			total.set(name, (total.get(name) ?? 0) + us);
		}
	});
	const entries = [...self.entries()]
		.map(([name, us]) => ({ name, selfMs: us / 1000, totalMs: (total.get(name) ?? us) / 1000 }))
		.sort((a, b) => b.selfMs - a.selfMs);
	return { durationMs: (profile.endTime - profile.startTime) / 1000, idleMs: idleUs / 1000, entries };
}

/** The `top` entries by self time, and the `top` by total time, as text lines. */
export function formatProfile(summary: ProfileSummary, top = 20): string[] {
	const lines = [`profile: ${summary.durationMs.toFixed(0)} ms, idle ${summary.idleMs.toFixed(0)} ms (${((summary.idleMs / summary.durationMs) * 100).toFixed(0)}%)`];
	lines.push('  self ms   self %  total ms  function');
	for (const entry of summary.entries.slice(0, top)) {
		lines.push(`${entry.selfMs.toFixed(0).padStart(8)} ${((entry.selfMs / summary.durationMs) * 100).toFixed(1).padStart(7)}% ${entry.totalMs.toFixed(0).padStart(9)}  ${entry.name}`);
	}
	lines.push('', ' total ms  total %  function (by total time, runtime frames left out)');
	const byTotal = [...summary.entries]
		.filter((entry) => !entry.name.startsWith('(') && !entry.name.startsWith('processTicksAndRejections') && !entry.name.startsWith('(anonymous)'))
		.sort((a, b) => b.totalMs - a.totalMs);
	for (const entry of byTotal.slice(0, top)) {
		lines.push(`${entry.totalMs.toFixed(0).padStart(9)} ${((entry.totalMs / summary.durationMs) * 100).toFixed(1).padStart(7)}%  ${entry.name}`);
	}
	return lines;
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
	const file = process.argv[2];
	if (file === undefined) {
		process.stderr.write('Usage: tsx scripts/bench/profile.ts <file.cpuprofile> [top]\n');
		process.exit(2);
	}
	process.stdout.write(`${formatProfile(summariseProfile(file), Number(process.argv[3] ?? 25)).join('\n')}\n`);
}
