import { afterEach } from 'vitest';
import type { CoverRoute } from './covers';
import { startReferenceServer, type ReferenceServer } from './reference-server';

/**
 * For cover adapter tests: reference servers that serve one cover route
 * (no feed covers of their own), all stopped after each test.
 */
export function coverServers(): (covers: CoverRoute, token?: string) => Promise<ReferenceServer> {
	let servers: ReferenceServer[] = [];
	afterEach(async () => {
		await Promise.all(servers.map((server) => server.stop()));
		servers = [];
	});
	return async (covers, token) => {
		const server = await startReferenceServer({ token, routes: [covers.route], covers: false });
		servers.push(server);
		return server;
	};
}
