/**
 * Remoting benchmark (issue M1-1): one client connection, 1 KiB bodies, a window of 256 requests in flight,
 * round trips per second and MB/s — ours (RemotingServer + RemotingClient, echo processor) printed beside a bare
 * node:net echo that uses the same frames and window, measured in the same run. Server and client run in
 * separate processes so each has its own core, as a broker and a producer would.
 *
 *   node tools/bench/dist/remoting-bench.js [--seconds=8] [--rounds=3] [--window=256] [--body=1024]
 */
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { RemotingCommand, RequestCode, ResponseCode, encodeFrame } from '@rocketmq-ts/protocol';
import { RemotingClient } from '@rocketmq-ts/remoting';
import { parseArgs, median, formatRate } from './bench-args.js';
import { forkAndAwaitMessage, stopChild } from './child-process.js';
import type { EchoServerKind } from './echo-server.js';

/** The three servers this bench compares (see echo-server.ts). */
type ServerKind = Extract<EchoServerKind, 'bare' | 'bare-batched' | 'remoting'>;

interface RunResult {
  roundTrips: number;
  seconds: number;
}

const args = parseArgs(process.argv.slice(2));
const SECONDS = Number(args.seconds ?? 8);
const ROUNDS = Number(args.rounds ?? 3);
const WINDOW = Number(args.window ?? 256);
const BODY_BYTES = Number(args.body ?? 1024);
const WARMUP_SECONDS = 1;
/** `--only=remoting` measures one kind alone (for profiling with --cpu-prof). */
const ONLY = args.only as ServerKind | undefined;

const BODY = Buffer.alloc(BODY_BYTES, 0x61);

function sendRequest(): RemotingCommand {
  // The header a producer sends: SEND_MESSAGE_V2 with the one-letter fields.
  return RemotingCommand.request(
    RequestCode.SEND_MESSAGE_V2,
    {
      a: 'bench-producer',
      b: 'BenchTopic',
      c: 'TBW102',
      d: '4',
      e: '0',
      f: '0',
      g: String(Date.now()),
      h: '0',
      i: 'TAGS\u0001bench\u0002',
      j: '0',
      k: 'false',
      m: 'false',
    },
    BODY,
  );
}

async function startServerProcess(
  kind: ServerKind,
): Promise<{ child: ChildProcess; port: number }> {
  const { child, message } = await forkAndAwaitMessage<{ port: number }>(
    fileURLToPath(new URL('./echo-server.js', import.meta.url)),
    [`--serve=${kind}`],
  );
  return { child, port: message.port };
}

async function runBare(port: number, seconds: number, perFrame: boolean): Promise<RunResult> {
  const frame = encodeFrame(sendRequest());
  const frameBytes = frame.length;
  const socket = connect({ host: '127.0.0.1', port, noDelay: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  return new Promise<RunResult>((resolve) => {
    let completed = 0;
    let partial = 0;
    let stopping = false;
    const started = process.hrtime.bigint();
    socket.write(Buffer.concat(Array.from({ length: WINDOW }, () => frame)));
    socket.on('data', (chunk: Buffer) => {
      // Every response is exactly one request frame long (echo), so counting bytes counts responses.
      partial += chunk.length;
      const done = Math.floor(partial / frameBytes);
      partial -= done * frameBytes;
      completed += done;
      if (stopping || done === 0) return;
      if (perFrame) for (let i = 0; i < done; i++) socket.write(frame);
      else socket.write(Buffer.concat(Array.from({ length: done }, () => frame)));
    });
    setTimeout(() => {
      stopping = true;
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      socket.destroy();
      resolve({ roundTrips: completed, seconds: elapsed });
    }, seconds * 1000);
  });
}

async function runRemoting(port: number, seconds: number): Promise<RunResult> {
  const client = new RemotingClient();
  const addr = `127.0.0.1:${port}`;
  await client.getChannel(addr);
  let completed = 0;
  let stopping = false;
  const started = process.hrtime.bigint();
  const loop = async (): Promise<void> => {
    while (!stopping) {
      const response = await client.invoke(addr, sendRequest(), { timeoutMs: 10_000 });
      if (response.code !== ResponseCode.SUCCESS)
        throw new Error(`bench got code ${response.code}`);
      completed++;
    }
  };
  const loops = Array.from({ length: WINDOW }, () => loop());
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  stopping = true;
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  await Promise.all(loops);
  await client.close();
  return { roundTrips: completed, seconds: elapsed };
}

async function measure(kind: ServerKind): Promise<number> {
  const { child, port } = await startServerProcess(kind);
  try {
    const run = (seconds: number) =>
      kind === 'remoting' ? runRemoting(port, seconds) : runBare(port, seconds, kind === 'bare');
    await run(WARMUP_SECONDS);
    const result = await run(SECONDS);
    return result.roundTrips / result.seconds;
  } finally {
    await stopChild(child);
  }
}

async function main(): Promise<void> {
  if (ONLY) {
    console.log(`${ONLY}: ${formatRate(await measure(ONLY), BODY_BYTES)}`);
    return;
  }
  const frameBytes = encodeFrame(sendRequest()).length;
  console.log(
    `remoting bench: ${BODY_BYTES}-byte bodies (${frameBytes}-byte request frames), window ${WINDOW}, ` +
      `${ROUNDS} rounds × ${SECONDS}s, node ${process.version}`,
  );
  const bare: number[] = [];
  const batched: number[] = [];
  const ours: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    // Interleaved so that load from elsewhere on a shared machine hits all three alike.
    bare.push(await measure('bare'));
    ours.push(await measure('remoting'));
    batched.push(await measure('bare-batched'));
    console.log(
      `  round ${round}: bare echo ${formatRate(bare.at(-1)!, BODY_BYTES)} | remoting ${formatRate(ours.at(-1)!, BODY_BYTES)} | batched echo ${formatRate(batched.at(-1)!, BODY_BYTES)}`,
    );
  }
  const oursMedian = median(ours);
  const pct = (reference: number) => `${((oursMedian / reference) * 100).toFixed(1)}%`;
  console.log(`median rocketmq-ts remoting:             ${formatRate(oursMedian, BODY_BYTES)}`);
  console.log(
    `median bare echo (frame per write):      ${formatRate(median(bare), BODY_BYTES)}  → remoting = ${pct(median(bare))}`,
  );
  console.log(
    `median batched echo (transport ceiling): ${formatRate(median(batched), BODY_BYTES)}  → remoting = ${pct(median(batched))}`,
  );
}

await main();
