// Minimal typings for js-yaml 3 (gray-matter's own YAML engine, which ships
// without types). Only what the frontmatter module uses is declared.
declare module 'js-yaml' {
	export interface Schema {
		readonly __schema: unique symbol;
	}
	export const CORE_SCHEMA: Schema;
	export interface LoadOptions {
		schema?: Schema;
		filename?: string;
		json?: boolean;
	}
	export function safeLoad(input: string, options?: LoadOptions): unknown;
}
