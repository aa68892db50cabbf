import { assert, assertEquals, assertStringIncludes } from "../testing/asserts.ts";
import { socketPair } from "../testing/sockets.ts";
import { EPollReactor } from "./epoll_reactor.ts";
import { ConnectionDone, ConnectionFdescWentAway, ConnectionLost } from "../error.ts";
import type { Failure } from "../defer/failure.ts";
import type { IReadDescriptor, IWriteDescriptor } from "../interfaces.ts";
import { PollReactor } from "./poll_reactor.ts";
import type { PosixReactorBase } from "./posix_base.ts";
import type { Socket } from "../socket/socket.ts";
import { WouldBlockError } from "../socket/socket_error.ts";

const encoder = new TextEncoder();

/** A descriptor that records what the reactor does to it. */
class Probe implements IReadDescriptor, IWriteDescriptor {
  readonly received: string[] = [];
  readonly lost: Failure[] = [];
  writes = 0;
  onRead: () => Error | void = () => {};
  onWrite: () => Error | void = () => {};

  constructor(readonly sock: Socket) {}

  fileno(): number {
    return this.sock.fileno();
  }

  doRead(): Error | void {
    try {
      const bytes = this.sock.recv(1024);
      if (bytes.length === 0) return new ConnectionDone();
      this.received.push(new TextDecoder().decode(bytes));
    } catch (error) {
      if (!(error instanceof WouldBlockError)) throw error;
    }
    return this.onRead();
  }

  doWrite(): Error | void {
    this.writes++;
    return this.onWrite();
  }

  connectionLost(reason: Failure): void {
    this.lost.push(reason);
  }

  logPrefix(): string {
    return "probe";
  }
}

const implementations: [string, (log: string[]) => PosixReactorBase][] = [
  [
    "EPollReactor",
    (log) => new EPollReactor({ log: (t) => log.push(t), installSignalHandlers: false }),
  ],
  [
    "PollReactor",
    (log) => new PollReactor({ log: (t) => log.push(t), installSignalHandlers: false }),
  ],
];

for (const [name, create] of implementations) {
  /** Runs a test with a reactor and a connected pair; `probe` wraps the client end. */
  const withPair = (
    title: string,
    fn: (reactor: PosixReactorBase, probe: Probe, peer: Socket, log: string[]) => Promise<void>,
  ): void => {
    Deno.test(`${name}: ${title}`, async () => {
      const log: string[] = [];
      const reactor = create(log);
      const [client, peer, close] = await socketPair();
      try {
        await fn(reactor, new Probe(client), peer, log);
      } finally {
        close();
      }
    });
  };

  withPair(
    "addReader() calls doRead when data arrives; getReaders() lists it",
    async (reactor, probe, peer) => {
      probe.onRead = () => reactor.stop();
      reactor.addReader(probe);
      reactor.addReader(probe);
      assertEquals(reactor.getReaders(), [probe]);
      reactor.callLater(0.01, () => peer.send(encoder.encode("hello")));
      await reactor.run();
      assertEquals(probe.received, ["hello"]);
      assertEquals(probe.lost.length, 1, "shutdown disconnects what is still registered");
      assertEquals(reactor.getReaders(), []);
    },
  );

  withPair("removeReader() stops the calls", async (reactor, probe, peer) => {
    reactor.addReader(probe);
    reactor.removeReader(probe);
    reactor.removeReader(probe);
    assertEquals(reactor.getReaders(), []);
    peer.send(encoder.encode("ignored"));
    reactor.callLater(0.05, () => reactor.stop());
    await reactor.run();
    assertEquals([probe.received, probe.lost], [[], []]);
  });

  withPair(
    "addWriter() calls doWrite while writable; removeWriter() stops it",
    async (reactor, probe) => {
      probe.onWrite = () => {
        if (probe.writes === 3) {
          reactor.removeWriter(probe);
          reactor.callLater(0.02, () => reactor.stop());
        }
      };
      reactor.addWriter(probe);
      assertEquals(reactor.getWriters(), [probe]);
      await reactor.run();
      assertEquals([probe.writes, reactor.getWriters(), probe.lost], [3, [], []]);
    },
  );

  withPair(
    "a descriptor can be a reader and a writer, and removing one keeps the other",
    async (reactor, probe, peer) => {
      reactor.addReader(probe);
      reactor.addWriter(probe);
      reactor.removeWriter(probe);
      assertEquals([reactor.getReaders(), reactor.getWriters()], [[probe], []]);
      probe.onRead = () => reactor.stop();
      peer.send(encoder.encode("still read"));
      await reactor.run();
      assertEquals([probe.received, probe.writes], [["still read"], 0]);
    },
  );

  withPair(
    "doRead returning a reason removes the descriptor and passes the reason on",
    async (reactor, probe, peer) => {
      const reason = new ConnectionLost("enough");
      probe.onRead = () => reason;
      reactor.addReader(probe);
      reactor.addWriter(probe);
      probe.onWrite = () => reactor.removeWriter(probe);
      reactor.callLater(0.01, () => peer.send(encoder.encode("x")));
      reactor.callLater(0.2, () => reactor.stop());
      await reactor.run();
      assertEquals(probe.lost.length, 1);
      assertEquals(probe.lost[0].value, reason);
      assertEquals([reactor.getReaders(), reactor.getWriters()], [[], []]);
    },
  );

  withPair(
    "end of stream: doRead returns ConnectionDone and connectionLost gets it",
    async (reactor, probe, peer) => {
      reactor.addReader(probe);
      reactor.callLater(0.01, () => peer.close());
      reactor.callLater(0.5, () => reactor.stop());
      await reactor.run();
      assertEquals(probe.lost.length, 1);
      assert(probe.lost[0].check(ConnectionDone) !== null, String(probe.lost[0].value));
    },
  );

  withPair(
    "doRead throwing is reported with the descriptor's prefix, then it is removed",
    async (reactor, probe, peer, log) => {
      probe.onRead = () => {
        throw new Error("read failed");
      };
      reactor.addReader(probe);
      reactor.callLater(0.01, () => peer.send(encoder.encode("x")));
      reactor.callLater(0.2, () => reactor.stop());
      await reactor.run();
      assertEquals(probe.lost.length, 1);
      assertEquals((probe.lost[0].value as Error).message, "read failed");
      assertEquals(log.length, 1);
      assertStringIncludes(
        log[0],
        "Unhandled error in a reactor callback (probe):\nError: read failed",
      );
      assertEquals(reactor.getReaders(), []);
    },
  );

  withPair(
    "removeAll() returns each reader and writer once and empties both",
    async (reactor, probe) => {
      const [other, otherPeer, closeOther] = await socketPair();
      try {
        const second = new Probe(other);
        reactor.addReader(probe);
        reactor.addWriter(probe);
        reactor.addWriter(second);
        const removed = reactor.removeAll();
        assertEquals(new Set(removed), new Set([probe, second]));
        assertEquals(removed.length, 2);
        assertEquals([reactor.getReaders(), reactor.getWriters()], [[], []]);
        assert(otherPeer.fileno() > 0);
      } finally {
        closeOther();
      }
    },
  );

  withPair(
    "a reader added from outside the loop while it waits is watched at once",
    async (reactor, probe, peer) => {
      probe.onRead = () => reactor.stop();
      setTimeout(() => {
        reactor.addReader(probe);
        peer.send(encoder.encode("late"));
      }, 20);
      await reactor.run();
      assertEquals(probe.received, ["late"]);
    },
  );

  withPair(
    "removeReader() finds a descriptor whose socket is already closed",
    (reactor, probe): Promise<void> => {
      reactor.addReader(probe);
      reactor.addWriter(probe);
      probe.sock.close();
      assertEquals(probe.fileno(), -1);
      reactor.removeReader(probe);
      reactor.removeWriter(probe);
      assertEquals([reactor.getReaders(), reactor.getWriters()], [[], []]);
      return Promise.resolve();
    },
  );

  withPair(
    "stop() disconnects what is still registered with ConnectionLost",
    async (reactor, probe) => {
      reactor.addReader(probe);
      reactor.callLater(0.01, () => reactor.stop());
      await reactor.run();
      assertEquals(probe.lost.length, 1);
      assert(probe.lost[0].check(ConnectionLost) !== null);
      assertEquals(reactor.getReaders(), []);
    },
  );
}

Deno.test("PollReactor: a descriptor closed behind its back is disconnected as gone", async () => {
  const log: string[] = [];
  const reactor = new PollReactor({ log: (t) => log.push(t), installSignalHandlers: false });
  const [client, peer, close] = await socketPair();
  try {
    const probe = new Probe(client);
    reactor.addReader(probe);
    reactor.callLater(0.01, () => client.close());
    reactor.callLater(0.2, () => reactor.stop());
    await reactor.run();
    assertEquals(probe.lost.length, 1);
    assert(probe.lost[0].check(ConnectionFdescWentAway) !== null, String(probe.lost[0].value));
    assert(peer.fileno() > 0);
  } finally {
    close();
  }
});

Deno.test("EPollReactor: a descriptor number reused by a new socket is watched for its new owner", async () => {
  const reactor = new EPollReactor({ installSignalHandlers: false });
  const [oldClient, oldPeer, closeOld] = await socketPair();
  const stale = new Probe(oldClient);
  reactor.addReader(stale);
  const number = oldClient.fileno();
  closeOld(); // closed without removeReader: its number is free again
  const [client, peer, close] = await socketPair();
  try {
    const reused = [client, peer].find((sock) => sock.fileno() === number) as Socket;
    const fresh = new Probe(reused);
    reactor.addReader(fresh);
    assertEquals(reactor.getReaders(), [fresh]);
    fresh.onRead = () => reactor.stop();
    (reused === client ? peer : client).send(encoder.encode("new owner"));
    await reactor.run();
    assertEquals([fresh.received, stale.received], [["new owner"], []]);
    assertEquals(oldPeer.fileno(), -1);
  } finally {
    close();
  }
});
