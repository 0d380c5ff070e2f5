/** Java `UtilAll.timeMillisToHumanString2`: local time as `yyyy-MM-dd HH:mm:ss,SSS`. */
export function timeMillisToHumanString2(timestampMs: number): string {
  const d = new Date(timestampMs);
  const p = (n: number, width = 2): string => String(n).padStart(width, '0');
  return (
    `${p(d.getFullYear(), 4)}-${p(d.getMonth() + 1)}-${p(d.getDate())} ` +
    `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())},${p(d.getMilliseconds(), 3)}`
  );
}
