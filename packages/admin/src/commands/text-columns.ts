/*
 * The pieces of Java's `String.format` that mqadmin's tables use, so rows line up exactly as RocketMQ 4.9.8 prints
 * them: `%-Ns`, `%Ns`, `%0Nd` ({@link formatRow}), `%.Nf` ({@link formatJavaFixed}) and
 * `UtilAll.frontStringAtLeast` ({@link frontStringAtLeast}).
 */

/** `%[-|0][width](s|d)`: the conversions {@link formatRow} fills. */
const CONVERSION = /%([-0])?(\d+)?[sd]/g;

/**
 * Java `String.format(format, cells...)` for table rows, with the format as RocketMQ's tools write it:
 * `%-Ns` (text then spaces up to N), `%Ns` (spaces then text), `%0Nd` (zeros then the number), `%s` / `%d` (as is).
 * Longer text is kept whole, as in Java; a missing cell prints as nothing.
 * `formatRow('%-6s|%4s|%03d', ['ab', 'c', 7])` → `ab    |   c|007`.
 */
export function formatRow(format: string, cells: readonly (string | number)[]): string {
  let next = 0;
  return format.replace(
    CONVERSION,
    (_match, flag: string | undefined, width: string | undefined) => {
      const text = String(cells[next++] ?? '');
      const size = width === undefined ? 0 : Number(width);
      if (flag === '-') return text.padEnd(size);
      if (flag === '0') {
        return text.startsWith('-')
          ? `-${text.slice(1).padStart(size - 1, '0')}`
          : text.padStart(size, '0');
      }
      return text.padStart(size);
    },
  );
}

/** Java `UtilAll.frontStringAtLeast`: the first `size` characters of the text (despite the name, at most). */
export function frontStringAtLeast(text: string, size: number): string {
  return text.length > size ? text.slice(0, size) : text;
}

/**
 * Java `String.format("%.<digits>f", value)` for a double: Java rounds half up on the shortest decimal form of the
 * double (`1.005` → `1.01`, `2.675` → `2.68`), where `Number.prototype.toFixed` rounds the binary value (`1.00`,
 * `2.67`). NaN and the infinities print as Java does (`NaN`, `Infinity`, `-Infinity`).
 */
export function formatJavaFixed(value: number, digits: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  // toExponential() without an argument gives the shortest digits that read back as the same double.
  const [mantissa = '0', exponentText = '0'] = Math.abs(value).toExponential().split('e');
  const significand = mantissa.replace('.', '');
  const shift = Number(exponentText) + 1 - significand.length + digits;
  let scaled = BigInt(significand);
  if (shift >= 0) {
    scaled *= 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    const remainder = scaled % divisor;
    scaled /= divisor;
    if (remainder * 2n >= divisor) scaled += 1n;
  }
  const text = scaled.toString().padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${text}`;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}
