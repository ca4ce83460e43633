import { DEFAULT_RENDER_OPTIONS } from '../../src/core/render/options';
import type { EngineConfig } from '../../src/core/sync/engine';

/** An engine config as the shells build one from default settings, for the server at `serverUrl`. */
export function testEngineConfig(serverUrl: string, extra: Partial<EngineConfig> = {}): EngineConfig {
	return {
		serverUrl,
		authHeader: 'Authorization',
		mode: 'incremental',
		dryRun: false,
		folder: 'Books',
		folderTemplate: '',
		keepFileNamesInSync: true,
		recreateDeleted: false,
		archiveFolder: '',
		retiredPropertyNames: [],
		removals: { allowMassRemoval: false, automatic: false },
		render: { ...DEFAULT_RENDER_OPTIONS, serverUrl },
		pageSize: 2,
		overlapMinutes: 5,
		timeoutMs: 5000,
		...extra,
	};
}
