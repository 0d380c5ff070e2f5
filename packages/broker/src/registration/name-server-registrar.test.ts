import {
  RemotingCommand,
  RequestCode,
  ResponseCode,
  TOPIC_CONFIG_DEFAULTS,
  createMemoryLogger,
  decodeRegisterBrokerBody,
  decodeRegisterBrokerRequestHeader,
  decodeUnRegisterBrokerRequestHeader,
  encodeRegisterBrokerResponseHeader,
  messageBodyCrc,
} from '@rocketmq-ts/protocol';
import type {
  LogLine,
  RegisterBrokerBody,
  RegisterBrokerRequestHeader,
  UnRegisterBrokerRequestHeader,
} from '@rocketmq-ts/protocol';
import { ProcessorTable, RemotingClient, RemotingServer } from '@rocketmq-ts/remoting';
import { describe, expect, it } from 'vitest';
import {
  onTestCleanup,
  openTestBrokerContext,
  startTestServer,
  waitFor,
} from '../../test/broker-test-context.js';
import type { BrokerConfigInput } from '../config.js';
import type { TopicConfigManager } from '../topic/topic-config-manager.js';
import { NameServerRegistrar } from './name-server-registrar.js';
import type { NameServerRegistrarOptions } from './name-server-registrar.js';

interface Registration {
  header: RegisterBrokerRequestHeader;
  body: RegisterBrokerBody;
  crcOk: boolean;
}

/** The far side of the contract: a remoting server that decodes the real REGISTER/UNREGISTER_BROKER frames. */
async function fakeNameServer(masterAddr?: string): Promise<{
  addr: string;
  registrations: Registration[];
  unregistrations: UnRegisterBrokerRequestHeader[];
}> {
  const registrations: Registration[] = [];
  const unregistrations: UnRegisterBrokerRequestHeader[] = [];
  const processors = new ProcessorTable()
    .on(RequestCode.REGISTER_BROKER, {
      process: (request) => {
        const header = decodeRegisterBrokerRequestHeader(request.extFields ?? {});
        const raw = request.body ?? Buffer.alloc(0);
        registrations.push({
          header,
          body: decodeRegisterBrokerBody(raw, { compressed: header.compressed === true }),
          crcOk: messageBodyCrc(raw) === header.bodyCrc32,
        });
        const ext = encodeRegisterBrokerResponseHeader(
          masterAddr === undefined ? {} : { masterAddr, haServerAddr: 'ha:1' },
        );
        return Promise.resolve(
          RemotingCommand.responseTo(request, ResponseCode.SUCCESS, { extFields: ext }),
        );
      },
    })
    .on(RequestCode.UNREGISTER_BROKER, {
      process: (request) => {
        unregistrations.push(decodeUnRegisterBrokerRequestHeader(request.extFields ?? {}));
        return Promise.resolve(RemotingCommand.responseTo(request, ResponseCode.SUCCESS));
      },
    });
  const { addr } = await startTestServer(processors);
  return { addr, registrations, unregistrations };
}

/** An address nothing listens on: a server's port after it closed. */
async function deadAddr(): Promise<string> {
  const server = new RemotingServer({
    listenPort: 0,
    host: '127.0.0.1',
    processors: new ProcessorTable(),
  });
  await server.start();
  const addr = `127.0.0.1:${server.port}`;
  await server.close();
  return addr;
}

async function setup(
  input: Partial<BrokerConfigInput>,
  options: Partial<NameServerRegistrarOptions> = {},
): Promise<{ registrar: NameServerRegistrar; topics: TopicConfigManager; logs: LogLine[] }> {
  const { ctx } = await openTestBrokerContext({
    config: {
      brokerClusterName: 'c1',
      brokerName: 'b1',
      brokerIP1: '10.0.0.1',
      brokerIP2: '10.0.0.2',
      listenPort: 20911,
      ...input,
    },
  });
  const { config, topics } = ctx;
  const client = new RemotingClient();
  onTestCleanup(() => client.close());
  const logs: LogLine[] = [];
  const registrar = new NameServerRegistrar({
    client,
    config,
    topics,
    logger: createMemoryLogger(logs),
    timeoutMs: 3000,
    periodMs: 60_000,
    ...options,
  });
  onTestCleanup(() => registrar.close());
  return { registrar, topics, logs };
}

describe('NameServerRegistrar', () => {
  it('registers the topic table to every name server with the RocketMQ header and a valid CRC', async () => {
    const a = await fakeNameServer();
    const b = await fakeNameServer();
    const { registrar, topics } = await setup({ namesrvAddr: `${a.addr};${b.addr}` });
    const results = await registrar.registerAll();
    expect(results).toEqual([
      { namesrvAddr: a.addr, ok: true },
      { namesrvAddr: b.addr, ok: true },
    ]);
    for (const ns of [a, b]) {
      expect(ns.registrations).toHaveLength(1);
      const r = ns.registrations[0]!;
      expect(r.header).toEqual({
        brokerName: 'b1',
        brokerAddr: '10.0.0.1:20911',
        clusterName: 'c1',
        haServerAddr: '10.0.0.2:20912',
        brokerId: 0,
        compressed: false,
        bodyCrc32: r.header.bodyCrc32,
      });
      expect(r.crcOk).toBe(true);
      expect(r.body.topicConfigSerializeWrapper.dataVersion).toEqual(topics.dataVersion);
      expect([...r.body.topicConfigSerializeWrapper.topicConfigTable.keys()].sort()).toEqual(
        [...topics.all().keys()].sort(),
      );
      expect(r.body.filterServerList).toEqual([]);
    }
  });

  it('returns masterAddr and haServerAddr of a slave registration', async () => {
    const ns = await fakeNameServer('10.0.0.9:10911');
    const { registrar } = await setup({
      namesrvAddr: ns.addr,
      brokerRole: 'SLAVE',
      brokerId: 1,
    });
    const [result] = await registrar.registerAll();
    expect(result).toEqual({
      namesrvAddr: ns.addr,
      ok: true,
      masterAddr: '10.0.0.9:10911',
      haServerAddr: 'ha:1',
    });
    expect(ns.registrations[0]?.header.brokerId).toBe(1);
  });

  it('keeps registering to the other name servers when one is down', async () => {
    const live = await fakeNameServer();
    const dead = await deadAddr();
    const { registrar, logs } = await setup({ namesrvAddr: `${dead};${live.addr}` });
    const results = await registrar.registerAll();
    expect(results[0]).toMatchObject({ namesrvAddr: dead, ok: false });
    expect(results[1]).toEqual({ namesrvAddr: live.addr, ok: true });
    expect(live.registrations).toHaveLength(1);
    expect(logs.some((l) => l.level === 'warn' && l.fields?.namesrvAddr === dead)).toBe(true);
  });

  it('registers at start and again every period', async () => {
    const ns = await fakeNameServer();
    const { registrar } = await setup({ namesrvAddr: ns.addr }, { periodMs: 20 });
    const first = await registrar.start();
    expect(first).toEqual([{ namesrvAddr: ns.addr, ok: true }]);
    expect(ns.registrations.length).toBeGreaterThanOrEqual(1);
    await waitFor(() => ns.registrations.length >= 3);
    await registrar.close();
    const count = ns.registrations.length;
    await registrar.close();
    expect(ns.registrations.length).toBe(count);
  });

  it('re-registers soon after a topic change with the new DataVersion', async () => {
    const ns = await fakeNameServer();
    const { registrar, topics } = await setup({ namesrvAddr: ns.addr }, { debounceMs: 1 });
    await registrar.start();
    expect(ns.registrations).toHaveLength(1);
    const version = await topics.createOrUpdate({
      ...TOPIC_CONFIG_DEFAULTS,
      topicName: 'NewTopic',
    });
    await waitFor(() =>
      ns.registrations.some((r) =>
        r.body.topicConfigSerializeWrapper.topicConfigTable.has('NewTopic'),
      ),
    );
    const last = ns.registrations.at(-1)!;
    expect(last.body.topicConfigSerializeWrapper.dataVersion.counter).toBe(version.counter);
  });

  it('registers every topic with brokerPermission when the broker is not writable', async () => {
    const ns = await fakeNameServer();
    const { registrar } = await setup({ namesrvAddr: ns.addr, brokerPermission: 4 });
    await registrar.registerAll();
    const table = ns.registrations[0]!.body.topicConfigSerializeWrapper.topicConfigTable;
    expect(table.size).toBeGreaterThan(0);
    for (const config of table.values()) expect(config.perm).toBe(4);
  });

  it('unregisters from every name server', async () => {
    const a = await fakeNameServer();
    const b = await fakeNameServer();
    const { registrar } = await setup(
      { namesrvAddr: `${a.addr};${b.addr}` },
      { brokerAddr: '10.0.0.1:31000' },
    );
    const results = await registrar.unregisterAll();
    expect(results.every((r) => r.ok)).toBe(true);
    for (const ns of [a, b]) {
      expect(ns.unregistrations).toEqual([
        { brokerName: 'b1', brokerAddr: '10.0.0.1:31000', clusterName: 'c1', brokerId: 0 },
      ]);
    }
  });

  it('reports a name server that refuses the registration', async () => {
    const processors = new ProcessorTable().on(RequestCode.REGISTER_BROKER, {
      process: (request) =>
        Promise.resolve(
          RemotingCommand.responseTo(request, ResponseCode.SYSTEM_ERROR, {
            remark: 'crc32 not match',
          }),
        ),
    });
    const server = await startTestServer(processors);
    const { registrar } = await setup({ namesrvAddr: server.addr });
    const [result] = await registrar.registerAll();
    expect(result?.ok).toBe(false);
    expect(result?.ok === false && result.error.message).toContain('crc32 not match');
  });
});
