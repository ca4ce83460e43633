import { readFileSync } from 'node:fs';

let bootId: string | undefined;

/**
 * When process `pid` started, as `<boot id>:<clock ticks since boot>`
 * (field 22 of /proc/<pid>/stat): with the pid, an identity that a reused
 * pid does not share. Undefined where there is no /proc (macOS, Windows),
 * /proc hides the process, or there is no such process.
 */
export function processStart(pid: number): string | undefined {
	let stat: string;
	try {
		stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	} catch {
		return undefined;
	}
	// The command name (field 2) is in parentheses and may hold spaces and parentheses itself.
	const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
	if (ticks === undefined || !/^\d+$/.test(ticks)) return undefined;
	if (bootId === undefined) {
		try {
			bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
		} catch {
			bootId = '';
		}
	}
	return `${bootId}:${ticks}`;
}
