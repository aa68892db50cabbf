/**
 * What pacing 10,000 clients costs the slow poetry server, without sockets:
 * one tick of the shared `LoopingCall` against 10,000 due `LoopingCall`s,
 * one per connection (the Python twin's way), on a fake Clock, writing to
 * transports that only count.
 *
 *     deno bench part05/slowpoetry_bench.ts
 *
 * @module
 */

import { Clock, LoopingCall } from "../lib/reactor/task.ts";
import { IPv4Address } from "../lib/tcp/address.ts";
import type { IPushProducer, ITCPTransport } from "../lib/interfaces.ts";
import { SlowPoetryFactory } from "./slowpoetry.ts";

const CLIENTS = 10_000;
const poem = new Uint8Array(1_000_000);

let written = 0;

/** A transport that keeps nothing: the bench measures the pacing, not the I/O. */
const countingTransport = {
  write(data: Uint8Array): void {
    written += data.length;
  },
  registerProducer(_producer: IPushProducer): void {},
  unregisterProducer(): void {},
  loseConnection(): void {},
  getPeer: (): IPv4Address => new IPv4Address("TCP", "127.0.0.1", 40000),
} as unknown as ITCPTransport;

const sharedClock = new Clock();
const factory = new SlowPoetryFactory(poem, 0.1, 10, () => {}, sharedClock);
factory.doStart();
for (let i = 0; i < CLIENTS; i++) {
  factory.buildProtocol(new IPv4Address("TCP", "127.0.0.1", i))?.makeConnection(countingTransport);
}

const ownClock = new Clock();
let sent = 0;
for (let i = 0; i < CLIENTS; i++) {
  const loop = new LoopingCall(() => countingTransport.write(poem.subarray(sent, sent += 10)));
  loop.clock = ownClock;
  loop.start(0.1, false);
}

Deno.bench("one shared tick writes a chunk to each of 10,000 clients", {
  group: "tick",
  baseline: true,
}, () => {
  sharedClock.advance(0.1);
});

Deno.bench("10,000 LoopingCalls, one per client, each write a chunk", { group: "tick" }, () => {
  ownClock.advance(0.1);
});
