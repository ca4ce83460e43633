/**
 * A short, stable, non-cryptographic fingerprint of a text: FNV-1a (64 bits)
 * over its UTF-8 bytes, as 16 lower-case hex digits. The same on every
 * device and platform. Used to tell cover URLs apart and to name covers of
 * books whose ids cannot be file names; never for anything secret.
 */
export function shortHash(text: string): string {
	let hash = FNV_OFFSET;
	for (const byte of new TextEncoder().encode(text)) {
		hash ^= BigInt(byte);
		hash = (hash * FNV_PRIME) & MASK_64;
	}
	return hash.toString(16).padStart(16, '0');
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;
