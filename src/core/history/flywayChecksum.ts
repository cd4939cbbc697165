/**
 * Flyway's checksum of a SQL migration, so that pgreview can tell a file changed after Flyway
 * applied it. Flyway (ChecksumCalculator / LoadableResource.calculateChecksum) reads the file
 * line by line with Java's BufferedReader, strips a byte-order mark from the first line, feeds each
 * line's UTF-8 bytes without its line ending to a CRC32, and stores the value as a signed 32-bit
 * int. So LF and CRLF files give the same checksum, and so do the files with and without a final
 * line break.
 */

const CRC32_TABLE = makeCrc32Table();

/** Flyway's checksum of `text` (the file as read, UTF-8): a signed 32-bit integer, as `flyway_schema_history.checksum` holds it. */
export function flywayChecksum(text: string): number {
  const encoder = new TextEncoder();
  let crc = 0xffffffff;
  // BufferedReader.readLine ends a line at \n, \r or \r\n; a final line break adds no empty line.
  for (const line of text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/)) {
    for (const byte of encoder.encode(line)) crc = CRC32_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  }
  return (crc ^ 0xffffffff) | 0;
}

/** The table of the reflected CRC-32 polynomial (IEEE 802.3, as java.util.zip.CRC32). */
function makeCrc32Table(): Int32Array {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
}
