// gray-matter calls `Buffer.from(text)` on every parse to keep the original
// bytes, which Library Sync never reads. The mobile web view has no Buffer,
// so the plugin bundle gets this minimal stand-in instead.
const BufferShim = {
	from(text: string): Uint8Array {
		return new TextEncoder().encode(text);
	},
	isBuffer(): boolean {
		return false;
	},
};
export { BufferShim as Buffer };
