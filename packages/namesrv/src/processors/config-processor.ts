import { RemotingCommand, ResponseCode } from '@rocketmq-ts/protocol';
import type { NamesrvProcessorDeps } from './deps.js';

/**
 * GET_NAMESRV_CONFIG (319): the configuration as `key=value` lines (Java `MixAll.properties2String`), keys sorted;
 * the logger and clock are not configuration and are left out.
 */
export class ConfigProcessor {
  constructor(private readonly deps: NamesrvProcessorDeps) {}

  /** Answers with the `key=value` body. */
  get(request: RemotingCommand): Promise<RemotingCommand> {
    const lines: string[] = [];
    for (const [key, value] of Object.entries(this.deps.config).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    )) {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        lines.push(`${key}=${String(value)}\n`);
      }
    }
    return Promise.resolve(
      RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
        body: Buffer.from(lines.join(''), 'utf8'),
      }),
    );
  }
}
