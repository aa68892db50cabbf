/**
 * Throughput of one loopback connection: 64 MiB written by a server
 * protocol, a streaming producer of 64 KiB (Twisted's buffer size) or
 * 1 MiB chunks, and read by a client protocol, on each reactor; against
 * bare `Deno.Conn` read and write loops with 1 MiB buffers, in one process:
 * one whose reader reuses its buffer, and one whose reader, as a transport
 * must, reads each chunk into a buffer of its own to hand on.
 *
 *     deno bench --allow-net=127.0.0.1 lib/tcp/tcp_bench.ts
 *
 * 64 MiB in `t` ms is `67.1 / t` GB/s. Twisted 22.4's side of the
 * comparison is the same program in Python, `tcp_bench_twisted.py` beside
 * this file (run it with Debian's `/usr/bin/python3`, which has
 * `python3-twisted`; nothing in the repository depends on it): it prints
 * its best and median times and GB/s. Compare runs made in the same
 * minutes: loopback speed moves with the machine's load.
 *
 * @module
 */

import type { IPushProducer } from "../interfaces.ts";
import { EPollReactor } from "../reactor/epoll_reactor.ts";
import { PollReactor } from "../reactor/poll_reactor.ts";
import type { PosixReactorBase } from "../reactor/posix_base.ts";
import { ClientFactory, Factory, Protocol } from "./protocol.ts";

const TOTAL = 64 * 1024 * 1024;

/** Writes TOTAL bytes in `chunk`-sized writes, as a streaming producer. */
class Sender extends Protocol implements IPushProducer {
  #sent = 0;
  #paused = false;

  constructor(readonly chunk: Uint8Array) {
    super();
  }

  override connectionMade(): void {
    this.transport.registerProducer(this, true);
    this.resumeProducing();
  }

  pauseProducing(): void {
    this.#paused = true;
  }

  resumeProducing(): void {
    this.#paused = false;
    while (!this.#paused && this.#sent < TOTAL) {
      this.transport.write(this.chunk);
      this.#sent += this.chunk.length;
    }
    if (this.#sent >= TOTAL) {
      this.transport.unregisterProducer();
      this.transport.loseConnection();
    }
  }

  stopProducing(): void {}
}

/** Counts the bytes, and stops the reactor when the sender closes. */
class Receiver extends Protocol {
  received = 0;

  override dataReceived(data: Uint8Array): void {
    this.received += data.length;
  }

  override connectionLost(): void {
    if (this.received !== TOTAL) throw new Error(`Cannot finish: got ${this.received} bytes`);
    (this.factory as ReceiverFactory).reactor.stop();
  }
}

class ReceiverFactory extends ClientFactory {
  override protocol = Receiver;
  constructor(readonly reactor: PosixReactorBase) {
    super();
  }
}

/** Serves each connection with a Sender of `chunk`s. */
class SenderFactory extends Factory {
  constructor(readonly chunk: Uint8Array) {
    super();
  }

  override buildProtocol(): Sender {
    return new Sender(this.chunk);
  }
}

async function overProtocols(reactor: PosixReactorBase, chunkSize: number): Promise<void> {
  const chunk = new Uint8Array(chunkSize).fill(0x78);
  const port = reactor.listenTCP(0, new SenderFactory(chunk));
  reactor.connectTCP("127.0.0.1", port.getHost().port, new ReceiverFactory(reactor));
  await reactor.run();
}

for (const chunkSize of [64 * 1024, 1024 * 1024]) {
  for (const Reactor of [EPollReactor, PollReactor]) {
    Deno.bench({
      name: `producer of ${chunkSize / 1024} KiB writes → protocol, ${Reactor.name}`,
      group: "one connection, 64 MiB",
      n: 20,
      warmup: 3,
      async fn(): Promise<void> {
        await overProtocols(new Reactor({ installSignalHandlers: false }), chunkSize);
      },
    });
  }
}

/**
 * Bare `Deno.Conn` loops with 1 MiB buffers. The reader reuses one buffer
 * (`fresh` false: nothing is handed on, the fastest a reader can be) or
 * reads into a new one each time (`fresh` true: each chunk is the
 * receiver's to keep, as `dataReceived` hands it on, and a new buffer's
 * pages cost the kernel a fault each).
 */
async function overBareConns(fresh: boolean): Promise<void> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  const connecting = Deno.connect({ hostname: "127.0.0.1", port });
  const server = await listener.accept();
  const client = await connecting;
  listener.close();
  const writing = (async (): Promise<void> => {
    const buffer = new Uint8Array(1024 * 1024).fill(0x78);
    for (let sent = 0; sent < TOTAL;) {
      sent += await server.write(buffer.subarray(0, Math.min(buffer.length, TOTAL - sent)));
    }
    server.close();
  })();
  let buffer = new Uint8Array(1024 * 1024);
  let received = 0;
  for (let count = await client.read(buffer); count !== null; count = await client.read(buffer)) {
    received += count;
    if (fresh) buffer = new Uint8Array(buffer.length);
  }
  await writing;
  client.close();
  if (received !== TOTAL) throw new Error(`Cannot finish: got ${received} bytes`);
}

Deno.bench({
  name: "bare Deno.Conn loops, 1 MiB buffers",
  group: "one connection, 64 MiB",
  baseline: true,
  n: 20,
  warmup: 3,
  async fn(): Promise<void> {
    await overBareConns(false);
  },
});

Deno.bench({
  name: "bare Deno.Conn loops, 1 MiB buffers, a new one per read",
  group: "one connection, 64 MiB",
  n: 20,
  warmup: 3,
  async fn(): Promise<void> {
    await overBareConns(true);
  },
});
