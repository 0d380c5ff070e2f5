#!/usr/bin/env node
// Captures golden request frames from the real ali-ons 3.12.0 client.
//
// A stub server on 127.0.0.1 (ephemeral port) plays both NameServer and Broker. ali-ons starts a Producer, sends one
// message, starts a PushConsumer that receives it, and both clients close. Every request frame the stub receives is
// logged as hex; the first frame of each kind is written to packages/protocol/test/fixtures/ali-ons/<name>.hex
// together with captured.json (decoded headers). See README.md in the fixture folder.
//
// Run: node scripts/pnpm.mjs --filter @rocketmq-ts/ali-ons-capture run capture
import { createServer } from 'node:net';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout, clearTimeout } from 'node:timers';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRequire } from 'node:module';
import { EventEmitter } from 'node:events';
import ons from 'ali-ons';

const { Producer, Consumer, Message } = ons;

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const FIXTURE_DIR = join(ROOT, 'packages', 'protocol', 'test', 'fixtures', 'ali-ons');
const ALI_ONS_VERSION = createRequire(import.meta.url)('ali-ons/package.json').version;

const TOPIC = 'TopicTest';
const CONSUMER_GROUP = 'CG_CAPTURE';
const PRODUCER_GROUP = 'PG_CAPTURE';
const RETRY_TOPIC = `%RETRY%${CONSUMER_GROUP}`;
const BODY = 'hello rocketmq-ts';
const KEY = 'order-1';
const TAG = 'TagA';
const CLIENT_IP = '127.0.0.1';
const BROKER_NAME = 'broker-a';
const CLUSTER = 'DefaultCluster';

const DEADLINE_MS = 30_000; // whole run; exit code 2 when exceeded
const STEP_TIMEOUT_MS = 10_000; // one waitFor() step
const PULL_HOLD_MS = 200; // long-poll hold before answering PULL_NOT_FOUND
const MAX_FRAME = 16 * 1024 * 1024;
const MAX_FRAMES = 2000; // the stub destroys connections after this many requests in total

// Request codes (remoting-protocol.md §2).
const CODE = {
  PULL_MESSAGE: 11,
  QUERY_CONSUMER_OFFSET: 14,
  UPDATE_CONSUMER_OFFSET: 15,
  GET_MAX_OFFSET: 30,
  HEART_BEAT: 34,
  UNREGISTER_CLIENT: 35,
  GET_CONSUMER_LIST_BY_GROUP: 38,
  GET_ROUTEINFO_BY_TOPIC: 105,
  SEND_MESSAGE_V2: 310,
};
// Response codes (§3).
const RESP = {
  SUCCESS: 0,
  SYSTEM_ERROR: 1,
  REQUEST_CODE_NOT_SUPPORTED: 3,
  TOPIC_NOT_EXIST: 17,
  PULL_NOT_FOUND: 19,
  QUERY_NOT_FOUND: 22,
};

const deadline = setTimeout(() => {
  console.error(`capture: deadline of ${DEADLINE_MS} ms exceeded, giving up`);
  process.exit(2);
}, DEADLINE_MS);
deadline.unref();

// ---------------------------------------------------------------------------------------------------------------
// Wire helpers

/** Splits a raw frame into its parts; header-length int masked per §1.2. */
function parseFrame(frame) {
  const length = frame.readInt32BE(0);
  const serializeType = frame[4];
  const headerLength = frame.readUInt32BE(4) & 0xffffff;
  const headerText = frame.subarray(8, 8 + headerLength).toString('utf8');
  const header = JSON.parse(headerText);
  const body = frame.subarray(8 + headerLength);
  return { length, serializeType, headerLength, headerText, header, body };
}

/** Encodes a JSON-header response frame (serialize type 0, so the header-length int is the plain length). */
function encodeResponse(request, { code, remark, extFields, body }) {
  const header = {
    code,
    extFields: stringify(extFields ?? {}),
    flag: 1, // RPC_TYPE = response
    language: 'JAVA',
    opaque: request.opaque,
    serializeTypeCurrentRPC: 'JSON',
    version: 409,
  };
  if (remark !== undefined) header.remark = remark;
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const bodyBytes = body ?? Buffer.alloc(0);
  const frame = Buffer.alloc(8 + headerBytes.length + bodyBytes.length);
  frame.writeInt32BE(4 + headerBytes.length + bodyBytes.length, 0);
  frame.writeInt32BE(headerBytes.length, 4);
  headerBytes.copy(frame, 8);
  bodyBytes.copy(frame, 8 + headerBytes.length);
  return frame;
}

/** extFields is a string→string map on the Java side (§1.7). */
function stringify(map) {
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, String(v)]));
}

const CRC_TABLE = (() => {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c;
  }
  return table;
})();

function crc32(bytes) {
  let crc = -1;
  for (const b of bytes) crc = CRC_TABLE[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}

function ipv4Bytes(ip) {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) {
    throw new Error(`not an IPv4 address: ${ip}`);
  }
  return Buffer.from(parts);
}

/** One V1 message record with IPv4 born/store hosts (§6.1): 91 + body + topic + properties bytes. */
function encodeRecord(m) {
  const topic = Buffer.from(m.topic, 'utf8');
  const props = Buffer.from(m.properties, 'utf8');
  const size = 91 + m.body.length + topic.length + props.length;
  const b = Buffer.alloc(size);
  let o = 0;
  o = b.writeInt32BE(size, o);
  o = b.writeInt32BE(-626843481, o); // 0xDAA320A7, V1 magic
  o = b.writeInt32BE(crc32(m.body) & 0x7fffffff, o);
  o = b.writeInt32BE(m.queueId, o);
  o = b.writeInt32BE(m.flag, o);
  o = b.writeBigInt64BE(BigInt(m.queueOffset), o);
  o = b.writeBigInt64BE(BigInt(m.physicalOffset), o);
  o = b.writeInt32BE(m.sysFlag, o);
  o = b.writeBigInt64BE(BigInt(m.bornTimestamp), o);
  o += ipv4Bytes(m.bornHost).copy(b, o);
  o = b.writeInt32BE(m.bornPort, o);
  o = b.writeBigInt64BE(BigInt(m.storeTimestamp), o);
  o += ipv4Bytes(m.storeHost).copy(b, o);
  o = b.writeInt32BE(m.storePort, o);
  o = b.writeInt32BE(m.reconsumeTimes, o);
  o = b.writeBigInt64BE(0n, o); // prepared transaction offset
  o = b.writeInt32BE(m.body.length, o);
  o += m.body.copy(b, o);
  o = b.writeUInt8(topic.length, o);
  o += topic.copy(b, o);
  o = b.writeInt16BE(props.length, o);
  o += props.copy(b, o);
  if (o !== size) throw new Error(`record size mismatch: wrote ${o}, expected ${size}`);
  return b;
}

/** Offset message id (§6.7): store IPv4 + port + commit-log offset, uppercase hex. */
function offsetMsgId(host, port, physicalOffset) {
  const b = Buffer.alloc(16);
  ipv4Bytes(host).copy(b, 0);
  b.writeInt32BE(port, 4);
  b.writeBigInt64BE(BigInt(physicalOffset), 8);
  return b.toString('hex').toUpperCase();
}

// ---------------------------------------------------------------------------------------------------------------
// Stub NameServer + Broker

/** Every request frame received, in order: { seq, frame, ...parseFrame(frame) }. */
const received = [];
const sockets = new Set();
const heldPulls = new Set();
const consumerIds = new Set();
const state = { port: 0, stored: null, delivered: false, frames: 0, unexpected: [] };
const events = new EventEmitter();

function route() {
  return {
    brokerDatas: [
      { brokerAddrs: { 0: `127.0.0.1:${state.port}` }, brokerName: BROKER_NAME, cluster: CLUSTER },
    ],
    filterServerTable: {},
    queueDatas: [
      {
        brokerName: BROKER_NAME,
        perm: 6,
        readQueueNums: 1,
        topicSysFlag: 0,
        writeQueueNums: 1,
      },
    ],
  };
}

function pullHeader(next) {
  const max = state.stored ? 1 : 0;
  return { suggestWhichBrokerId: 0, nextBeginOffset: next, minOffset: 0, maxOffset: max };
}

/** Returns the response to send now, or null when the stub answers later (held pull). */
function handle(req, socket, reply) {
  const h = req.header;
  const ext = h.extFields ?? {};
  switch (h.code) {
    case CODE.GET_ROUTEINFO_BY_TOPIC:
      if (ext.topic === TOPIC || ext.topic === RETRY_TOPIC) {
        return { code: RESP.SUCCESS, body: Buffer.from(JSON.stringify(route())) };
      }
      return {
        code: RESP.TOPIC_NOT_EXIST,
        remark: `No topic route info in name server for the topic: ${ext.topic}`,
      };
    case CODE.SEND_MESSAGE_V2: {
      const physicalOffset = 0;
      state.stored = {
        topic: String(ext.b),
        queueId: Number(ext.e),
        flag: Number(ext.h),
        queueOffset: 0,
        physicalOffset,
        sysFlag: Number(ext.f),
        bornTimestamp: Number(ext.g),
        bornHost: socket.remoteAddress.replace(/^::ffff:/, ''),
        bornPort: socket.remotePort,
        storeTimestamp: Date.now(),
        storeHost: '127.0.0.1',
        storePort: state.port,
        reconsumeTimes: Number(ext.j ?? 0),
        body: Buffer.from(req.body),
        properties: `${ext.i ?? ''}CLUSTER\u0001${CLUSTER}\u0002`,
      };
      return {
        code: RESP.SUCCESS,
        extFields: {
          msgId: offsetMsgId('127.0.0.1', state.port, physicalOffset),
          queueId: state.stored.queueId,
          queueOffset: 0,
          MSG_REGION: 'DefaultRegion',
          TRACE_ON: 'true',
        },
      };
    }
    case CODE.HEART_BEAT: {
      const data = JSON.parse(req.body.toString('utf8'));
      if ((data.consumerDataSet ?? []).some((c) => c.groupName === CONSUMER_GROUP)) {
        consumerIds.add(data.clientID);
      }
      return { code: RESP.SUCCESS };
    }
    case CODE.UNREGISTER_CLIENT:
      if (ext.consumerGroup === CONSUMER_GROUP) consumerIds.delete(ext.clientID);
      return { code: RESP.SUCCESS };
    case CODE.GET_CONSUMER_LIST_BY_GROUP:
      if (ext.consumerGroup !== CONSUMER_GROUP || consumerIds.size === 0) {
        return {
          code: RESP.SYSTEM_ERROR,
          remark: `no consumer for this group, ${ext.consumerGroup}`,
        };
      }
      return {
        code: RESP.SUCCESS,
        body: Buffer.from(JSON.stringify({ consumerIdList: [...consumerIds] })),
      };
    case CODE.QUERY_CONSUMER_OFFSET:
      // Main topic: "not found" so that ali-ons asks GET_MAX_OFFSET (§8.7 item 4); retry topic: offset 0.
      if (ext.topic === TOPIC) {
        return {
          code: RESP.QUERY_NOT_FOUND,
          remark: 'Not found, V3_0_6_SNAPSHOT maybe this group consumer boot first',
        };
      }
      return { code: RESP.SUCCESS, extFields: { offset: 0 } };
    case CODE.GET_MAX_OFFSET:
      // Answer 0 (not 1) so that the consumer starts at the message the producer just sent.
      return { code: RESP.SUCCESS, extFields: { offset: 0 } };
    case CODE.UPDATE_CONSUMER_OFFSET:
      return { code: RESP.SUCCESS };
    case CODE.PULL_MESSAGE: {
      const offset = Number(ext.queueOffset);
      if (ext.topic === TOPIC && offset === 0 && state.stored && !state.delivered) {
        state.delivered = true;
        return {
          code: RESP.SUCCESS,
          remark: 'FOUND',
          extFields: pullHeader(1),
          body: encodeRecord(state.stored),
        };
      }
      const timer = setTimeout(() => {
        heldPulls.delete(timer);
        reply({
          code: RESP.PULL_NOT_FOUND,
          remark: 'OFFSET_OVERFLOW_ONE',
          extFields: pullHeader(offset),
        });
      }, PULL_HOLD_MS);
      heldPulls.add(timer);
      return null;
    }
    default:
      state.unexpected.push(h.code);
      return {
        code: RESP.REQUEST_CODE_NOT_SUPPORTED,
        remark: ` request type ${h.code} not supported`,
      };
  }
}

function onFrame(frame, socket) {
  state.frames += 1;
  if (state.frames > MAX_FRAMES) {
    console.error(`capture: more than ${MAX_FRAMES} request frames, closing the connection`);
    socket.destroy();
    return;
  }
  const req = { seq: received.length, frame, ...parseFrame(frame) };
  received.push(req);
  const h = req.header;
  console.log(
    `[stub] #${req.seq} code=${h.code} opaque=${h.opaque} flag=${h.flag} serializeType=${req.serializeType}` +
      ` headerLength=${req.headerLength} bodyLength=${req.body.length} from=${socket.remotePort}`,
  );
  console.log(`[stub]   header ${req.headerText}`);
  console.log(`[stub]   frame  ${frame.toString('hex')}`);

  if (h.flag & 1) return; // a response to something we never sent: ignore
  const oneway = (h.flag & 2) !== 0;
  const reply = (resp) => {
    if (oneway || socket.destroyed) return;
    socket.write(encodeResponse(h, resp));
  };
  const resp = handle(req, socket, reply);
  if (resp) reply(resp);
  events.emit('frame');
}

const server = createServer((socket) => {
  sockets.add(socket);
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk) => {
    buffered = Buffer.concat([buffered, chunk]);
    // Bounded: every iteration consumes one complete frame from the buffer.
    while (buffered.length >= 4) {
      const length = buffered.readInt32BE(0);
      if (length < 4 || length + 4 > MAX_FRAME) {
        console.error(`capture: bad frame length ${length}, closing the connection`);
        socket.destroy();
        return;
      }
      if (buffered.length < length + 4) break;
      const frame = Buffer.from(buffered.subarray(0, length + 4));
      buffered = buffered.subarray(length + 4);
      try {
        onFrame(frame, socket);
      } catch (err) {
        console.error('capture: failed to handle a frame', err);
        socket.destroy();
        return;
      }
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => sockets.delete(socket));
});

function listen() {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      state.port = server.address().port;
      resolve();
    });
  });
}

function closeServer() {
  for (const timer of heldPulls) clearTimeout(timer);
  heldPulls.clear();
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Resolves with the first received frame matching `predicate`; rejects after STEP_TIMEOUT_MS. */
function waitFor(what, predicate) {
  const found = received.find(predicate);
  if (found) return Promise.resolve(found);
  return new Promise((resolve, reject) => {
    const onFrameEvent = () => {
      const hit = received.find(predicate);
      if (hit) {
        clearTimeout(timer);
        events.off('frame', onFrameEvent);
        resolve(hit);
      }
    };
    const timer = setTimeout(() => {
      events.off('frame', onFrameEvent);
      reject(new Error(`timed out after ${STEP_TIMEOUT_MS} ms waiting for ${what}`));
    }, STEP_TIMEOUT_MS);
    events.on('frame', onFrameEvent);
  });
}

function withTimeout(what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${STEP_TIMEOUT_MS} ms: ${what}`)),
      STEP_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// ---------------------------------------------------------------------------------------------------------------
// Fixtures: name → predicates in order of preference (the first frame matching the first predicate that matches
// anything is written).

const ext = (r) => r.header.extFields ?? {};
const heartbeat = (r) => JSON.parse(r.body.toString('utf8'));
const isCode = (code) => (r) => r.header.code === code;
const and =
  (...ps) =>
  (r) =>
    ps.every((p) => p(r));

const isProducerHeartbeat = and(
  isCode(CODE.HEART_BEAT),
  (r) => heartbeat(r).consumerDataSet.length === 0 && heartbeat(r).producerDataSet.length > 0,
);
const isCommitOfMainTopic = and(
  isCode(CODE.UPDATE_CONSUMER_OFFSET),
  (r) => ext(r).topic === TOPIC && Number(ext(r).commitOffset) > 0,
);

const FIXTURES = [
  ['send-message-v2.hex', [isCode(CODE.SEND_MESSAGE_V2)]],
  [
    'pull-message.hex',
    [and(isCode(CODE.PULL_MESSAGE), (r) => ext(r).topic === TOPIC), isCode(CODE.PULL_MESSAGE)],
  ],
  [
    'heart-beat.hex',
    [
      and(isCode(CODE.HEART_BEAT), (r) =>
        heartbeat(r).consumerDataSet.some((c) => c.subscriptionDataSet.length >= 2),
      ),
      and(isCode(CODE.HEART_BEAT), (r) => heartbeat(r).consumerDataSet.length > 0),
    ],
  ],
  ['heart-beat-producer.hex', [isProducerHeartbeat]],
  ['get-routeinfo-by-topic.hex', [isCode(CODE.GET_ROUTEINFO_BY_TOPIC)]],
  [
    'query-consumer-offset.hex',
    [
      and(isCode(CODE.QUERY_CONSUMER_OFFSET), (r) => ext(r).topic === TOPIC),
      isCode(CODE.QUERY_CONSUMER_OFFSET),
    ],
  ],
  [
    'update-consumer-offset.hex',
    [
      isCommitOfMainTopic,
      and(isCode(CODE.UPDATE_CONSUMER_OFFSET), (r) => ext(r).topic === TOPIC),
      isCode(CODE.UPDATE_CONSUMER_OFFSET),
    ],
  ],
  ['get-max-offset.hex', [isCode(CODE.GET_MAX_OFFSET)]],
  ['get-consumer-list-by-group.hex', [isCode(CODE.GET_CONSUMER_LIST_BY_GROUP)]],
  [
    'unregister-client.hex',
    [and(isCode(CODE.UNREGISTER_CLIENT), (r) => ext(r).consumerGroup === CONSUMER_GROUP)],
  ],
  [
    'unregister-client-producer.hex',
    [and(isCode(CODE.UNREGISTER_CLIENT), (r) => ext(r).producerGroup === PRODUCER_GROUP)],
  ],
];

function pick(predicates) {
  for (const predicate of predicates) {
    const hit = received.find(predicate);
    if (hit) return hit;
  }
  return undefined;
}

function describeBody(name, r) {
  if (r.body.length === 0) return undefined;
  if (r.header.code === CODE.HEART_BEAT) return JSON.parse(r.body.toString('utf8'));
  if (r.header.code === CODE.SEND_MESSAGE_V2) return r.body.toString('utf8');
  return `(${r.body.length} bytes, ${name})`;
}

/**
 * JSON.stringify(value, null, 2), except that arrays of primitives that fit in 100 columns stay on one line — the
 * layout prettier gives JSON files, so `prettier --check` passes on the generated captured.json.
 */
function toJson(value, indent, column) {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object')) {
      const inline = `[${value.map((v) => JSON.stringify(v)).join(', ')}]`;
      if (column + inline.length + 1 <= 100) return inline;
    }
    const inner = `${indent}  `;
    return `[\n${value.map((v) => inner + toJson(v, inner, inner.length)).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const inner = `${indent}  `;
    const lines = entries.map(([k, v]) => {
      const prefix = `${inner}${JSON.stringify(k)}: `;
      return prefix + toJson(v, inner, prefix.length);
    });
    return `{\n${lines.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

function writeFixtures() {
  mkdirSync(FIXTURE_DIR, { recursive: true });
  const summary = {
    capturedWith: {
      aliOns: ALI_ONS_VERSION,
      node: process.version,
      date: new Date().toISOString(),
    },
    files: {},
  };
  const missing = [];
  for (const [name, predicates] of FIXTURES) {
    const r = pick(predicates);
    if (!r) {
      missing.push(name);
      continue;
    }
    writeFileSync(join(FIXTURE_DIR, name), `${r.frame.toString('hex')}\n`);
    summary.files[name] = {
      code: r.header.code,
      sequence: r.seq,
      frameLength: r.frame.length,
      lengthField: r.length,
      serializeType: r.serializeType,
      headerLength: r.headerLength,
      bodyLength: r.body.length,
      header: r.header,
      body: describeBody(name, r),
    };
  }
  writeFileSync(join(FIXTURE_DIR, 'captured.json'), `${toJson(summary, '', 0)}\n`);
  return missing;
}

// ---------------------------------------------------------------------------------------------------------------
// The scenario

/** ali-ons asserts that an HTTP client is passed, but only uses it to resolve `onsAddr`; we give `nameSrv`. */
const httpclient = {
  request() {
    throw new Error('capture: no HTTP lookups; nameSrv is given');
  },
};

function onClientError(who) {
  return (err) =>
    console.log(`[${who}] error event (may be expected): ${err.name}: ${err.message}`);
}

async function main() {
  await listen();
  const nameSrv = `127.0.0.1:${state.port}`;
  console.log(`capture: ali-ons ${ALI_ONS_VERSION}, node ${process.version}, stub on ${nameSrv}`);

  const common = { httpclient, nameSrv, clientIP: CLIENT_IP };
  const producer = new Producer({
    ...common,
    producerGroup: PRODUCER_GROUP,
    instanceName: 'capture-producer',
    heartbeatBrokerInterval: 1000,
  });
  producer.on('error', onClientError('producer'));
  await withTimeout('producer start', producer.ready());

  const msg = new Message(TOPIC, TAG, BODY);
  msg.keys = [KEY];
  const sendResult = await withTimeout('producer send', producer.send(msg));
  console.log(`capture: send result ${JSON.stringify(sendResult)}`);
  await waitFor('a producer-only heartbeat', isProducerHeartbeat);

  let delivered;
  const gotMessage = new Promise((resolve) => {
    delivered = resolve;
  });
  const consumer = new Consumer({
    ...common,
    consumerGroup: CONSUMER_GROUP,
    instanceName: 'capture-consumer',
    persistConsumerOffsetInterval: 1000,
  });
  consumer.on('error', onClientError('consumer'));
  consumer.subscribe(TOPIC, TAG, async (m) => {
    delivered(m);
  });
  await withTimeout('consumer start', consumer.ready());
  const m = await withTimeout('message delivery', gotMessage);
  console.log(
    `capture: consumer got msgId=${m.msgId} topic=${m.topic} tags=${m.tags} keys=${m.keys}` +
      ` body=${JSON.stringify(m.body.toString('utf8'))} properties=${JSON.stringify(m.properties)}`,
  );
  if (m.body.toString('utf8') !== BODY || m.tags !== TAG || m.keys !== KEY) {
    throw new Error('the delivered message does not match what was sent');
  }
  await waitFor('UPDATE_CONSUMER_OFFSET with the committed offset', isCommitOfMainTopic);

  await withTimeout('consumer close', consumer.close());
  await withTimeout('producer close', producer.close());
  // The shared inner producer (CLIENT_INNER_PRODUCER) keeps the producer's client open until it is closed too.
  const inner = await Producer.getDefaultProducer();
  await withTimeout('inner producer close', inner.close());
  await sleep(100);
  await closeServer();

  const missing = writeFixtures();
  console.log(
    `capture: ${received.length} request frames received; fixtures in ${relative(ROOT, FIXTURE_DIR)}`,
  );
  if (state.unexpected.length > 0) {
    console.log(
      `capture: request codes answered with REQUEST_CODE_NOT_SUPPORTED: ${state.unexpected.join(', ')}`,
    );
  }
  if (missing.length > 0) {
    throw new Error(`no frame captured for: ${missing.join(', ')}`);
  }
}

main().then(
  () => process.exit(0),
  async (err) => {
    console.error('capture failed:', err);
    await closeServer().catch(() => {});
    process.exit(1);
  },
);
