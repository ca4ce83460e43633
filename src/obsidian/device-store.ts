import type { App } from 'obsidian';

/** What this device remembers about automatic runs; never synced to other devices. */
export interface DeviceState {
	/** The per-device switch for vaults shared between devices. */
	syncOnThisDevice: boolean;
	/** Failed runs in a row since the last success (drives the back-off). */
	consecutiveFailures: number;
	/** The server rejected the token: automatic runs wait until the settings change. */
	authBlocked: boolean;
}

const DEFAULT_DEVICE_STATE: DeviceState = { syncOnThisDevice: true, consecutiveFailures: 0, authBlocked: false };

/** Device state in Obsidian's vault-scoped local storage; junk reads as the defaults. */
export class DeviceStore {
	private current: DeviceState;

	constructor(
		private readonly app: App,
		private readonly key = 'library-sync-device',
	) {
		this.current = this.read();
	}

	get(): DeviceState {
		return { ...this.current };
	}

	update(change: Partial<DeviceState>): DeviceState {
		this.current = { ...this.current, ...change };
		this.app.saveLocalStorage(this.key, { ...this.current });
		return this.get();
	}

	private read(): DeviceState {
		const raw: unknown = this.app.loadLocalStorage(this.key);
		if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_DEVICE_STATE };
		const source = raw as Record<string, unknown>;
		const failures = source.consecutiveFailures;
		return {
			syncOnThisDevice: typeof source.syncOnThisDevice === 'boolean' ? source.syncOnThisDevice : DEFAULT_DEVICE_STATE.syncOnThisDevice,
			consecutiveFailures: typeof failures === 'number' && Number.isInteger(failures) && failures >= 0 ? failures : 0,
			authBlocked: source.authBlocked === true,
		};
	}
}
