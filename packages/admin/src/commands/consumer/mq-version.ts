/*
 * Java `MQVersion.Version`: clients and brokers put the ordinal of their version in every frame header, and mqadmin
 * prints it by name (`MQVersion.getVersionDesc`). The enum as of RocketMQ 5.3: the 3.0.0 pre-releases, then a
 * `_SNAPSHOT` / release pair per version — 3.0.1–3.0.15, 3.1.0–3.2.9, 3.3.1–3.9.9 (no x.y.0 from 3.3 on),
 * 4.0.0–5.9.9 — and HIGHER_VERSION last. V4_9_8 is 409.
 */

const V3_0_0 = [
  'V3_0_0_SNAPSHOT',
  'V3_0_0_ALPHA1',
  'V3_0_0_BETA1',
  'V3_0_0_BETA2',
  'V3_0_0_BETA3',
  'V3_0_0_BETA4',
  'V3_0_0_BETA5',
  'V3_0_0_BETA6_SNAPSHOT',
  'V3_0_0_BETA6',
  'V3_0_0_BETA7_SNAPSHOT',
  'V3_0_0_BETA7',
  'V3_0_0_BETA8_SNAPSHOT',
  'V3_0_0_BETA8',
  'V3_0_0_BETA9_SNAPSHOT',
  'V3_0_0_BETA9',
  'V3_0_0_FINAL',
];

function buildVersionNames(): readonly string[] {
  const names = [...V3_0_0];
  const pair = (v: string): void => {
    names.push(`${v}_SNAPSHOT`, v);
  };
  for (let patch = 1; patch <= 15; patch++) pair(`V3_0_${patch}`);
  for (const minor of [1, 2]) for (let patch = 0; patch <= 9; patch++) pair(`V3_${minor}_${patch}`);
  for (let minor = 3; minor <= 9; minor++) {
    for (let patch = 1; patch <= 9; patch++) pair(`V3_${minor}_${patch}`);
  }
  for (const major of [4, 5]) {
    for (let minor = 0; minor <= 9; minor++) {
      for (let patch = 0; patch <= 9; patch++) pair(`V${major}_${minor}_${patch}`);
    }
  }
  names.push('HIGHER_VERSION');
  return names;
}

const VERSION_NAMES = buildVersionNames();

/**
 * The name of a version ordinal as Java's `MQVersion.getVersionDesc` prints it: `V4_9_8` for 409; ordinals past
 * the table are `HIGHER_VERSION`; a negative one (never sent) prints as the number.
 */
export function mqVersionDesc(version: number): string {
  if (!Number.isInteger(version) || version < 0) return String(version);
  return VERSION_NAMES[Math.min(version, VERSION_NAMES.length - 1)]!;
}
