import {
  ConfigError,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  encodeDataVersion,
  encodeGetBrokerConfigResponseHeader,
  parseJavaProperties,
  stringifyJavaProperties,
} from '@rocketmq-ts/protocol';
import type { DataVersion } from '@rocketmq-ts/protocol';
import type { RequestProcessor } from '@rocketmq-ts/remoting';
import type { BrokerContext } from '../../broker-context.js';
import { brokerConfigFromProperties } from '../../broker-properties.js';
import { notHandledBy } from './admin-request-guards.js';

/** The codes {@link ConfigAdminProcessor} answers. */
export const CONFIG_ADMIN_CODES: readonly number[] = [
  RequestCode.UPDATE_BROKER_CONFIG,
  RequestCode.GET_BROKER_CONFIG,
];

/** Keys Java's `configBlackList` refuses (NO_PERMISSION `Can not update config in black list.`). */
const BLACK_LIST: ReadonlySet<string> = new Set([
  'configBlackList',
  'brokerConfigPath',
  'rocketmqHome',
]);

/** Keys UPDATE_BROKER_CONFIG applies at once; every other known key needs a restart. */
const RUNTIME_KEYS: ReadonlySet<string> = new Set(['brokerPermission']);

/**
 * Broker configuration at runtime (Java `AdminBrokerProcessor.getBrokerConfig` / `updateBrokerConfig`,
 * mqadmin-and-config.md §2.1):
 * - GET_BROKER_CONFIG (26): body `key=value` lines of every broker and store setting in effect (brokerPermission
 *   as currently applied), response header `version` = this configuration's DataVersion JSON.
 * - UPDATE_BROKER_CONFIG (25): body `key=value` properties. `brokerPermission` (integer 0..7) is applied at once: the
 *   topic DataVersion is bumped and the broker re-registers, so name servers rewrite its queue data (Java does the
 *   same). Other broker.conf keys are accepted but not applied: the answer is SUCCESS with a remark naming them, as
 *   they take effect only after a restart with broker.conf changed (this broker does not rewrite its config file).
 *   Refusals: black-listed keys → NO_PERMISSION (Java's remark); unknown keys → SYSTEM_ERROR naming them; a value that
 *   does not parse → SYSTEM_ERROR naming key and value. Nothing is applied when the request is refused.
 * The DataVersion starts at counter 0 when the processor is built and is bumped by each update that applied a key.
 */
export class ConfigAdminProcessor implements RequestProcessor {
  /** Codes to register this processor for. */
  static readonly CODES = CONFIG_ADMIN_CODES;
  private dataVersion: DataVersion;

  constructor(private readonly ctx: BrokerContext) {
    this.dataVersion = { counter: 0, timestamp: Date.now() };
  }

  /** Answers one request; throws RocketMQError (see the class comment) for a refused update. */
  async process(request: RemotingCommand): Promise<RemotingCommand> {
    switch (request.code) {
      case RequestCode.GET_BROKER_CONFIG:
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
          body: Buffer.from(stringifyJavaProperties(this.effectiveConfig()), 'utf8'),
          extFields: encodeGetBrokerConfigResponseHeader({
            version: encodeDataVersion(this.dataVersion).toString('utf8'),
          }),
        });
      case RequestCode.UPDATE_BROKER_CONFIG:
        return this.update(request);
      default:
        throw notHandledBy(request, 'ConfigAdminProcessor');
    }
  }

  /** Every setting in effect as `[key, value]`: broker keys, then store keys not already listed. */
  effectiveConfig(): Array<[string, string]> {
    const out = new Map<string, string>();
    const put = (key: string, value: unknown) => {
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        if (!out.has(key)) out.set(key, String(value));
      }
    };
    for (const [key, value] of Object.entries(this.ctx.config)) {
      put(key, key === 'brokerPermission' ? this.ctx.runtimeConfig.brokerPermission : value);
    }
    for (const [key, value] of Object.entries(this.ctx.store.config)) put(key, value);
    return [...out];
  }

  private async update(request: RemotingCommand): Promise<RemotingCommand> {
    if (request.body === undefined || request.body.length === 0) {
      return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
    }
    const props = parseJavaProperties(request.body.toString('utf8'));
    if ([...props.keys()].some((key) => BLACK_LIST.has(key))) {
      throw new RocketMQError('Can not update config in black list.', ResponseCode.NO_PERMISSION);
    }
    const parsed = parseKnown(props);
    const permission = parsed.get('brokerPermission');
    if (
      permission !== undefined &&
      (typeof permission !== 'number' || permission < 0 || permission > 7)
    ) {
      throw new RocketMQError(
        `bad value for broker config key brokerPermission: ${props.get('brokerPermission')} (must be an integer 0..7)`,
        ResponseCode.SYSTEM_ERROR,
      );
    }
    const restartKeys = [...parsed.keys()].filter((key) => !RUNTIME_KEYS.has(key));
    const applied: string[] = [];
    if (typeof permission === 'number') {
      const before = this.ctx.runtimeConfig.brokerPermission;
      this.ctx.runtimeConfig.brokerPermission = permission;
      applied.push('brokerPermission');
      // Java bumps the topic DataVersion so name servers rewrite this broker's queue data on re-registration.
      await this.ctx.store.metadata.putTopicConfigs([]);
      this.ctx.requestRegistration();
      this.ctx.logger.info('broker permission changed by admin', { before, after: permission });
    }
    if (applied.length > 0) {
      this.dataVersion = { counter: this.dataVersion.counter + 1, timestamp: Date.now() };
    }
    if (restartKeys.length > 0) {
      this.ctx.logger.warn('broker config keys accepted but not applied until restart', {
        keys: restartKeys,
      });
    }
    const remark =
      restartKeys.length === 0
        ? undefined
        : `not applied until the broker restarts with broker.conf changed: ${restartKeys.join(', ')}` +
          (applied.length > 0 ? `; applied now: ${applied.join(', ')}` : '');
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, { remark });
  }
}

/**
 * Parses each property as broker.conf would (`brokerConfigFromProperties`).
 * @returns key → typed value, store keys included.
 * @throws RocketMQError SYSTEM_ERROR naming every unknown key, else naming the first key whose value does not parse.
 */
function parseKnown(props: ReadonlyMap<string, string>): Map<string, unknown> {
  const unknown: string[] = [];
  const bad: string[] = [];
  const out = new Map<string, unknown>();
  for (const [key, value] of props) {
    try {
      const typed = brokerConfigFromProperties(new Map([[key, value]]), (k) => unknown.push(k));
      const store = typed.store as Record<string, unknown> | undefined;
      const v = store?.[key] ?? (typed as Record<string, unknown>)[key];
      if (v !== undefined) out.set(key, v);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      bad.push(`${key}=${value} (${error.reason})`);
    }
  }
  if (unknown.length > 0) {
    throw new RocketMQError(
      `unknown broker config keys: ${unknown.join(', ')}`,
      ResponseCode.SYSTEM_ERROR,
    );
  }
  if (bad.length > 0) {
    throw new RocketMQError(
      `bad broker config values: ${bad.join(', ')}`,
      ResponseCode.SYSTEM_ERROR,
    );
  }
  return out;
}
