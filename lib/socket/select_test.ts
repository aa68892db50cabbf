import { assert, assertEquals, assertRejects, assertThrows } from "../testing/asserts.ts";
import { OpenFile, READINESS } from "./_fd_table.ts";
import { socketPair } from "../testing/sockets.ts";
import { liveWorkerCount } from "../workers/worker.ts";
import { WORKER_NAME } from "./_worker_proxy.ts";
import { EPoll, EPOLLIN, EPOLLOUT, select } from "./select.ts";
import { Socket } from "./socket.ts";

/** A fake descriptor whose readiness the test sets, counting how often it is polled. */
class FakeFile {
  events = 0;
  polls = 0;
  readonly file = new OpenFile(this);
  [READINESS](): number {
    this.polls++;
    return this.events;
  }
  fileno(): number {
    return this.file.fd;
  }
  set(events: number): void {
    this.events = events;
    this.file.notify();
  }
}

Deno.test("select() with timeout 0 polls and returns at once", async () => {
  const [client, conn, close] = await socketPair();
  try {
    // Nothing will ever arrive: only a poll can resolve, so resolving at all is the proof.
    assertEquals(await select([client, conn], [], 0), [[], []]);
    assertEquals(await select([client], [client, conn], 0), [[], [client, conn]]);
  } finally {
    close();
  }
});

Deno.test("select() with no descriptors waits out the timeout", async () => {
  const start = performance.now();
  assertEquals(await select([], [], 0.05), [[], []]);
  assert(performance.now() - start >= 49, "it waited the whole 50 ms");
});

Deno.test("select() resolves when data arrives, with the ready ones in the order given", async () => {
  const [client, conn, close] = await socketPair();
  try {
    setTimeout(() => conn.send(new TextEncoder().encode("x")), 30);
    const start = performance.now();
    const [readable] = await select([conn, client], [], 5);
    assertEquals(readable, [client]);
    assert(performance.now() - start >= 25);
    const [ready] = await select([client.fileno(), conn.fileno()], [], 0);
    assertEquals(ready, [client.fileno()], "plain integers work too");
  } finally {
    close();
  }
});

Deno.test("select() ends early with empty lists when its signal aborts", async () => {
  const [client, conn, close] = await socketPair();
  try {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    // No timeout and nothing will arrive: only the abort can end the wait.
    assertEquals(await select([client, conn], [], null, controller.signal), [[], []]);
  } finally {
    close();
  }
});

Deno.test("select() lets pending I/O complete even when something is ready at once", async () => {
  const [client, conn, close] = await socketPair();
  try {
    conn.send(new TextEncoder().encode("x"));
    let readable: Socket[] = [];
    // client is always writable, so every call has an answer at once; the
    // bytes still arrive because each call lets the event loop turn.
    for (let turn = 0; turn < 1000 && readable.length === 0; turn++) {
      [readable] = await select([client], [client], 0);
    }
    assertEquals(readable, [client]);
  } finally {
    close();
  }
});

Deno.test("select() rejects closed descriptors (EBADF) and bad timeouts", async () => {
  const sock = new Socket();
  const number = sock.fileno();
  sock.close();
  await assertRejects(() => select([sock], [], 0), Deno.errors.BadResource, "-1");
  await assertRejects(() => select([number], [], 0), Deno.errors.BadResource, "EBADF");
  await assertRejects(() => select([], [], -1), RangeError);
});

Deno.test("select() checks every descriptor on every call; epoll only the ready ones", async () => {
  const files = Array.from({ length: 200 }, () => new FakeFile());
  const epoll = new EPoll();
  try {
    for (const fake of files) epoll.register(fake, EPOLLIN);
    for (const fake of files) fake.polls = 0;
    files[7].set(EPOLLIN);
    const [readable] = await select(files, [], 0);
    assertEquals(readable, [files[7]]);
    assertEquals(files.every((fake) => fake.polls >= 1), true, "select polled all 200");
    for (const fake of files) fake.polls = 0;
    assertEquals(await epoll.poll(0), [[files[7].fileno(), EPOLLIN]]);
    const polled = files.filter((fake) => fake.polls > 0);
    assertEquals(polled, [files[7]], "epoll polled only the one on its ready list");
  } finally {
    epoll.close();
    for (const fake of files) fake.file.release();
  }
});

Deno.test("EPoll is level-triggered: a descriptor stays reported until it is drained", async () => {
  const [client, conn, close] = await socketPair();
  const epoll = new EPoll();
  try {
    epoll.register(client, EPOLLIN);
    assertEquals(await epoll.poll(0), []);
    conn.send(new TextEncoder().encode("poem"));
    assertEquals(await epoll.poll(5), [[client.fileno(), EPOLLIN]]);
    assertEquals(await epoll.poll(0), [[client.fileno(), EPOLLIN]], "still ready, still reported");
    client.recv(100);
    assertEquals(await epoll.poll(0), []);
    epoll.modify(client, EPOLLIN | EPOLLOUT);
    assertEquals(await epoll.poll(0), [[client.fileno(), EPOLLOUT]]);
    epoll.unregister(client);
    assertEquals(await epoll.poll(0), []);
  } finally {
    epoll.close();
    close();
  }
});

Deno.test("EPoll drops a descriptor that is closed, and reports registration mistakes", async () => {
  const fake = new FakeFile();
  const epoll = new EPoll();
  try {
    epoll.register(fake, EPOLLIN);
    assertThrows(() => epoll.register(fake, EPOLLIN), Deno.errors.AlreadyExists, "EEXIST");
    fake.set(EPOLLIN);
    fake.file.release();
    assertEquals(await epoll.poll(0), []);
    assertThrows(() => epoll.unregister(fake.fileno()), Deno.errors.NotFound, "ENOENT");
    assertThrows(() => epoll.modify(12345, EPOLLIN), Deno.errors.NotFound);
  } finally {
    epoll.close();
  }
});

Deno.test("EPoll.poll() waits for a change, a timeout, an abort or close()", async () => {
  const fake = new FakeFile();
  const epoll = new EPoll();
  try {
    epoll.register(fake, EPOLLIN);
    setTimeout(() => fake.set(EPOLLIN), 20);
    assertEquals(await epoll.poll(null), [[fake.fileno(), EPOLLIN]]);
    fake.set(0);
    let start = performance.now();
    assertEquals(await epoll.poll(0.05), []);
    assert(performance.now() - start >= 49);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    assertEquals(await epoll.poll(-1, controller.signal), []);
    start = performance.now();
    setTimeout(() => epoll.close(), 20);
    assertEquals(await epoll.poll(), []);
    assertEquals(epoll.closed, true);
  } finally {
    epoll.close();
    fake.file.release();
  }
  assertEquals(liveWorkerCount(WORKER_NAME), 0);
});
