import process from "node:process";
import { assert, assertEquals, assertThrows } from "../testing/asserts.ts";
import { openDescriptorCount } from "./_fd_table.ts";
import { startPeer } from "../testing/peer.ts";
import { liveWorkerCount } from "../workers/worker.ts";
import { WORKER_NAME } from "./_worker_proxy.ts";
import { connectAndReset } from "../testing/sockets.ts";
import { select } from "./select.ts";
import { joinBytes } from "../bytes/bytes.ts";
import {
  type Address,
  DISCARD,
  IPPROTO_TCP,
  SO_ERROR,
  SO_RCVBUF,
  SO_SNDBUF,
  Socket,
  SOL_SOCKET,
  TCP_NODELAY,
} from "./socket.ts";
import { socketPair } from "../testing/sockets.ts";
import { errno, InProgressError, SocketError, WouldBlockError } from "./socket_error.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `length` pseudo-random bytes (getRandomValues gives at most 64 KiB per call). */
function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  for (let at = 0; at < length; at += 65536) crypto.getRandomValues(bytes.subarray(at, at + 65536));
  return bytes;
}

/** A port on 127.0.0.1 that nothing listens on (bound, then closed at once). */
function closedPort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  listener.close();
  return (listener.addr as Deno.NetAddr).port;
}

/** Runs `fn` with sockets it registers, closes them all, and checks nothing leaked. */
async function withSockets(
  fn: (track: (sock: Socket) => Socket) => Promise<void> | void,
): Promise<void> {
  const before = openDescriptorCount();
  const sockets: Socket[] = [];
  try {
    await fn((sock) => (sockets.push(sock), sock));
  } finally {
    for (const sock of sockets) sock.close();
  }
  assertEquals(openDescriptorCount(), before, "every descriptor is released");
  assertEquals(liveWorkerCount(WORKER_NAME), 0, "every socket Worker is terminated");
}

/** A listening socket on 127.0.0.1, port 0, in the given mode. */
function listener(track: (sock: Socket) => Socket, blocking: boolean): [Socket, Address] {
  const sock = track(new Socket());
  sock.setblocking(blocking);
  sock.bind(["127.0.0.1", 0]);
  sock.listen(5);
  return [sock, sock.getsockname()];
}

/** A non-blocking client connected to a non-blocking listener, and the accepted end (both tracked). */
async function connectedPair(track: (sock: Socket) => Socket): Promise<[Socket, Socket]> {
  const [server, address] = listener(track, false);
  const client = track(new Socket());
  client.setblocking(false);
  client.connect_ex(address);
  await select([server], [client], 5);
  const [conn] = server.accept();
  return [client, track(conn)];
}

/** Where two byte arrays first differ (in length too): -1 if they are equal. A diff of megabytes would take minutes. */
function firstDifference(actual: Uint8Array, expected: Uint8Array): number {
  const index = actual.findIndex((byte, i) => byte !== expected[i]);
  return index === -1 && actual.length !== expected.length ? actual.length : index;
}

/** Reads from a non-blocking socket with select until the peer closes. */
async function readAll(sock: Socket): Promise<Uint8Array> {
  const chunks: number[] = [];
  for (;;) {
    await select([sock], [], 5);
    const bytes = sock.recv(65536);
    if (bytes.length === 0) return new Uint8Array(chunks);
    chunks.push(...bytes);
  }
}

Deno.test("recv() in blocking mode blocks the thread: no timer fires and the CPU stays idle", async () => {
  await withSockets(async (track) => {
    const [server, [, port]] = listener(track, true);
    const peer = startPeer({ port, sends: [[0, "first"], [400, "second"]] });
    try {
      const [conn] = server.accept();
      track(conn);
      assertEquals(decoder.decode(conn.recv(1024)), "first");
      let fired = false;
      const timer = setTimeout(() => fired = true, 50);
      const cpuBefore = process.cpuUsage();
      const start = performance.now();
      const bytes = conn.recv(1024); // the peer sends 400 ms later
      const wallMs = performance.now() - start;
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      console.log(
        `blocked for ${wallMs.toFixed(1)} ms of wall time, ${cpuMs.toFixed(1)} ms of CPU`,
      );
      assertEquals(decoder.decode(bytes), "second");
      // The peer sends 400 ms after "first": however late a busy machine woke us for "first",
      // recv() still waited past the timer's 50 ms, or the timer check below would prove nothing.
      assert(wallMs >= 50, `recv() returned after only ${wallMs} ms`);
      assertEquals(fired, false, "the 50 ms timer must not fire while recv() blocks");
      assert(cpuMs < wallMs * 0.25, `${cpuMs} ms of CPU in ${wallMs} ms: that is spinning`);
      await new Promise((resolve) => setTimeout(resolve, 0));
      assertEquals(fired, true, "the timer fires as soon as the thread is free");
      clearTimeout(timer);
      assertEquals(conn.recv(1024).length, 0, "an empty array at end of stream");
      await peer.done;
    } finally {
      peer.stop();
    }
  });
});

Deno.test("recv() in non-blocking mode throws WouldBlockError until data arrives, then [] at the end", async () => {
  await withSockets(async (track) => {
    const [server, [host, port]] = listener(track, false);
    const client = track(new Socket());
    client.setblocking(false);
    assertThrows(() => client.connect([host, port]), InProgressError, "EINPROGRESS");
    await select([server], [], 5);
    const [conn] = server.accept();
    track(conn);
    await select([], [client], 5);
    assertEquals(client.connect_ex([host, port]), 0);
    assertEquals(client.connect_ex([host, port]), errno.EISCONN);
    const error = assertThrows(() => conn.recv(10), WouldBlockError, "EAGAIN");
    assertEquals(error.errno, errno.EAGAIN);
    client.sendall(encoder.encode("hello"));
    client.close();
    assertEquals(decoder.decode(await readAll(conn)), "hello");
    assertEquals(conn.recv(10).length, 0, "still [] after the end");
  });
});

Deno.test("recv_into() fills the caller's buffer; bytes recv() gave keep theirs while read buffers are used again", async () => {
  await withSockets(async (track) => {
    const [dropClient, dropper] = await connectedPair(track);
    const [keepClient, keeper] = await connectedPair(track);
    assertThrows(() => dropper.recv_into(new Uint8Array(8)), WouldBlockError, "EAGAIN");
    assertThrows(() => dropper.recv_into(new Uint8Array(8), 9), RangeError);
    // Both streams read in big pieces, so their read buffers go round: the
    // dropped stream's come back spare, and the kept one's must not be
    // among them while its chunks are held.
    const junk = new Uint8Array(256 * 1024).fill(0x6a);
    const poem = randomBytes(256 * 1024);
    const kept: Uint8Array[] = [];
    const scratch = new Uint8Array(64 * 1024);
    let dropped = 0;
    let keptBytes = 0;
    let [junkSent, poemSent] = [0, 0];
    const deadline = Date.now() + 30_000;
    while (dropped < 4 * junk.length || keptBytes < poem.length) {
      assert(Date.now() < deadline, `stuck: ${dropped} dropped, ${keptBytes} kept`);
      const [readable, writable] = await select(
        [dropper, keeper],
        [
          ...(junkSent < 4 * junk.length ? [dropClient] : []),
          ...(poemSent < poem.length ? [keepClient] : []),
        ],
        5,
      );
      for (const sock of writable) {
        if (sock === dropClient) junkSent += dropClient.send(junk.subarray(junkSent % junk.length));
        else poemSent += keepClient.send(poem.subarray(poemSent));
      }
      for (const sock of readable) {
        if (sock === dropper) {
          const count = dropper.recv_into(scratch);
          assert(scratch.subarray(0, count).every((byte) => byte === 0x6a), "junk is junk");
          dropped += count;
        } else {
          const chunk = keeper.recv(65536);
          kept.push(chunk);
          keptBytes += chunk.length;
        }
      }
    }
    assertEquals(
      new Uint8Array(kept.flatMap((chunk) => [...chunk])),
      poem,
      "kept chunks are intact",
    );
    dropClient.close();
    await select([dropper], [], 5);
    for (;;) {
      try {
        if (dropper.recv_into(scratch, 16) === 0) break;
      } catch (error) {
        if (!(error instanceof WouldBlockError)) throw error;
        await select([dropper], [], 5);
      }
    }
  });
});

Deno.test("recv_into(DISCARD): two streams drop floods into the one buffer while a third's recv() stays byte-exact, and one that goes back to recv() gets only its own bytes", async () => {
  await withSockets(async (track) => {
    const [aClient, a] = await connectedPair(track);
    const [bClient, b] = await connectedPair(track);
    const [keepClient, keeper] = await connectedPair(track);
    const flood = 4 * 256 * 1024;
    const poem = randomBytes(256 * 1024);
    const sending = [
      { from: aClient, data: new Uint8Array(256 * 1024).fill(0x61), total: flood, sent: 0 },
      { from: bClient, data: new Uint8Array(256 * 1024).fill(0x62), total: flood, sent: 0 },
      { from: keepClient, data: poem, total: poem.length, sent: 0 },
    ];
    const dropped = new Map([[a, 0], [b, 0]]);
    const kept: Uint8Array[] = [];
    let keptBytes = 0;
    const deadline = Date.now() + 30_000;
    while ([...dropped.values()].some((count) => count < flood) || keptBytes < poem.length) {
      assert(Date.now() < deadline, `stuck: ${[...dropped.values()]} dropped, ${keptBytes} kept`);
      const senders = sending.filter(({ sent, total }) => sent < total);
      const [readable, writable] = await select([a, b, keeper], senders.map(({ from }) => from), 5);
      for (const sender of senders) {
        if (!writable.includes(sender.from)) continue;
        sender.sent += sender.from.send(sender.data.subarray(sender.sent % sender.data.length));
      }
      for (const sock of readable) {
        if (sock === keeper) {
          const chunk = keeper.recv(65536);
          kept.push(chunk);
          keptBytes += chunk.length;
        } else {
          dropped.set(sock, (dropped.get(sock) ?? 0) + sock.recv_into(DISCARD));
        }
      }
    }
    assertEquals([...dropped.values()], [flood, flood], "every dropped byte is counted");
    assertEquals(firstDifference(joinBytes(kept), poem), -1, "the keeper's bytes are intact");
    // `a` goes back to recv() with bytes read into DISCARD for it, which
    // other streams' reads overwrite (as this fill does): those are lost,
    // and what recv() gives is the rest of what its peer sent, unchanged.
    const tail = randomBytes(1024 * 1024);
    let tailSent = 0;
    while (tailSent < tail.length) {
      await select([], [aClient], 5);
      tailSent += aClient.send(tail.subarray(tailSent));
    }
    aClient.close();
    await select([a], [], 5);
    DISCARD.fill(0x21);
    const received: Uint8Array[] = [];
    for (;;) {
      try {
        const chunk = a.recv(65536);
        if (chunk.length === 0) break;
        received.push(chunk);
      } catch (error) {
        if (!(error instanceof WouldBlockError)) throw error;
        await select([a], [], 5);
      }
    }
    const got = joinBytes(received);
    assert(got.length >= tail.length / 2, `only ${got.length} bytes of ${tail.length} came`);
    const rest = tail.subarray(tail.length - got.length);
    assertEquals(firstDifference(got, rest), -1, "recv() gives its own bytes");
  });
});

Deno.test("send() accepts what fits in the 64 KiB buffer and the receiver stops reading at 64 KiB", async () => {
  await withSockets(async (track) => {
    const [client, conn] = await connectedPair(track);
    const data = randomBytes(65536 * 4);
    assertEquals(client.send(data), 65536, "only the buffer's worth is accepted");
    assertThrows(() => client.send(data), WouldBlockError);
    // Let the pumps run: the receiver's buffer fills up and it stops reading.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const buffered = conn.recv(10 * 65536);
    assert(buffered.length <= 65536, `the receiver buffered ${buffered.length} bytes`);
    let sent = 65536;
    const received = [...buffered];
    while (received.length < data.length) {
      const [readable, writable] = await select([conn], sent < data.length ? [client] : [], 5);
      if (writable.length > 0) sent += client.send(data.subarray(sent));
      if (readable.length > 0) received.push(...conn.recv(65536));
    }
    assertEquals(new Uint8Array(received), data, "every byte arrives, in order");
  });
});

Deno.test("sendall() and recv() in blocking mode move every byte intact", async () => {
  await withSockets(async (track) => {
    const [server, [host, port]] = listener(track, true);
    const client = track(new Socket());
    client.connect([host, port]);
    const [conn, peer] = server.accept();
    track(conn);
    assertEquals(peer, client.getsockname());
    assertEquals(client.getpeername(), [host, port]);
    const data = randomBytes(200_000);
    client.sendall(data);
    client.close();
    const received: number[] = [];
    for (let bytes = conn.recv(4096); bytes.length > 0; bytes = conn.recv(4096)) {
      received.push(...bytes);
    }
    assertEquals(new Uint8Array(received), data);
    await Promise.resolve();
  });
});

Deno.test("a blocking socket switched with setblocking(false) is seen by select", async () => {
  await withSockets(async (track) => {
    const [server, [host, port]] = listener(track, true);
    const client = track(new Socket());
    client.connect([host, port]);
    const [conn] = server.accept();
    track(conn);
    client.setblocking(false);
    assertThrows(() => client.recv(10), WouldBlockError);
    assertEquals(await select([client], [], 0), [[], []]);
    conn.sendall(encoder.encode("wake up"));
    const [readable] = await select([client], [], 5);
    assertEquals(readable, [client]);
    assertEquals(decoder.decode(client.recv(100)), "wake up");
  });
});

Deno.test("connect() to a closed port: ConnectionRefused when blocking, ECONNREFUSED when not", async () => {
  await withSockets(async (track) => {
    const [host, port] = ["127.0.0.1", closedPort()];
    const blocking = track(new Socket());
    assertThrows(() => blocking.connect([host, port]), Deno.errors.ConnectionRefused);
    assertEquals(blocking.connect_ex([host, port]), errno.ECONNREFUSED);
    const nonBlocking = track(new Socket());
    nonBlocking.setblocking(false);
    assertEquals(nonBlocking.connect_ex([host, port]), errno.EINPROGRESS);
    assertEquals(nonBlocking.connect_ex([host, port]), errno.EALREADY);
    const [readable, writable] = await select([nonBlocking], [nonBlocking], 5);
    assertEquals([readable.length, writable.length], [1, 1]);
    assertEquals(nonBlocking.getsockopt(SOL_SOCKET, SO_ERROR), errno.ECONNREFUSED);
    assertEquals(nonBlocking.getsockopt(SOL_SOCKET, SO_ERROR), 0);
  });
});

Deno.test("send() reports a peer that went away as an error, never as an unhandled rejection", async () => {
  await withSockets(async (track) => {
    const [server, [host, port]] = listener(track, false);
    const client = track(new Socket());
    client.setblocking(false);
    client.connect_ex([host, port]);
    await select([server], [client], 5);
    server.accept()[0].close();
    const error = await (async (): Promise<unknown> => {
      for (let attempt = 0; attempt < 100; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 10));
        try {
          client.send(new Uint8Array(100));
        } catch (error) {
          return error;
        }
      }
      return undefined;
    })();
    assert(
      error instanceof Deno.errors.BrokenPipe || error instanceof Deno.errors.ConnectionReset,
      `expected BrokenPipe or ConnectionReset, got ${error}`,
    );
  });
});

Deno.test("accept() on a non-blocking listener throws WouldBlockError until a connection waits", async () => {
  await withSockets(async (track) => {
    const [server, [host, port]] = listener(track, false);
    assertThrows(() => server.accept(), WouldBlockError);
    const client = track(new Socket());
    client.setblocking(false);
    client.connect_ex([host, port]);
    assertEquals(await select([server], [], 5), [[server], []]);
    const [conn] = server.accept();
    track(conn);
    assertEquals(conn.getblocking(), false, "a main-thread connection stays non-blocking");
    assertThrows(() => conn.setblocking(true), Error, "cannot move to a Worker");
  });
});

Deno.test("fileno() is the lowest free descriptor, -1 once closed, and reused", async () => {
  await withSockets((track) => {
    const first = track(new Socket());
    const second = track(new Socket());
    assertEquals(second.fileno(), first.fileno() + 1);
    const number = first.fileno();
    first.close();
    assertEquals(first.fileno(), -1);
    assertThrows(() => first.recv(1), Deno.errors.BadResource, "closed");
    first.close();
    assertEquals(track(new Socket()).fileno(), number);
  });
});

Deno.test("close() still delivers what send() accepted", async () => {
  await withSockets(async (track) => {
    const [client, conn] = await connectedPair(track);
    const data = randomBytes(65536);
    assertEquals(client.send(data), data.length);
    client.close();
    assertEquals(await readAll(conn), data);
  });
});

Deno.test("setsockopt resizes the buffers; sendmsg sends several chunks in one call", async () => {
  const [client, server, close] = await socketPair();
  try {
    assertEquals(client.getsockopt(SOL_SOCKET, SO_SNDBUF), 64 * 1024);
    client.setsockopt(SOL_SOCKET, SO_SNDBUF, 1024 * 1024);
    server.setsockopt(SOL_SOCKET, SO_RCVBUF, 1024 * 1024);
    assertEquals(client.getsockopt(SOL_SOCKET, SO_SNDBUF), 1024 * 1024);
    assertEquals(server.getsockopt(SOL_SOCKET, SO_RCVBUF), 1024 * 1024);
    client.setsockopt(IPPROTO_TCP, TCP_NODELAY, 1);
    assertEquals(client.getsockopt(IPPROTO_TCP, TCP_NODELAY), 1);
    assertThrows(() => client.setsockopt(SOL_SOCKET, SO_SNDBUF, 10), SocketError);
    const chunks = [randomBytes(300_000), randomBytes(500_000), randomBytes(100_000)];
    // 900 kB fit in the 1 MiB send buffer at once, where 64 KiB would not.
    assertEquals(client.sendmsg(chunks), 900_000);
    const received: Uint8Array[] = [];
    let total = 0;
    while (total < 900_000) {
      await select([server], [], 5);
      const bytes = server.recv(1024 * 1024);
      received.push(bytes);
      total += bytes.length;
    }
    const expected = new Uint8Array(900_000);
    expected.set(chunks[0], 0);
    expected.set(chunks[1], 300_000);
    expected.set(chunks[2], 800_000);
    const got = new Uint8Array(total);
    received.reduce((at, bytes) => (got.set(bytes, at), at + bytes.length), 0);
    assert(got.every((byte, i) => byte === expected[i]), "the same bytes, in order");
  } finally {
    close();
  }
});
for (const blocking of [true, false]) {
  const mode = blocking ? "blocking" : "non-blocking";
  Deno.test(`accept() in ${mode} mode: a client that reset before it was taken costs only its own connection`, async () => {
    await withSockets(async (track) => {
      const server = track(new Socket());
      server.setblocking(blocking);
      server.bind(["127.0.0.1", 0]);
      // Bound but not yet accepting: the reset reaches the connection while it waits in the queue.
      await connectAndReset(server.getsockname());
      server.listen(5);
      if (!blocking) await select([server], [], 5);
      assertThrows(() => server.accept(), Deno.errors.NotConnected);
      const client = track(new Socket());
      client.connect(server.getsockname());
      if (!blocking) await select([server], [], 5);
      const [conn, peer] = server.accept();
      track(conn);
      assertEquals(peer, client.getsockname());
    });
  });
}
