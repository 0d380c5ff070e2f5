import { ConfigError } from '@rocketmq-ts/protocol';
import type { NamesrvConfig } from '@rocketmq-ts/namesrv';

/**
 * RocketMQ NameServer keys we read from a properties file, by type. Other NamesrvConfig / NettyServerConfig keys are
 * accepted and ignored (listed below) so a RocketMQ `namesrv.conf` loads unchanged; anything else is reported.
 */
const INT_KEYS = ['listenPort', 'scanNotActiveBrokerInterval'] as const;
const BOOLEAN_KEYS = ['orderMessageEnable', 'returnOrderTopicConfigToBroker'] as const;
const STRING_KEYS = ['kvConfigPath', 'bindAddress'] as const;
const IGNORED_ROCKETMQ_KEYS = new Set([
  'rocketmqHome',
  'configStorePath',
  'productEnvName',
  'clusterTest',
  'serverWorkerThreads',
  'serverCallbackExecutorThreads',
  'serverSelectorThreads',
  'serverOnewaySemaphoreValue',
  'serverAsyncSemaphoreValue',
  'serverChannelMaxIdleTimeSeconds',
  'serverSocketSndBufSize',
  'serverSocketRcvBufSize',
  'serverPooledByteBufAllocatorEnable',
  'useEpollNativeSelector',
  'clientRequestThreadPoolNums',
  'clientRequestThreadPoolQueueCapacity',
  'defaultThreadPoolNums',
  'defaultThreadPoolQueueCapacity',
  'unRegisterBrokerQueueCapacity',
  'supportActingMaster',
  'enableAllTopicList',
  'enableTopicList',
  'notifyMinBrokerIdChanged',
  'enableControllerInNamesrv',
  'needWaitForService',
  'waitSecondsForService',
  'deleteTopicWithBrokerRegistration',
  'configBlackList',
]);

/** Properties → NamesrvConfig fields. Throws ConfigError naming the key and value for a bad value. */
export function namesrvConfigFromProperties(
  props: ReadonlyMap<string, string>,
  warnUnknown: (key: string) => void,
): Partial<NamesrvConfig> {
  const out: Record<string, unknown> = {};
  for (const [key, raw] of props) {
    if ((INT_KEYS as readonly string[]).includes(key)) {
      if (!/^-?\d+$/.test(raw)) throw new ConfigError(key, raw, 'must be an integer');
      out[key] = Number(raw);
    } else if ((BOOLEAN_KEYS as readonly string[]).includes(key)) {
      if (!/^(true|false)$/i.test(raw)) throw new ConfigError(key, raw, 'must be true or false');
      out[key] = raw.toLowerCase() === 'true';
    } else if ((STRING_KEYS as readonly string[]).includes(key)) {
      // NettyServerConfig.bindAddress (5.x) is the address the listener binds.
      out[key === 'bindAddress' ? 'host' : key] = raw;
    } else if (!IGNORED_ROCKETMQ_KEYS.has(key)) {
      warnUnknown(key);
    }
  }
  return out;
}
