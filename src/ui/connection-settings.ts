import { SecretComponent, SettingGroup, type App } from 'obsidian';
import { fetchPage } from '../core/api/client';
import { DEFAULT_RETRY_POLICY } from '../core/api/retry';
import { normaliseBaseUrl } from '../core/api/sync-url';
import { isSyncError } from '../core/errors';
import type { Settings } from '../core/settings/schema';
import { RequestUrlTransport } from '../obsidian/http-transport';
import { readToken } from '../obsidian/secret-token';
import { errorText } from './status-text';

/** A host that is not this device: plain http there sends the token in clear. */
function isLocalHost(url: string): boolean {
	try {
		const host = new URL(url).hostname;
		return host === 'localhost' || host === '[::1]' || host.startsWith('127.') || host.endsWith('.local');
	} catch {
		return false;
	}
}

/** The "Connection" section: server URL, token, token header, and a connection test. */
export function addConnectionSettings(containerEl: HTMLElement, app: App, settings: Settings, save: (change: Partial<Settings>) => void): void {
	const group = new SettingGroup(containerEl).setHeading('Connection');
	group.addSetting((setting) => {
		const status = createDiv({ cls: 'library-sync-warning' });
		const check = (value: string): void => {
			status.empty();
			if (value.trim() === '') return;
			try {
				const url = normaliseBaseUrl(value);
				if (url.startsWith('http://') && !isLocalHost(url)) {
					status.setText('Plain HTTP sends your token unencrypted over the network; use HTTPS unless the server is on this device or a trusted network.');
				}
			} catch (error) {
				status.setText(isSyncError(error) ? error.message : 'This is not a valid URL.');
			}
		};
		setting
			.setName('Server URL')
			.setDesc('The base address of your library server, with its path prefix if it has one.')
			.addText((text) =>
				text
					.setPlaceholder('https://books.example.org')
					.setValue(settings.serverUrl)
					.onChange((value) => {
						check(value);
						let url = '';
						try {
							url = value.trim() === '' ? '' : normaliseBaseUrl(value);
						} catch {
							return;
						}
						save({ serverUrl: url });
					}),
			);
		setting.descEl.appendChild(status);
		check(settings.serverUrl);
	});
	group.addSetting((setting) => {
		setting
			.setName('API token')
			.setDesc('Kept in Obsidian\'s secret storage on this device, never in the settings file.')
			.addComponent((el) =>
				new SecretComponent(app, el).setValue(settings.tokenSecretName).onChange((name) => save({ tokenSecretName: name })),
			);
	});
	group.addSetting((setting) => {
		setting
			.setName('Token header')
			.setDesc('Authorization sends "Bearer <token>"; any other header carries the token as it is.')
			.addText((text) =>
				text.setValue(settings.authHeader).onChange((value) => {
					if (/^[A-Za-z0-9-]+$/.test(value.trim())) save({ authHeader: value.trim() });
				}),
			);
	});
	group.addSetting((setting) => {
		const result = createDiv();
		setting
			.setName('Test connection')
			.setDesc('Asks the server for one book and reports the size of the library or the exact problem.')
			.addButton((button) =>
				button.setButtonText('Test').onClick(() => {
					button.setDisabled(true);
					result.setText('Connecting…');
					void testConnection(app, settings).then((message) => {
						result.setText(message);
						button.setDisabled(false);
					});
				}),
			);
		setting.descEl.appendChild(result);
	});
}

/** Asks the endpoint for one record: the library's size, or the exact problem in one sentence. */
async function testConnection(app: App, settings: Settings): Promise<string> {
	if (!settings.serverUrl) return 'Set the server URL first.';
	try {
		const page = await fetchPage(
			{ http: new RequestUrlTransport(), clock: { now: () => Date.now() }, sleep: async () => undefined, random: Math.random },
			{
				baseUrl: settings.serverUrl,
				token: readToken(app, settings) ?? undefined,
				authHeader: settings.authHeader,
				timeoutMs: settings.requestTimeoutSeconds * 1000,
				retry: { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 },
			},
			{ page: 1, limit: 1 },
		);
		const total = page.pagination.total;
		return `Connected: the library has ${total.toLocaleString('en-US')} ${total === 1 ? 'book' : 'books'}.`;
	} catch (error) {
		return isSyncError(error) ? errorText(error) : 'The test failed for an unknown reason.';
	}
}
