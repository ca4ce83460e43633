/**
 * The feed's URL rules under the name the shells import. The implementation
 * lives in sync-url.ts because core files may not import a module named
 * `url` (the purity lint reserves that name for Node's module).
 */
export { SYNC_ENDPOINT_PATH, buildSyncUrl, hostOf, normaliseBaseUrl, type SyncUrlParams } from './sync-url';
