import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  encodeFastjson,
  subscriptionDataToJson,
} from '@rocketmq-ts/protocol';
import type { SubscriptionData } from '@rocketmq-ts/protocol';
import type { MQClientInstance } from '../client-instance.js';
import { MQClientError } from '../errors.js';

/** Options of {@link checkClientInBroker}. */
export interface CheckClientInBrokerOptions {
  instance: MQClientInstance;
  group: string;
  subscriptions: Iterable<SubscriptionData>;
}

/**
 * Java `MQClientInstance.checkClientInBroker`: asks the brokers of each topic subscribed with a non-TAG expression
 * to validate it (CHECK_CLIENT_CONFIG, 46), so a consumer whose SQL92 expression does not compile, or whose brokers
 * do not filter by SQL92 (`enablePropertyFilter=false`), fails at start instead of receiving nothing. Java asks one
 * broker of the topic; this asks the master (else the lowest id) of every broker set hosting it. Topics without a
 * route are skipped (nothing can be pulled from them yet).
 * @throws MQClientError naming the topic, the expression and the broker's answer (its code is the broker's
 *   response code, e.g. SUBSCRIPTION_PARSE_FAILED 23 or SYSTEM_ERROR 1), or the transport failure.
 */
export async function checkClientInBroker(options: CheckClientInBrokerOptions): Promise<void> {
  const { instance, group } = options;
  for (const sub of options.subscriptions) {
    if (sub.expressionType === '' || sub.expressionType === 'TAG') continue;
    const route = await instance.routeOf(sub.topic);
    if (route === undefined) continue;
    for (const brokerData of route.brokerDatas) {
      const addr = checkTarget(brokerData.brokerAddrs);
      if (addr === undefined) continue;
      const body = encodeFastjson({
        clientId: instance.clientId,
        group,
        subscriptionData: subscriptionDataToJson(sub),
      });
      let response: RemotingCommand;
      try {
        response = await instance.api.invoke(
          addr,
          RemotingCommand.request(RequestCode.CHECK_CLIENT_CONFIG, {}, body),
        );
      } catch (error) {
        throw new MQClientError(
          `could not check the ${sub.expressionType} subscription "${sub.subString}" to ${sub.topic} with broker ${addr}: ${error instanceof Error ? error.message : String(error)}`,
          ResponseCode.SYSTEM_ERROR,
          { cause: error },
        );
      }
      if (response.code !== ResponseCode.SUCCESS) {
        throw new MQClientError(
          `broker ${addr} refused the ${sub.expressionType} subscription "${sub.subString}" to ${sub.topic}: ${response.remark ?? 'no remark'} (response code ${response.code})`,
          response.code,
        );
      }
    }
  }
}

/** The master of a broker set, else its lowest-id broker. */
function checkTarget(addrs: ReadonlyMap<number, string>): string | undefined {
  const master = addrs.get(0);
  if (master !== undefined) return master;
  const ids = [...addrs.keys()].sort((a, b) => a - b);
  return ids.length > 0 ? addrs.get(ids[0]!) : undefined;
}
