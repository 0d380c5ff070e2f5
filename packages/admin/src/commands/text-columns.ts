/*
 * The pieces of Java's `String.format` that mqadmin's tables use, so rows line up exactly as RocketMQ 4.9.8 prints
 * them: `%-Ns` ({@link padRight}), `%Ns` ({@link padLeft}), `%.Nf` ({@link formatJavaFixed}) and
 * `UtilAll.frontStringAtLeast` ({@link frontStringAtLeast}).
 */

/** Java `%-<width>s`: the text followed by spaces up to `width` characters; longer text is kept whole. */
export function padRight(text: string, width: number): string {
  return text.padEnd(width);
}

/** Java `%<width>s`: spaces then the text, `width` characters in all; longer text is kept whole. */
export function padLeft(text: string, width: number): string {
  return text.padStart(width);
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
