import { assertEquals, assertThrows } from "../testing/asserts.ts";
import { EPOLLIN } from "./_fd_table.ts";
import { addressOf } from "./_backend.ts";
import { MainListener, MainStream } from "./_main_thread.ts";
import { select } from "./select.ts";
import { Socket } from "./socket.ts";
import { errno, errnoOf, WouldBlockError } from "./socket_error.ts";

const HOST = "127.0.0.1";
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** A stand-in for Deno's listener whose accepts the test settles, one at a time. */
class ScriptedListener {
  readonly addr: Deno.NetAddr = { transport: "tcp", hostname: HOST, port: 1 };
  readonly accepts: PromiseWithResolvers<Deno.Conn>[] = [];
  closed = false;

  accept(): Promise<Deno.Conn> {
    this.accepts.push(Promise.withResolvers<Deno.Conn>());
    return this.accepts[this.accepts.length - 1].promise;
  }

  close(): void {
    this.closed = true;
  }
}

/** `count` connected pairs of Deno connections: the client and the end a real listener accepted. */
async function connectedPairs(count: number): Promise<[Deno.Conn, Deno.Conn][]> {
  const listener = Deno.listen({ hostname: HOST, port: 0 });
  const pairs: [Deno.Conn, Deno.Conn][] = [];
  for (let i = 0; i < count; i++) {
    const client = await Deno.connect({ hostname: HOST, port: addressOf(listener.addr)[1] });
    pairs.push([client, await listener.accept()]);
  }
  listener.close();
  return pairs;
}

// Deno's listener.accept() cannot be made to fail on demand, so this test
// stands a scripted listener in for it; the test below provokes a real EMFILE.
Deno.test("MainListener reports a failed accept once, in its place, and goes on accepting", async () => {
  const pairs = await connectedPairs(2);
  const fake = new ScriptedListener();
  let notified = 0;
  const listener = new MainListener(
    HOST,
    0,
    () => notified++,
    () => fake as unknown as Deno.Listener,
  );
  const noop = { notify: (): void => {} };
  try {
    listener.listen(5);
    fake.accepts[0].resolve(pairs[0][1]);
    await tick();
    const failure = new Error("Too many open files (os error 24)");
    fake.accepts[1].reject(failure);
    await tick();
    assertEquals(notified, 2);
    assertEquals(listener.events(), EPOLLIN, "readable, without EPOLLERR, as on Linux");
    assertEquals(fake.accepts.length, 2, "no retry while the failure is not reported");
    const first = listener.accept(false, noop);
    assertEquals(first.remote, addressOf(pairs[0][0].localAddr), "what came before comes first");
    first.close();
    assertEquals(assertThrows(() => listener.accept(false, noop), Error), failure);
    assertEquals(errnoOf(failure), errno.EMFILE);
    assertEquals(listener.events(), EPOLLIN, "still readable, as Linux's listener");
    await tick();
    assertEquals(fake.accepts.length, 2, "no retry until accept() is called again: no spinning");
    assertThrows(() => listener.accept(false, noop), WouldBlockError, "EAGAIN");
    assertEquals(listener.events(), 0, "reported once");
    assertEquals(fake.accepts.length, 3, "asking again once accept() is called again");
    fake.accepts[2].resolve(pairs[1][1]);
    await tick();
    assertEquals(listener.events(), EPOLLIN);
    const second = listener.accept(false, noop);
    assertEquals(second.remote, addressOf(pairs[1][0].localAddr));
    second.close();
  } finally {
    listener.close();
    for (const [client] of pairs) client.close();
  }
  assertEquals(fake.closed, true, "only closing ends it");
  await tick();
});

/** Most descriptors the EMFILE test opens; a higher limit would take too long to use up. */
const MOST_FILES = 65536;

Deno.test("Socket.accept() out of descriptors throws EMFILE once, then accepts the connection when asked again", async (t) => {
  const server = new Socket();
  const files: Deno.FsFile[] = [];
  let client: Deno.Conn | undefined;
  try {
    server.setblocking(false);
    server.bind([HOST, 0]);
    server.listen(5);
    let exhausted = false;
    try {
      while (files.length < MOST_FILES) files.push(Deno.openSync("deno.json"));
    } catch (error) {
      if (errnoOf(error) !== errno.EMFILE) throw error;
      exhausted = true;
    }
    await t.step({
      name: exhausted
        ? "with every descriptor in use"
        : `skipped: the process may open more than ${MOST_FILES} descriptors`,
      ignore: !exhausted,
      fn: async () => {
        // One descriptor for the client's end; none is left for the accepted end.
        files.pop()?.close();
        client = await Deno.connect({ hostname: HOST, port: server.getsockname()[1] });
        assertEquals(await select([server], [], 5), [[server], []]);
        files.pop()?.close();
        const error = assertThrows(() => server.accept(), Error, "Too many open files");
        assertEquals(errnoOf(error), errno.EMFILE);
        assertEquals(await select([server], [], 5), [[server], []]);
        // The retry is asked of Deno now, and answered on a later turn.
        assertThrows(() => server.accept(), WouldBlockError);
        assertEquals(await select([server], [], 5), [[server], []]);
        const [conn, peer] = server.accept();
        conn.close();
        assertEquals(peer, addressOf(client.localAddr));
      },
    });
  } finally {
    for (const file of files) file.close();
    client?.close();
    server.close();
  }
  await tick();
});

Deno.test("a read buffer goes back to use once, however the stream that read into it ends", async () => {
  const [[lingerPeer, lingering], [peerY, y], [peerZ, z]] = await connectedPairs(3);
  const noop = { notify: (): void => {} };
  // A stream with a read pending, closed while its peer does not read what it sent:
  // the read ends after the close, and the close itself only once the bytes are out.
  const stream = new MainStream(lingering, noop, 8192);
  stream.setBufferSize("send", 16 * 1024 * 1024);
  stream.send(new Uint8Array(16 * 1024 * 1024));
  stream.close();
  await lingerPeer.write(new Uint8Array(1));
  const sink = new Uint8Array(1024 * 1024);
  for (let total = 0; total < 16 * 1024 * 1024;) total += (await lingerPeer.read(sink)) ?? Infinity;
  lingerPeer.close();
  await tick();
  // Two new streams with reads of the same size: each must have a buffer of its own.
  const readerY = new MainStream(y, noop, 8192);
  const readerZ = new MainStream(z, noop, 8192);
  await peerY.write(new Uint8Array(8192).fill(0x79));
  while (!(readerY.events() & EPOLLIN)) await tick();
  const chunk = readerY.recv(8192);
  await peerZ.write(new Uint8Array(8192).fill(0x7a));
  while (!(readerZ.events() & EPOLLIN)) await tick();
  readerZ.recv(8192);
  assertEquals(chunk.every((byte) => byte === 0x79), true, "the first reader's bytes are its own");
  for (const end of [readerY, readerZ]) end.close();
  for (const peer of [peerY, peerZ]) peer.close();
  await tick();
});

Deno.test("reads fill one buffer one after the other, each handed on as a view that later reads leave be", async () => {
  const [[peer, conn]] = await connectedPairs(1);
  const stream = new MainStream(conn, { notify: (): void => {} }, 8192);
  /** Sends `bytes` bytes of `fill` and takes them back as they were received. */
  const roundTrip = async (fill: number, bytes: number): Promise<Uint8Array[]> => {
    await peer.write(new Uint8Array(bytes).fill(fill));
    const chunks: Uint8Array[] = [];
    for (let got = 0; got < bytes; got += chunks[chunks.length - 1].length) {
      while (!(stream.events() & EPOLLIN)) await tick();
      chunks.push(stream.recv(bytes));
    }
    return chunks;
  };
  try {
    // A 100-byte write on loopback arrives in one read.
    const small = [...await roundTrip(0x61, 100), ...await roundTrip(0x62, 100)];
    assertEquals(small.map((chunk) => chunk.byteOffset), [0, 100], "no copy: one after the other");
    assertEquals(small[0].buffer, small[1].buffer, "in one buffer");
    // More than the buffer has room for: the reads go on in a new one.
    const big = await roundTrip(0x63, 3 * 8192);
    assertEquals(big.every((chunk) => chunk.every((byte) => byte === 0x63)), true);
    assertEquals(small[0].every((byte) => byte === 0x61), true, "the first chunk is untouched");
    assertEquals(small[1].every((byte) => byte === 0x62), true, "and so is the second");
  } finally {
    stream.close();
    peer.close();
    await tick();
  }
});
