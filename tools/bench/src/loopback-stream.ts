/**
 * The transport baseline of the broker bench: bare loopback TCP between two Node processes, one socket.write() per
 * frame with backpressure (loopback-sender.ts), the receiver here only counting bytes. What a producer's frames
 * could reach with no protocol, no acks and no broker at all.
 */
import { createServer } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { forkAndAwaitMessage, stopChild } from './child-process.js';

/** Time the receiver waits for the sender's socket to close after it reported, in ms. */
const CLOSE_TIMEOUT_MS = 15_000;

/** Result of one {@link measureLoopbackStream}. */
export interface LoopbackStreamResult {
  /** Frames received per second, from the first byte to the last. */
  readonly framesPerSecond: number;
  /** Frames the receiver counted (whole frames). */
  readonly frames: number;
}

/**
 * Runs the sender for `seconds` against a counting receiver and returns the received frame rate.
 *
 * @throws Error when the sender fails, or nothing arrives.
 */
export async function measureLoopbackStream(options: {
  seconds: number;
  frameBytes: number;
}): Promise<LoopbackStreamResult> {
  let bytes = 0;
  let first = 0;
  let last = 0;
  let closed!: () => void;
  const senderClosed = new Promise<void>((resolve) => (closed = resolve));
  const server = createServer({ noDelay: true }, (socket) => {
    socket.on('data', (chunk: Buffer) => {
      const now = performance.now();
      if (first === 0) first = now;
      last = now;
      bytes += chunk.length;
    });
    socket.on('error', () => undefined);
    socket.on('close', () => closed());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  try {
    // The sender reports once it has ended the socket; its last bytes may still be in flight, so wait for close.
    const { child } = await forkAndAwaitMessage<{ frames: number }>(
      fileURLToPath(new URL('./loopback-sender.js', import.meta.url)),
      [`--port=${port}`, `--seconds=${options.seconds}`, `--size=${options.frameBytes}`],
      { firstMessageTimeoutMs: options.seconds * 1000 + 15_000 },
    );
    const closeWait = new AbortController();
    const outcome = await Promise.race([
      senderClosed.then(() => 'closed' as const),
      delay(CLOSE_TIMEOUT_MS, 'timeout' as const, { signal: closeWait.signal }).catch(
        () => 'closed' as const,
      ),
    ]);
    closeWait.abort();
    await stopChild(child);
    if (outcome === 'timeout') throw new Error('loopback sender ended but its socket never closed');
  } finally {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  const frames = Math.floor(bytes / options.frameBytes);
  if (frames === 0 || last <= first) throw new Error('loopback baseline received nothing');
  return { frames, framesPerSecond: frames / ((last - first) / 1000) };
}
