/**
 * SHA-256, with node:crypto loaded on first use: a check answered from its input snapshot hashes
 * nothing, and loading node:crypto would be a fifth of what it costs beyond starting Node
 * (measured: 26 M instructions, against 92 M for the whole cached check).
 */
import type * as Crypto from 'node:crypto';

let crypto: typeof Crypto | undefined;

/** A SHA-256 hash to feed. */
export function createSha256(): Crypto.Hash {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  crypto ??= require('node:crypto') as typeof Crypto;
  return crypto.createHash('sha256');
}

/** The hex SHA-256 of a text (as UTF-8) or of bytes. */
export function sha256(data: string | Uint8Array): string {
  return createSha256().update(data).digest('hex');
}
