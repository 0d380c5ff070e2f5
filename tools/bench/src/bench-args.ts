/** `--key=value` flags to a map. */
export function parseArgs(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of argv) {
    const match = /^--([^=]+)=(.*)$/.exec(arg);
    if (match) out[match[1]!] = match[2]!;
  }
  return out;
}

/**
 * {@link parseArgs} for a bench's command line, where a typo must not silently run the defaults: `--help` or `-h`
 * prints `usage` and exits 0; any argument that is not `--<known>=value` prints what is wrong and the usage and
 * exits 2.
 */
export function parseBenchArgs(
  argv: readonly string[],
  known: readonly string[],
  usage: string,
): Record<string, string> {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(usage);
    process.exit(0);
  }
  const wrong = argv.filter((arg) => {
    const match = /^--([^=]+)=/.exec(arg);
    return match === null || !known.includes(match[1]!);
  });
  if (wrong.length > 0) {
    console.error(`unknown or malformed argument: ${wrong.join(' ')}\n\n${usage}`);
    process.exit(2);
  }
  return parseArgs(argv);
}

/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** `123,456 rt/s (126.4 MB/s)` — MB = 10^6 bytes of body, one direction. */
export function formatRate(perSecond: number, bodyBytes: number): string {
  const mb = (perSecond * bodyBytes) / 1e6;
  return `${Math.round(perSecond).toLocaleString('en-US')} rt/s (${mb.toFixed(1)} MB/s)`;
}
