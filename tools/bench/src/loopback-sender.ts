/**
 * The sending side of the loopback baseline (loopback-stream.ts forks it): connects to 127.0.0.1:<port> and calls
 * socket.write() once per `size`-byte frame, honouring backpressure (false → wait for 'drain'), for `seconds`; then
 * ends the socket and reports `{ frames }` over IPC. The method of /work/shared/bench/sys/net.mjs (stream1k).
 *
 *   node tools/bench/dist/loopback-sender.js --port=<port> --seconds=5 --size=1024
 */
import { connect } from 'node:net';
import { parseArgs } from './bench-args.js';

const args = parseArgs(process.argv.slice(2));
const port = Number(args.port);
const seconds = Number(args.seconds ?? 5);
const size = Number(args.size ?? 1024);

const frame = Buffer.alloc(size, 7);
const socket = connect({ host: '127.0.0.1', port, noDelay: true });
socket.on('error', (error) => {
  console.error(`loopback sender: ${error.message}`);
  process.exit(1);
});
socket.once('connect', () => {
  const until = performance.now() + seconds * 1000;
  let frames = 0;
  const pump = (): void => {
    for (;;) {
      // Reading the clock every 256 frames keeps it off the per-frame cost.
      if ((frames & 255) === 0 && performance.now() > until) {
        socket.end(() => process.send?.({ frames }, () => process.exit(0)));
        return;
      }
      frames++;
      if (!socket.write(frame)) {
        socket.once('drain', pump);
        return;
      }
    }
  };
  pump();
});
