/**
 * Reference servers for the benchmarks, run as a child process so that server and client each get a core:
 *
 *   node tools/bench/dist/echo-server.js --serve=<kind>
 *
 * reports `{ port }` over IPC once listening on 127.0.0.1 and exits on SIGTERM. An entry only: import its type,
 * never its values (importing would run it). Kinds:
 * - `bare`: echo that handles each frame as a message: every request frame is written back as its own write;
 * - `bare-batched`: the transport ceiling: whole chunks of complete frames are echoed in one write;
 * - `remoting`: RemotingServer whose SEND_MESSAGE_V2 processor answers with a send-response header and the body;
 * - `remoting-ack`: the same, answering with the send-response header only (what a broker's ack looks like,
 *   without any storing): the request/response ceiling of a producer against our remoting.
 */
import { createServer } from 'node:net';
import { RemotingCommand, RequestCode, ResponseCode } from '@rocketmq-ts/protocol';
import { ProcessorTable, RemotingServer } from '@rocketmq-ts/remoting';
import { parseArgs } from './bench-args.js';

/** Which reference server; see the file comment. */
export type EchoServerKind = 'bare' | 'bare-batched' | 'remoting' | 'remoting-ack';

const KINDS: readonly EchoServerKind[] = ['bare', 'bare-batched', 'remoting', 'remoting-ack'];

/** The send-response header of every answer (fixed: nothing is stored). */
const SEND_RESPONSE_FIELDS = {
  msgId: '7F00000100002A9F0000000000000000',
  queueId: '0',
  queueOffset: '0',
};
/** What our broker's send response carries besides (the extra keys the Java broker adds). */
const BROKER_EXTRA_FIELDS = { MSG_REGION: 'DefaultRegion', TRACE_ON: 'true' };

async function serveBare(perFrame: boolean): Promise<number> {
  const server = createServer({ noDelay: true }, (socket) => {
    // Echo every complete frame back, finding frames by their length prefix only.
    let pending: Buffer | undefined;
    socket.on('data', (chunk: Buffer) => {
      const data = pending ? Buffer.concat([pending, chunk]) : chunk;
      let offset = 0;
      while (data.length - offset >= 4) {
        const total = data.readInt32BE(offset) + 4;
        if (data.length - offset < total) break;
        if (perFrame) socket.write(data.subarray(offset, offset + total));
        offset += total;
      }
      if (!perFrame && offset > 0) socket.write(data.subarray(0, offset));
      pending = offset < data.length ? data.subarray(offset) : undefined;
    });
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function serveRemoting(withBody: boolean): Promise<number> {
  const table = new ProcessorTable().on(RequestCode.SEND_MESSAGE_V2, {
    process: (request) =>
      Promise.resolve(
        RemotingCommand.responseTo(request, ResponseCode.SUCCESS, {
          extFields: withBody
            ? { ...SEND_RESPONSE_FIELDS }
            : { ...SEND_RESPONSE_FIELDS, ...BROKER_EXTRA_FIELDS },
          body: withBody ? request.body : undefined,
        }),
      ),
  });
  const server = new RemotingServer({ listenPort: 0, host: '127.0.0.1', processors: table });
  await server.start();
  return server.port;
}

async function serve(kind: EchoServerKind): Promise<void> {
  let port: number;
  switch (kind) {
    case 'bare':
    case 'bare-batched':
      port = await serveBare(kind === 'bare');
      break;
    case 'remoting':
    case 'remoting-ack':
      port = await serveRemoting(kind === 'remoting');
      break;
  }
  process.send?.({ port });
}

const kind = parseArgs(process.argv.slice(2)).serve as EchoServerKind | undefined;
if (kind === undefined || !KINDS.includes(kind)) {
  console.error(`usage: echo-server.js --serve=${KINDS.join('|')}`);
  process.exit(2);
}
process.on('SIGTERM', () => process.exit(0));
await serve(kind);
