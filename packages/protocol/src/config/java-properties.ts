/**
 * Java `.properties` text, as RocketMQ reads `broker.conf` / `namesrv.conf` (java.util.Properties.load) and as
 * UPDATE_BROKER_CONFIG / GET_BROKER_CONFIG bodies carry settings: one `key=value` (or `key:value`, or
 * `key value`) per logical line, `#` / `!` comments, surrounding whitespace trimmed, a trailing backslash continues
 * the line, and `\t \n \r \f \uXXXX` escapes. Later keys win.
 */
export function parseJavaProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const lines = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!.replace(/^[ \t\f]+/, '');
    if (line.length === 0 || line.startsWith('#') || line.startsWith('!')) continue;
    while (endsWithContinuation(line) && i + 1 < lines.length) {
      line = line.slice(0, -1) + lines[++i]!.replace(/^[ \t\f]+/, '');
    }
    if (endsWithContinuation(line)) line = line.slice(0, -1);
    const split = keyEnd(line);
    const key = unescape(line.slice(0, split));
    let rest = line.slice(split).replace(/^[ \t\f]*/, '');
    if (rest.startsWith('=') || rest.startsWith(':')) rest = rest.slice(1).replace(/^[ \t\f]*/, '');
    out.set(key, unescape(rest).trim());
  }
  return out;
}

/** Writes `key=value` lines (RocketMQ's MixAll.properties2String form), escaping what Java would. */
export function stringifyJavaProperties(entries: Iterable<readonly [string, string]>): string {
  let out = '';
  for (const [key, value] of entries) out += `${escape(key, true)}=${escape(value, false)}\n`;
  return out;
}

function endsWithContinuation(line: string): boolean {
  let slashes = 0;
  for (let i = line.length - 1; i >= 0 && line[i] === '\\'; i--) slashes++;
  return slashes % 2 === 1;
}

function keyEnd(line: string): number {
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '=' || c === ':' || c === ' ' || c === '\t' || c === '\f') return i;
  }
  return line.length;
}

function unescape(text: string): string {
  if (!text.includes('\\')) return text;
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return e === 't' ? '\t' : e === 'n' ? '\n' : e === 'r' ? '\r' : e === 'f' ? '\f' : e;
  });
}

function escape(text: string, isKey: boolean): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\r') out += '\\r';
    else if (c === '\t') out += '\\t';
    else if (c === '\f') out += '\\f';
    else if (
      (isKey && (c === '=' || c === ':' || c === ' ')) ||
      ((c === '#' || c === '!') && i === 0)
    )
      out += `\\${c}`;
    else if (!isKey && c === ' ' && i === 0) out += '\\ ';
    else out += c;
  }
  return out;
}
