import { connect } from 'node:net';
import type { Socket } from 'node:net';
import {
  FrameDecoder,
  createMemoryLogger,
  RemotingCommand,
  RequestCode,
  ResponseCode,
  RocketMQError,
  SerializeType,
  encodeFrame,
} from '@rocketmq-ts/protocol';
import type { LogLine } from '@rocketmq-ts/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConnectionClosedError,
  RemotingAbortedError,
  RemotingConnectError,
  RemotingTimeoutError,
  RemotingTooManyRequestsError,
} from './errors.js';
import { ProcessorTable } from './processor-table.js';
import type { RemotingChannel, RequestProcessor } from './processor-table.js';
import { RemotingClient } from './remoting-client.js';
import { RemotingServer } from './remoting-server.js';
import type { RemotingServerOptions } from './remoting-server.js';

async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const echo: RequestProcessor = {
  process: (request) =>
    Promise.resolve(
      RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
        extFields: request.extFields,
        body: request.body,
      }),
    ),
};

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

async function startServer(
  table: ProcessorTable,
  extra: Partial<RemotingServerOptions> = {},
): Promise<{ server: RemotingServer; addr: string }> {
  const server = new RemotingServer({
    listenPort: 0,
    host: '127.0.0.1',
    processors: table,
    ...extra,
  });
  await server.start();
  cleanups.push(() => server.close());
  return { server, addr: `127.0.0.1:${server.port}` };
}

function newClient(options: ConstructorParameters<typeof RemotingClient>[0] = {}): RemotingClient {
  const client = new RemotingClient(options);
  cleanups.push(() => client.close());
  return client;
}

async function rawSocket(addr: string): Promise<Socket> {
  const [host, port] = addr.split(':');
  const socket = connect({ host: host!, port: Number(port) });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  cleanups.push(async () => {
    socket.destroy();
    await Promise.resolve();
  });
  return socket;
}

describe('RemotingServer and RemotingClient', () => {
  it('matches many concurrent responses to their requests when they complete out of order', async () => {
    const delayed: RequestProcessor = {
      process: async (request) => {
        await new Promise((resolve) => setTimeout(resolve, Number(request.extFields!.n) % 7));
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
          extFields: { n: request.extFields!.n! },
        });
      },
    };
    const { addr } = await startServer(
      new ProcessorTable().on(RequestCode.SEND_MESSAGE_V2, delayed),
    );
    const client = newClient();
    const responses = await Promise.all(
      Array.from({ length: 1000 }, (_, n) =>
        client.invoke(
          addr,
          RemotingCommand.request(RequestCode.SEND_MESSAGE_V2, { n: String(n) }),
          {
            timeoutMs: 10_000,
          },
        ),
      ),
    );
    expect(responses.map((r) => Number(r.extFields!.n))).toEqual(
      Array.from({ length: 1000 }, (_, n) => n),
    );
    expect(responses.every((r) => r.isResponse)).toBe(true);
  });

  it('keeps every response body intact while the client reuses its read buffer', async () => {
    const { addr } = await startServer(new ProcessorTable().on(RequestCode.SEND_MESSAGE_V2, echo));
    const client = newClient();
    // Small bodies share reads; 70 000- and 300 000-byte ones span several 64 KiB reads.
    const sizes = [0, 1, 100, 1500, 20_000, 70_000, 300_000];
    const bodies = Array.from({ length: 120 }, (_, n) => {
      const body = Buffer.alloc(sizes[n % sizes.length]!);
      for (let i = 0; i < body.length; i++) body[i] = (i * 7 + n) & 0xff;
      return body;
    });
    const responses = await Promise.all(
      bodies.map((body, n) =>
        client.invoke(
          addr,
          RemotingCommand.request(
            RequestCode.SEND_MESSAGE_V2,
            { n: String(n) },
            body.length > 0 ? body : undefined,
          ),
          { timeoutMs: 10_000 },
        ),
      ),
    );
    responses.forEach((response, n) => {
      expect(response.extFields!.n).toBe(String(n));
      expect((response.body ?? Buffer.alloc(0)).equals(bodies[n]!)).toBe(true);
    });
  });

  it('answers an unknown code with REQUEST_CODE_NOT_SUPPORTED naming the code', async () => {
    const { addr } = await startServer(new ProcessorTable());
    const response = await newClient().invoke(addr, RemotingCommand.request(9999), {
      timeoutMs: 3000,
    });
    expect(response.code).toBe(ResponseCode.REQUEST_CODE_NOT_SUPPORTED);
    expect(response.remark).toBe(' request type 9999 not supported');
  });

  it('answers SYSTEM_BUSY while a processor is overloaded', async () => {
    const busy: RequestProcessor = { ...echo, isOverloaded: () => true };
    const { addr } = await startServer(new ProcessorTable().on(RequestCode.PULL_MESSAGE, busy));
    const response = await newClient().invoke(
      addr,
      RemotingCommand.request(RequestCode.PULL_MESSAGE),
      {
        timeoutMs: 3000,
      },
    );
    expect(response.code).toBe(ResponseCode.SYSTEM_BUSY);
  });

  it('turns a thrown RocketMQError into its code and any other error into SYSTEM_ERROR logged once', async () => {
    const lines: LogLine[] = [];
    const table = new ProcessorTable()
      .on(1, {
        process: () =>
          Promise.reject(new RocketMQError('no such topic', ResponseCode.TOPIC_NOT_EXIST)),
      })
      .on(2, { process: () => Promise.reject(new TypeError('boom')) });
    const { addr } = await startServer(table, { logger: createMemoryLogger(lines) });
    const client = newClient();
    const typed = await client.invoke(addr, RemotingCommand.request(1), { timeoutMs: 3000 });
    expect([typed.code, typed.remark]).toEqual([ResponseCode.TOPIC_NOT_EXIST, 'no such topic']);
    const other = await client.invoke(addr, RemotingCommand.request(2), { timeoutMs: 3000 });
    expect([other.code, other.remark]).toEqual([ResponseCode.SYSTEM_ERROR, 'TypeError: boom']);
    const errors = lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect(String(errors[0]!.fields!.stack)).toContain('boom');
  });

  it('answers in the serialization of the request', async () => {
    const { addr } = await startServer(new ProcessorTable().on(10, echo));
    const request = RemotingCommand.request(10, { topic: 'T' }, Buffer.from('x'));
    request.serializeType = SerializeType.ROCKETMQ;
    const response = await newClient().invoke(addr, request, { timeoutMs: 3000 });
    expect(response.serializeType).toBe(SerializeType.ROCKETMQ);
    expect(response.extFields).toEqual({ topic: 'T' });
    expect(response.body?.toString()).toBe('x');
  });

  it('never answers a oneway request but still runs its processor', async () => {
    let seen = 0;
    const counting: RequestProcessor = {
      process: (request) => {
        seen++;
        return echo.process(request, undefined as never);
      },
    };
    const { addr } = await startServer(new ProcessorTable().on(15, counting).on(14, echo));
    const socket = await rawSocket(addr);
    const received: RemotingCommand[] = [];
    const decoder = new FrameDecoder();
    socket.on('data', (chunk: Buffer) => received.push(...decoder.push(chunk)));
    socket.write(encodeFrame(new RemotingCommand({ code: 15, opaque: 1, flag: 0x2 })));
    socket.write(encodeFrame(new RemotingCommand({ code: 14, opaque: 2 })));
    await waitFor(() => received.length > 0);
    expect(seen).toBe(1);
    expect(received.map((c) => c.opaque)).toEqual([2]);
  });

  it('rejects with RemotingTimeoutError and drops the late response', async () => {
    const slow: RequestProcessor = {
      process: async (request) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        return RemotingCommand.responseTo(request, ResponseCode.SUCCESS);
      },
    };
    const { addr } = await startServer(new ProcessorTable().on(11, slow).on(12, echo));
    const client = newClient();
    await expect(
      client.invoke(addr, RemotingCommand.request(11), { timeoutMs: 50 }),
    ).rejects.toBeInstanceOf(RemotingTimeoutError);
    await new Promise((resolve) => setTimeout(resolve, 350));
    const next = await client.invoke(addr, RemotingCommand.request(12), { timeoutMs: 3000 });
    expect(next.code).toBe(ResponseCode.SUCCESS);
  });

  it('rejects with RemotingAbortedError when the signal fires', async () => {
    const never: RequestProcessor = { process: () => new Promise(() => undefined) };
    const { addr } = await startServer(new ProcessorTable().on(11, never));
    const controller = new AbortController();
    const call = newClient().invoke(addr, RemotingCommand.request(11), {
      timeoutMs: 10_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('stop')), 20);
    await expect(call).rejects.toBeInstanceOf(RemotingAbortedError);
  });

  it('refuses requests past maxInFlight with RemotingTooManyRequestsError', async () => {
    const never: RequestProcessor = { process: () => new Promise(() => undefined) };
    const { addr } = await startServer(new ProcessorTable().on(11, never));
    const client = newClient({ maxInFlightPerConnection: 2 });
    const first = client.invoke(addr, RemotingCommand.request(11), { timeoutMs: 10_000 });
    const second = client.invoke(addr, RemotingCommand.request(11), { timeoutMs: 10_000 });
    await expect(
      client.invoke(addr, RemotingCommand.request(11), { timeoutMs: 10_000 }),
    ).rejects.toBeInstanceOf(RemotingTooManyRequestsError);
    const bothRejected = Promise.all([
      expect(first).rejects.toBeInstanceOf(ConnectionClosedError),
      expect(second).rejects.toBeInstanceOf(ConnectionClosedError),
    ]);
    await client.close();
    await bothRejected;
  });

  it('closes only the connection that sent a malformed frame, with one log line', async () => {
    const lines: LogLine[] = [];
    const { addr } = await startServer(new ProcessorTable().on(14, echo), {
      logger: createMemoryLogger(lines),
    });
    const client = newClient();
    await client.invoke(addr, RemotingCommand.request(14), { timeoutMs: 3000 });
    const bad = await rawSocket(addr);
    const closed = new Promise((resolve) => bad.once('close', resolve));
    bad.write(Buffer.from([0x7f, 0xff, 0xff, 0xff, 0, 0, 0, 0]));
    await closed;
    const again = await client.invoke(addr, RemotingCommand.request(14), { timeoutMs: 3000 });
    expect(again.code).toBe(ResponseCode.SUCCESS);
    expect(lines.filter((l) => l.level === 'warn' && l.message.includes('malformed'))).toHaveLength(
      1,
    );
  });

  it('lets a processor call the client back on its own connection', async () => {
    let channel: RemotingChannel | undefined;
    const capture: RequestProcessor = {
      process: (request, ctx) => {
        channel = ctx.channel;
        return echo.process(request, ctx);
      },
    };
    const { addr } = await startServer(new ProcessorTable().on(RequestCode.HEART_BEAT, capture));
    const clientSide = new ProcessorTable().on(RequestCode.GET_CONSUMER_RUNNING_INFO, {
      process: (request) =>
        Promise.resolve(
          RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
            body: Buffer.from('running'),
          }),
        ),
    });
    const client = newClient({ processors: clientSide });
    await client.invoke(addr, RemotingCommand.request(RequestCode.HEART_BEAT), { timeoutMs: 3000 });
    const answer = await channel!.invoke(
      RemotingCommand.request(RequestCode.GET_CONSUMER_RUNNING_INFO),
      {
        timeoutMs: 3000,
      },
    );
    expect(answer.body?.toString()).toBe('running');
  });

  it('stops reading from a client that does not read its replies, and catches up when it does', async () => {
    let processed = 0;
    const big: RequestProcessor = {
      process: (request) => {
        processed++;
        return Promise.resolve(
          RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
            body: Buffer.alloc(64 * 1024),
          }),
        );
      },
    };
    const { addr } = await startServer(new ProcessorTable().on(11, big));
    const socket = await rawSocket(addr);
    socket.pause();
    const total = 2000;
    const frames = Buffer.concat(
      Array.from({ length: total }, (_, i) =>
        encodeFrame(new RemotingCommand({ code: 11, opaque: i + 1 })),
      ),
    );
    socket.write(frames);
    // Wait until the server stops making progress: it must stall well before answering everything.
    let last = -1;
    let stableRounds = 0;
    await waitFor(() => {
      stableRounds = processed === last && processed > 0 ? stableRounds + 1 : 0;
      last = processed;
      return stableRounds >= 10;
    }, 10_000);
    expect(processed).toBeLessThan(total);
    const decoder = new FrameDecoder({ maxFrameBytes: 1 << 20 });
    let answered = 0;
    socket.on('data', (chunk: Buffer) => (answered += decoder.push(chunk).length));
    socket.resume();
    await waitFor(() => answered === total, 20_000);
    expect(processed).toBe(total);
  }, 30_000);

  it('gives a lent response body back only once the socket has written it, and on close', async () => {
    // Bodies come from a pool and go back to it in onWritten, where the next response overwrites them: a callback
    // that ran before the bytes left would show as a corrupted body.
    const free: Buffer[] = [];
    let lent = 0;
    let returned = 0;
    const lending: RequestProcessor = {
      process: (request) => {
        const body = free.pop() ?? Buffer.alloc(32 * 1024);
        body.fill(request.opaque & 0xff);
        const response = RemotingCommand.responseTo(request, ResponseCode.SUCCESS, { body });
        lent++;
        response.onWritten = () => {
          returned++;
          free.push(body);
        };
        return Promise.resolve(response);
      },
    };
    const { addr } = await startServer(new ProcessorTable().on(12, lending));
    const total = 400;
    const frames = Buffer.concat(
      Array.from({ length: total }, (_, i) =>
        encodeFrame(new RemotingCommand({ code: 12, opaque: i + 1 })),
      ),
    );
    const reader = await rawSocket(addr);
    reader.pause();
    reader.write(frames);
    // 400 × 32 KiB is more than the socket buffers hold: while nobody reads, some bodies stay lent.
    await waitFor(() => lent > 0 && lent - returned > 0, 10_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(returned).toBeLessThan(lent);
    const decoder = new FrameDecoder({ maxFrameBytes: 1 << 20 });
    const answers: RemotingCommand[] = [];
    reader.on('data', (chunk: Buffer) => answers.push(...decoder.push(chunk)));
    reader.resume();
    await waitFor(() => answers.length === total, 20_000);
    for (const answer of answers) {
      expect(answer.body!.every((byte) => byte === (answer.opaque & 0xff))).toBe(true);
    }
    await waitFor(() => returned === lent, 5_000);

    // A peer that goes away with bodies still queued: they come back too.
    const leaver = await rawSocket(addr);
    leaver.pause();
    leaver.write(frames);
    await waitFor(() => lent - returned > 0, 10_000);
    leaver.destroy();
    await waitFor(() => returned === lent, 10_000);
    expect(free.length).toBeGreaterThan(0);
  }, 40_000);

  it('closes connections that stay idle past idleTimeoutMs', async () => {
    const { addr, server } = await startServer(new ProcessorTable().on(14, echo), {
      idleTimeoutMs: 100,
    });
    const client = newClient();
    const channel = await client.getChannel(addr);
    await client.invoke(addr, RemotingCommand.request(14), { timeoutMs: 3000 });
    await waitFor(() => channel.isClosed);
    // The server's side of the socket closes on its own schedule (graceful end, then 'close').
    await waitFor(() => server.channels.length === 0);
    expect(channel.isClosed).toBe(true);
    const reopened = await client.invoke(addr, RemotingCommand.request(14), { timeoutMs: 3000 });
    expect(reopened.code).toBe(ResponseCode.SUCCESS);
  });

  it('reports a refused connection as RemotingConnectError', async () => {
    const { server, addr } = await startServer(new ProcessorTable());
    await server.close();
    await expect(
      newClient().invoke(addr, RemotingCommand.request(14), { timeoutMs: 1000 }),
    ).rejects.toBeInstanceOf(RemotingConnectError);
  });

  it('closes every connection and rejects pending calls when the server closes', async () => {
    const never: RequestProcessor = { process: () => new Promise(() => undefined) };
    const closedChannels: RemotingChannel[] = [];
    const { server, addr } = await startServer(new ProcessorTable().on(11, never), {
      closeGraceMs: 100,
    });
    server.onChannelClose((channel) => closedChannels.push(channel));
    const pending = newClient().invoke(addr, RemotingCommand.request(11), { timeoutMs: 10_000 });
    const rejected = expect(pending).rejects.toBeInstanceOf(ConnectionClosedError);
    await waitFor(() => server.channels.length === 1);
    await server.close();
    await rejected;
    expect(closedChannels).toHaveLength(1);
    expect(server.channels).toHaveLength(0);
  });
});

describe('RemotingClient addresses', () => {
  it('rejects a malformed address instead of throwing', async () => {
    const client = new RemotingClient();
    await expect(
      client.invoke('no-port', RemotingCommand.request(14), { timeoutMs: 100 }),
    ).rejects.toBeInstanceOf(RemotingConnectError);
    await client.close();
  });
});
