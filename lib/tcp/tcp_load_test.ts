import { assert, assertEquals } from "../testing/asserts.ts";
import { converse, type PeerHooks } from "../testing/protocols.ts";
import { testBothReactors } from "../testing/reactors.ts";
import { ConnectionDone, ConnectionLost } from "../error.ts";
import type { IPushProducer } from "../interfaces.ts";
import { joinBytes } from "../bytes/bytes.ts";
import { ClientFactory, Factory, Protocol } from "./protocol.ts";
import type { Connection } from "./tcp.ts";

/** Bytes 0..n-1 of a pattern that shows where a byte went missing or moved. */
function pattern(n: number, seed = 0): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 31 + seed * 7 + (i >> 8)) & 0xff;
  return bytes;
}

function sameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assertEquals(actual.length, expected.length, `${what}: length`);
  assert(actual.every((byte, i) => byte === expected[i]), `${what}: same bytes`);
}

testBothReactors("4 MiB each way at once arrive byte-exact", async (t) => {
  const size = 4 * 1024 * 1024;
  const fromServer = pattern(size, 1);
  const fromClient = pattern(size, 2);
  // Each side closes once it has all it expects (loseConnection stops reading).
  const hooks = (data: Uint8Array): PeerHooks => ({
    made(p): void {
      p.transport.write(data);
    },
    data(p): void {
      if (p.chunks.reduce((sum, chunk) => sum + chunk.length, 0) === size) {
        p.transport.loseConnection();
      }
    },
  });
  const { server, client } = await converse(
    t.reactor,
    t.run,
    hooks(fromServer),
    hooks(fromClient),
  );
  sameBytes(client.received, fromServer, "client");
  sameBytes(server.received, fromClient, "server");
  assert(client.chunks.length > 1, "4 MiB came in several chunks");
});

testBothReactors("a character split between two chunks is joined before decoding", async (t) => {
  const text = "Ode to the café: ✓";
  const bytes = new TextEncoder().encode(text);
  const cut = bytes.indexOf(0xc3) + 1; // inside "é", after its first byte
  const { client } = await converse(t.reactor, t.run, {
    made(p): void {
      p.transport.write(bytes.subarray(0, cut));
    },
    // The rest goes only once the client has the first part: two chunks for sure.
    data(p): void {
      p.transport.write(bytes.subarray(cut));
      p.transport.loseConnection();
    },
  }, {
    data(p): void {
      if (p.chunks.length === 1) p.transport.write(new Uint8Array([1]));
    },
  });
  assertEquals(client.chunks.length, 2);
  assert(
    ((): boolean => {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(client.chunks[0]);
        return false;
      } catch {
        return true;
      }
    })(),
    "the first chunk alone is not valid UTF-8",
  );
  assertEquals(new TextDecoder().decode(client.received), text);
});

testBothReactors(
  "a peer that closes mid-stream: what came is kept, and the end is reported",
  async (t) => {
    const { client, server } = await converse(t.reactor, t.run, {
      made(p): void {
        p.transport.write(pattern(100_000));
        p.transport.loseConnection(); // promised a megabyte, sent 100 kB
      },
    }, {});
    sameBytes(client.received, pattern(100_000), "client");
    assert(client.reason?.check(ConnectionDone) && server.reason?.check(ConnectionDone));
  },
);

testBothReactors(
  "a peer that goes away while we write ends the connection, not the reactor",
  async (t) => {
    const { client } = await converse(t.reactor, t.run, {
      data(p): void {
        p.transport.abortConnection();
      },
    }, {
      made(p): void {
        const transport = p.transport as Connection;
        let sent = 0;
        let paused = false;
        const producer: IPushProducer = {
          pauseProducing: (): void => {
            paused = true;
          },
          resumeProducing: (): void => {
            paused = false;
            // Bounded: the peer resets long before 64 MiB.
            while (!paused && sent < 64 * 1024 * 1024) {
              transport.write(pattern(64 * 1024));
              sent += 64 * 1024;
            }
          },
          stopProducing: (): void => {},
        };
        transport.registerProducer(producer, true);
        producer.resumeProducing();
      },
    });
    // A reset seen by a failed write is ConnectionLost; Deno reports one seen by a read as a clean end.
    assert(client.reason?.check(ConnectionLost, ConnectionDone), String(client.reason?.value));
    assertEquals(t.log, []);
  },
);

testBothReactors("200 connections at once, each echoed byte-exact", async (t) => {
  const count = 200;
  class Echo extends Protocol {
    override dataReceived(data: Uint8Array): void {
      this.transport.write(data);
    }
  }
  const size = 20_000;
  let done = 0;
  const failures: string[] = [];
  class Client extends Protocol {
    declare factory: EchoClientFactory;
    chunks: Uint8Array[] = [];
    override connectionMade(): void {
      this.transport.write(pattern(size, this.factory.id));
    }
    override dataReceived(data: Uint8Array): void {
      this.chunks.push(data);
      if (this.chunks.reduce((sum, chunk) => sum + chunk.length, 0) >= size) {
        this.transport.loseConnection();
      }
    }
    override connectionLost(): void {
      const got = joinBytes(this.chunks);
      const want = pattern(size, this.factory.id);
      if (got.length !== size || !got.every((byte, i) => byte === want[i])) {
        failures.push(`client ${this.factory.id}: ${got.length} bytes, or not the same`);
      }
      if (++done === count) port.stopListening().addCallback(() => t.reactor.stop());
    }
  }
  class EchoClientFactory extends ClientFactory {
    override protocol = Client;
    constructor(readonly id: number) {
      super();
    }
    override clientConnectionFailed(): void {
      failures.push(`client ${this.id}: failed to connect`);
      if (++done === count) port.stopListening().addCallback(() => t.reactor.stop());
    }
  }
  const port = t.reactor.listenTCP(0, Factory.forProtocol(Echo), { backlog: count });
  for (let id = 0; id < count; id++) {
    t.reactor.connectTCP("127.0.0.1", port.getHost().port, new EchoClientFactory(id));
  }
  await t.run(60);
  assertEquals(failures, []);
  assertEquals(done, count);
});

testBothReactors(
  "a peer that does not read holds the producer paused, then lets it finish",
  async (t) => {
    const total = 32 * 1024 * 1024;
    const chunkSize = 64 * 1024;
    let sent = 0;
    let maxBuffered = 0;
    let stuckAt = -1;
    let reader: Protocol | null = null;
    const { client } = await converse(t.reactor, t.run, {
      made(p): void {
        const transport = p.transport as Connection;
        let paused = false;
        let pauses = 0;
        const producer: IPushProducer = {
          pauseProducing(): void {
            paused = true;
            const pause = ++pauses;
            // Still paused a moment later, the peer reading nothing: the peer holds it.
            t.reactor.callLater(0.1, () => {
              if (!paused || pause !== pauses || stuckAt !== -1) return;
              stuckAt = sent;
              reader?.transport.resumeProducing();
            });
          },
          resumeProducing(): void {
            paused = false;
            while (!paused && sent < total) {
              transport.write(pattern(chunkSize, sent / chunkSize));
              sent += chunkSize;
              maxBuffered = Math.max(maxBuffered, transport.bufferedAmount);
            }
            if (sent === total) {
              transport.unregisterProducer();
              transport.loseConnection();
            }
          },
          stopProducing(): void {},
        };
        transport.registerProducer(producer, true);
        producer.resumeProducing();
      },
    }, {
      made(p): void {
        reader = p;
        p.transport.pauseProducing();
      },
    });
    assert(stuckAt > 0 && stuckAt < total, `held at ${stuckAt} of ${total} bytes`);
    assert(maxBuffered <= 64 * 1024 + chunkSize, `buffered up to ${maxBuffered}`);
    assertEquals(client.received.length, total);
    const want = joinBytes(
      Array.from({ length: total / chunkSize }, (_, i) => pattern(chunkSize, i)),
    );
    sameBytes(client.received, want, "client");
  },
);
