/**
 * A fake NameServer for the client's failover tests: it answers GET_ROUTEINFO_BY_TOPIC for
 * {@link FAILOVER_TOPIC} with whatever broker sets the test lists, so a test can make a master expire from the
 * route (or come back) at the moment it chooses. The client may not depend on @rocketmq-ts/namesrv, hence a fake.
 */
import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  encodeTopicRouteData,
} from '@rocketmq-ts/protocol';
import type { TopicRouteData } from '@rocketmq-ts/protocol';
import { ProcessorTable, RemotingServer } from '@rocketmq-ts/remoting';
import { FAILOVER_TOPIC } from './fake-broker.js';
import type { FakeBroker } from './fake-broker.js';

/** One broker set as the route lists it: its name and the brokers currently registered (by their id). */
export interface ListedBrokerSet {
  brokerName: string;
  brokers: FakeBroker[];
}

/** The fake NameServer; {@link FakeNamesrv.setRoute} replaces the route the next client poll reads. */
export class FakeNamesrv {
  /** The route of {@link FAILOVER_TOPIC}; undefined until setRoute, when the topic does not exist. */
  private route: TopicRouteData | undefined;
  private readonly server: RemotingServer;

  constructor() {
    const processors = new ProcessorTable().on(RequestCode.GET_ROUTEINFO_BY_TOPIC, {
      process: (request) => Promise.resolve(this.answerRoute(request)),
    });
    this.server = new RemotingServer({ listenPort: 0, host: '127.0.0.1', processors });
  }

  /** `127.0.0.1:<port>`, the client's namesrvAddr; valid once started. */
  get addr(): string {
    return `127.0.0.1:${this.server.port}`;
  }

  /** Listens on an ephemeral port. */
  start(): Promise<void> {
    return this.server.start();
  }

  /** Closes the server. */
  close(): Promise<void> {
    return this.server.close();
  }

  /** Lists {@link FAILOVER_TOPIC} on these broker sets, one read and one write queue each, with the brokers given. */
  setRoute(sets: ListedBrokerSet[]): void {
    this.route = {
      queueDatas: sets.map((s) => ({
        brokerName: s.brokerName,
        readQueueNums: 1,
        writeQueueNums: 1,
        perm: 6,
        topicSysFlag: 0,
      })),
      brokerDatas: sets.map((s) => ({
        cluster: 'c',
        brokerName: s.brokerName,
        brokerAddrs: new Map(s.brokers.map((b) => [b.brokerId, b.addr])),
      })),
      filterServerTable: new Map(),
    };
  }

  /** Any other topic (a retry topic, say) does not exist, as on a NameServer that never saw it. */
  private answerRoute(request: RemotingCommand): RemotingCommand {
    const topic = request.extFields?.topic;
    if (topic !== FAILOVER_TOPIC || this.route === undefined) {
      return RemotingCommand.responseTo(request, ResponseCode.TOPIC_NOT_EXIST, { remark: 'none' });
    }
    return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
      body: encodeTopicRouteData(this.route),
    });
  }
}
