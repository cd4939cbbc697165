/**
 * Compares strings the way people read numbered names: runs of digits compare as numbers, so
 * `2_x.sql` < `10_x.sql` and `V1_1` < `V1_10` < `V2`. Independent of the locale, unlike
 * `localeCompare`, so the order is the same on every machine.
 */
export function compareNatural(a: string, b: string): number {
  const left = a.match(/\d+|\D+/g) ?? [];
  const right = b.match(/\d+|\D+/g) ?? [];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const x = left[i];
    const y = right[i];
    if (x === y) continue;
    if (isDigits(x) && isDigits(y)) {
      const order = compareDigitStrings(x, y);
      if (order !== 0) return order;
      // Equal values written differently (`01` and `1`): the shorter spelling first, for a total order.
      return x.length - y.length;
    }
    return x < y ? -1 : 1;
  }
  return left.length - right.length;
}

function isDigits(text: string): boolean {
  const code = text.charCodeAt(0);
  return code >= 48 && code <= 57;
}

/** Compares two strings of digits as numbers of any length, without losing precision on long timestamps. */
export function compareDigitStrings(x: string, y: string): number {
  const left = x.replace(/^0+(?=\d)/, '');
  const right = y.replace(/^0+(?=\d)/, '');
  if (left.length !== right.length) return left.length - right.length;
  return left < right ? -1 : left > right ? 1 : 0;
}
