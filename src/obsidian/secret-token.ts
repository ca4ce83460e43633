import type { App } from 'obsidian';
import type { Settings } from '../core/settings/schema';

/**
 * The token, from Obsidian's SecretStorage under the name the settings hold
 * (data.json never holds the token itself). Null when no secret is set, the
 * secret is blank, or the app has no SecretStorage.
 */
export function readToken(app: App, settings: Pick<Settings, 'tokenSecretName'>): string | null {
	const storage = (app as Partial<Pick<App, 'secretStorage'>>).secretStorage;
	if (!storage || settings.tokenSecretName === '') return null;
	const secret = storage.getSecret(settings.tokenSecretName);
	if (secret === null) return null;
	const token = secret.trim();
	return token === '' ? null : token;
}
