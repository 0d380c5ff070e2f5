import type { CommandContext } from '../cli/command-spec.js';

/**
 * The output of the commands that print a key/value map per server (brokerStatus, getBrokerConfig,
 * getNamesrvConfig): each server's text lines as they come, or with `--json` one object
 * `{"<addr>": {"<key>": "<value>", …}, …}` (keys in the map's order) printed by {@link PerServerOutput.end}.
 */
export class PerServerOutput {
  private readonly json: Record<string, Record<string, string>> = {};

  constructor(private readonly ctx: Pick<CommandContext, 'json' | 'print'>) {}

  /** One server's map; `lines` gives its text form (not called with `--json`). */
  add(addr: string, map: ReadonlyMap<string, string>, lines: () => readonly string[]): void {
    if (this.ctx.json) {
      this.json[addr] = Object.fromEntries(map);
      return;
    }
    for (const line of lines()) this.ctx.print(line);
  }

  /** Prints the JSON object with `--json`; nothing otherwise. */
  end(): void {
    if (this.ctx.json) this.ctx.print(JSON.stringify(this.json));
  }
}
