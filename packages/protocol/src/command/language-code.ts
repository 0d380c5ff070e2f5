/**
 * `LanguageCode`: the sender's client language. JSON headers carry the enum name, ROCKETMQ binary headers the
 * number (org.apache.rocketmq.remoting.protocol.LanguageCode). 4.9.8 ends at RUST (12); NODE_JS (13) is 5.x only,
 * so we send `JAVA` as ali-ons does when talking to servers that may be 4.x.
 */
export const LanguageCode = {
  JAVA: 0,
  CPP: 1,
  DOTNET: 2,
  PYTHON: 3,
  DELPHI: 4,
  ERLANG: 5,
  RUBY: 6,
  OTHER: 7,
  HTTP: 8,
  GO: 9,
  PHP: 10,
  OMS: 11,
  RUST: 12,
  NODE_JS: 13,
} as const;

/** A language name such as `'JAVA'`. Unknown names received from peers are kept as sent. */
export type LanguageCodeName = keyof typeof LanguageCode;

const byNumber: readonly string[] = Object.keys(LanguageCode);

/** The number a binary header carries for `name`; unknown names become OTHER (7). */
export function languageCodeNumber(name: string): number {
  return (LanguageCode as Record<string, number>)[name] ?? LanguageCode.OTHER;
}

/** The name for a binary header's language byte; numbers past the table become `'OTHER'`. */
export function languageCodeName(code: number): string {
  return byNumber[code] ?? 'OTHER';
}
