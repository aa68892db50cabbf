import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { converse, type Peer } from "../testing/protocols.ts";
import { testBothReactors } from "../testing/reactors.ts";
import { ConnectionAborted, ConnectionDone } from "../error.ts";
import type { IPullProducer, IPushProducer } from "../interfaces.ts";
import type { Connection } from "./tcp.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Bytes 0..n-1 of a pattern that shows where a byte went missing or moved. */
function pattern(n: number, seed = 0): Uint8Array {
  const bytes = new Uint8Array(n);
  for (let i = 0; i < n; i++) bytes[i] = (i * 31 + seed + (i >> 8)) & 0xff;
  return bytes;
}

function sameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  assertEquals(actual.length, expected.length, `${what}: length`);
  assert(actual.every((byte, i) => byte === expected[i]), `${what}: same bytes`);
}

testBothReactors(
  "write takes bytes only; empty writes and writes after the end do nothing",
  async (t) => {
    const seen: string[] = [];
    const { server, client } = await converse(t.reactor, t.run, {
      made(p): void {
        const transport = p.transport as Connection;
        const error = assertThrows(
          () => transport.write("a poem" as unknown as Uint8Array),
          TypeError,
        );
        seen.push(error.message);
        transport.write(new Uint8Array(0));
        seen.push(`writer after an empty write: ${t.reactor.getWriters().includes(transport)}`);
        transport.writeSequence([encoder.encode("one "), encoder.encode("two")]);
        transport.loseConnection();
      },
      lost(p): void {
        p.transport.write(encoder.encode("too late"));
        seen.push(`after: protocol ${p.connected}, transport ${p.transport.connected}`);
      },
    }, {});
    assertEquals(seen, [
      "Cannot write: data must be a Uint8Array, got a string (encode text first)",
      "writer after an empty write: false",
      "after: protocol true, transport false",
    ]);
    assertEquals(decoder.decode(client.received), "one two");
    assert(server.reason?.check(ConnectionDone) && client.reason?.check(ConnectionDone));
  },
);

testBothReactors("loseConnection sends everything written first, then closes", async (t) => {
  const data = pattern(4 * 1024 * 1024);
  const { server, client } = await converse(t.reactor, t.run, {
    made(p): void {
      p.transport.write(data);
      p.transport.loseConnection();
      assert(p.transport.disconnecting);
    },
  }, {});
  sameBytes(client.received, data, "client");
  assert(client.reason?.check(ConnectionDone), "the client saw a clean close");
  assert(server.reason?.check(ConnectionDone), "the server's own close is ConnectionDone");
});

testBothReactors("abortConnection drops the buffer and closes at once", async (t) => {
  const order: string[] = [];
  const { server, client } = await converse(t.reactor, t.run, {
    made(p): void {
      p.transport.write(pattern(8 * 1024 * 1024));
      p.transport.abortConnection();
      order.push("aborted");
    },
    lost(_p, reason): void {
      order.push(`lost ${reason.value.name}`);
    },
  }, {});
  assertEquals(order, ["aborted", "lost ConnectionAborted"]);
  assert(server.reason?.value instanceof ConnectionAborted);
  // Nothing was sent before the abort, and Deno cannot reset: the peer sees a clean close.
  assertEquals(client.received.length, 0);
  assert(client.reason?.check(ConnectionDone));
});

testBothReactors(
  "a streaming producer is paused past 64 KiB and resumed when drained",
  async (t) => {
    const total = 2 * 1024 * 1024;
    const chunk = pattern(16 * 1024);
    const events: string[] = [];
    let maxBuffered = 0;
    const { client } = await converse(t.reactor, t.run, {
      made(p): void {
        const transport = p.transport as Connection;
        let sent = 0;
        let paused = false;
        const producer: IPushProducer = {
          pauseProducing(): void {
            events.push("pause");
            paused = true;
          },
          resumeProducing(): void {
            events.push("resume");
            paused = false;
            while (!paused && sent < total) {
              transport.write(chunk);
              sent += chunk.length;
              maxBuffered = Math.max(maxBuffered, transport.bufferedAmount);
            }
            if (sent === total) {
              transport.unregisterProducer();
              transport.loseConnection();
            }
          },
          stopProducing(): void {
            events.push("stop");
          },
        };
        transport.registerProducer(producer, true);
        assertThrows(() => transport.registerProducer(producer, true), Error);
        producer.resumeProducing();
      },
    }, {});
    assertEquals(client.received.length, total);
    assert(events.includes("pause") && events.indexOf("resume", 1) > 0, events.join(" "));
    // Paused as soon as the buffer passed 64 KiB: one chunk more at most.
    assert(maxBuffered <= 64 * 1024 + chunk.length, `buffered up to ${maxBuffered}`);
    assert(!events.includes("stop"), "unregistered before the end, so not stopped");
  },
);

testBothReactors("a pull producer is asked for more each time the buffer drains", async (t) => {
  let asked = 0;
  const { client } = await converse(t.reactor, t.run, {
    made(p): void {
      const producer: IPullProducer = {
        resumeProducing(): void {
          if (++asked <= 5) p.transport.write(encoder.encode(`${asked} `));
          else {
            p.transport.unregisterProducer();
            p.transport.loseConnection();
          }
        },
        stopProducing(): void {},
      };
      p.transport.registerProducer(producer, false);
    },
  }, {});
  assertEquals(decoder.decode(client.received), "1 2 3 4 5 ");
  assertEquals(asked, 6);
});

testBothReactors("a producer is stopped when the connection is lost", async (t) => {
  const events: string[] = [];
  await converse(t.reactor, t.run, {
    made(p): void {
      p.transport.registerProducer({
        pauseProducing: (): unknown => events.push("pause"),
        resumeProducing: (): unknown => events.push("resume"),
        stopProducing: (): unknown => events.push("stop"),
      }, true);
    },
  }, {
    made(p): void {
      p.transport.loseConnection();
    },
  });
  assertEquals(events, ["stop"]);
});

testBothReactors("transport.pauseProducing stops dataReceived until resumeProducing", async (t) => {
  const seen: string[] = [];
  const { client } = await converse(t.reactor, t.run, {
    made(p): void {
      p.transport.write(encoder.encode("while you were paused"));
      p.transport.loseConnection();
    },
  }, {
    made(p: Peer): void {
      p.transport.pauseProducing();
      // However long this waits, nothing is delivered while paused.
      t.reactor.callLater(0.05, () => {
        seen.push(`chunks while paused: ${p.chunks.length}`);
        p.transport.resumeProducing();
      });
    },
  });
  assertEquals(seen, ["chunks while paused: 0"]);
  assertEquals(decoder.decode(client.received), "while you were paused");
});

testBothReactors("setTcpNoDelay turns Nagle's algorithm off", async (t) => {
  const seen: boolean[] = [];
  await converse(t.reactor, t.run, {
    made(p): void {
      seen.push(p.transport.getTcpNoDelay());
      p.transport.setTcpNoDelay(true);
      seen.push(p.transport.getTcpNoDelay());
      p.transport.loseConnection();
    },
  }, {});
  assertEquals(seen, [false, true]);
});
