import { assert, assertEquals, assertMatch, assertStringIncludes } from "../lib/testing/asserts.ts";
import {
  type BadInput,
  runTask,
  startServerTask,
  taskArgs,
  testBadInputs,
} from "../lib/testing/run_task.ts";
import { Clock } from "../lib/reactor/task.ts";
import { EPollReactor } from "../lib/reactor/epoll_reactor.ts";
import { Failure } from "../lib/defer/failure.ts";
import { ConnectionDone } from "../lib/error.ts";
import { IPv4Address } from "../lib/tcp/address.ts";
import type { FileDescriptor } from "../lib/tcp/abstract.ts";
import type { IPushProducer, ITCPTransport } from "../lib/interfaces.ts";
import { SlowPoetryFactory, type SlowPoetryProtocol } from "./slowpoetry.ts";

/** Just what the server's protocol uses of a transport, recorded. */
class RecordingTransport {
  written: Uint8Array[] = [];
  producer: IPushProducer | null = null;
  closing = false;
  write(data: Uint8Array): void {
    this.written.push(data);
  }
  registerProducer(producer: IPushProducer): void {
    this.producer = producer;
  }
  unregisterProducer(): void {
    this.producer = null;
  }
  loseConnection(): void {
    this.closing = true;
  }
  getPeer(): IPv4Address {
    return new IPv4Address("TCP", "127.0.0.1", 40000);
  }
}

function connect(factory: SlowPoetryFactory): [SlowPoetryProtocol, RecordingTransport] {
  const protocol = factory.buildProtocol(new IPv4Address("TCP", "127.0.0.1", 40000));
  const transport = new RecordingTransport();
  (protocol as SlowPoetryProtocol).makeConnection(transport as unknown as ITCPTransport);
  return [protocol as SlowPoetryProtocol, transport];
}

Deno.test("SlowPoetryFactory sends every client one chunk per tick from one shared tick", () => {
  const clock = new Clock();
  const log: string[] = [];
  const poem = new TextEncoder().encode("abcdefghij");
  const factory = new SlowPoetryFactory(poem, 0.1, 4, (line) => log.push(line), clock);
  const [, first] = connect(factory);
  clock.advance(0.05);
  const [, second] = connect(factory);
  assertEquals(clock.getDelayedCalls().length, 1, "one timer for all the clients");
  assertEquals([first.written.length, second.written.length], [0, 0], "nothing before a tick");
  clock.advance(0.05);
  assertEquals([first.written.length, second.written.length], [1, 1]);
  clock.pump([0.1, 0.1]);
  const text = (chunks: Uint8Array[]): string[] => chunks.map((c) => new TextDecoder().decode(c));
  assertEquals(text(first.written), ["abcd", "efgh", "ij"]);
  assertEquals(text(second.written), ["abcd", "efgh", "ij"]);
  assert(first.closing && second.closing, "closed once the poem is written");
  assertEquals(first.producer, null);
  assertEquals(factory.served, 2);
  assertEquals(clock.getDelayedCalls().length, 0, "the tick stops when nobody is left");
  assertEquals(log, []);
});

Deno.test("SlowPoetryFactory skips a paused client and reports one that leaves early", () => {
  const clock = new Clock();
  const log: string[] = [];
  const poem = new Uint8Array(100);
  const factory = new SlowPoetryFactory(poem, 1, 10, (line) => log.push(line), clock);
  factory.doStart(); // as listenTCP does: a client lost now is reported, not cut off by a stop
  const [paused, pausedTransport] = connect(factory);
  const [leaving, leavingTransport] = connect(factory);
  pausedTransport.producer?.pauseProducing();
  clock.advance(1);
  assertEquals([pausedTransport.written.length, leavingTransport.written.length], [0, 1]);
  leaving.connectionLost(new Failure(new ConnectionDone()));
  clock.advance(1);
  assertEquals(clock.getDelayedCalls().length, 0, "no tick while every client left is paused");
  paused.resumeProducing();
  clock.advance(1);
  assertEquals(pausedTransport.written.length, 1);
  assertEquals(factory.lostCount, 1);
  assertEquals(log, ["Lost the client at 127.0.0.1:40000: Connection was closed cleanly"]);
});

Deno.test("slowpoetry keeps what it buffers for a client that never reads under a fixed size", async () => {
  const reactor = new EPollReactor({ installSignalHandlers: false, log: console.error });
  const poem = new Uint8Array(24 * 1024 * 1024).map((_, i) => i % 251);
  const numBytes = 64 * 1024;
  const factory = new SlowPoetryFactory(poem, 0, numBytes, () => {}, reactor);
  const port = reactor.listenTCP(0, factory);
  const address = { hostname: "127.0.0.1", port: port.getHost().port };
  const stalled = await Promise.all([1, 2, 3].map(() => Deno.connect(address)));
  let read = 0;
  const reader = (async () => {
    const conn = await Deno.connect(address);
    for await (const chunk of conn.readable) read += chunk.length;
  })();
  // Once the reader has its poem and every stalled client is paused, look at their transports.
  let buffered: { amount: number; limit: number }[] = [];
  const poll = (): void => {
    const clients = [...factory.clients];
    const settled = clients.length === stalled.length && clients.every((c) => c.paused);
    if (!settled || read < poem.length) return void reactor.callLater(0.05, poll);
    buffered = clients.map(({ transport }) => {
      const { bufferedAmount, bufferSize } = transport as unknown as FileDescriptor;
      return { amount: bufferedAmount, limit: bufferSize + numBytes };
    });
    reactor.stop();
  };
  reactor.callLater(0, poll);
  const deadline = reactor.callLater(60, () => reactor.stop());
  try {
    await reactor.run();
  } finally {
    if (deadline.active()) deadline.cancel();
    for (const conn of stalled) conn.close();
  }
  await reader;
  assertEquals(read, poem.length, "the reading client got the whole poem meanwhile");
  assertEquals(buffered.length, stalled.length, "every stalled client's producer was paused");
  for (const { amount, limit } of buffered) {
    assert(amount <= limit, `a stalled client's transport holds ${amount} bytes, over ${limit}`);
  }
});

// The floor (slowpoetry_bare.ts) serves and stops as the server it is measured against.
for (const task of ["part5:slowpoetry", "part5:slowpoetry-bare"]) {
  Deno.test(`${task} says where it serves, serves, and stops cleanly on Ctrl-C`, async () => {
    const server = await startServerTask(task, [
      "--port",
      "0",
      "--delay",
      "0.001",
      "poetry/fascination.txt",
    ]);
    const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
    const received = new Uint8Array(await new Response(conn.readable).arrayBuffer());
    const { code, stdout, stderr } = await server.stop();
    assertEquals(received, await Deno.readFile("poetry/fascination.txt"));
    assertEquals(code, 130, stderr);
    assertEquals(stdout.split("\n")[0], `Serving poetry/fascination.txt on port ${server.port}.`);
    if (task === "part5:slowpoetry") {
      assertStringIncludes(stdout, "Served 1 poems; 0 clients left early, 0 were cut off.");
    }
  });
}

Deno.test("part5:slowpoetry with its stdout closed (| head -1) ends at its next line, 141, quietly", async () => {
  const child = new Deno.Command("deno", {
    args: [...await taskArgs("part5:slowpoetry"), "--port", "0", "poetry/science.txt"],
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  const first = new TextDecoder().decode((await reader.read()).value);
  await reader.cancel(); // as head does after its line
  const port = Number(/on port (\d+)\./.exec(first)?.[1]);
  // A client that leaves early makes the server write its next line.
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  await conn.read(new Uint8Array(16));
  conn.close();
  // A server that did not notice would serve on unheard: killed, it fails with 137.
  const unheard = setTimeout(() => child.kill("SIGKILL"), 20_000);
  const [{ code }, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
  clearTimeout(unheard);
  assertEquals([code, stderr], [141, ""]);
});

Deno.test("part5:slowpoetry keeps chapter 2's defaults and adds --backlog", async () => {
  const { code, stdout } = await runTask("part5:slowpoetry", ["--help"]);
  assertEquals(code, 0);
  for (const text of ["--port N", "(default: 127.0.0.1)", "(default: 0.1)", "(default: 10)"]) {
    assertStringIncludes(stdout, text);
  }
  assertStringIncludes(stdout, "--backlog N");
});

const badInputs: BadInput[] = [
  ["no poem file", [], /^error: Give exactly one poem file$/m],
  ["a missing poem file", ["poetry/missing.txt"], /^error: Cannot read poem file poetry\/missing/m],
  ["a negative delay", ["--delay", "-1", "poetry/science.txt"], /^error: Option '--delay'/m],
  ["a zero backlog", ["--backlog", "0", "poetry/science.txt"], /^error: --backlog must be/m],
  ["a port out of range", ["--port", "70000", "poetry/science.txt"], /^error: --port must be/m],
];
testBadInputs("part5:slowpoetry", badInputs);

Deno.test("part5:slowpoetry refuses a port that is taken with one line and the usage", async () => {
  const taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  try {
    const port = String((taken.addr as Deno.NetAddr).port);
    const { code, stderr } = await runTask("part5:slowpoetry", [
      "--port",
      port,
      "poetry/science.txt",
    ]);
    assertEquals(code, 2);
    assertMatch(
      stderr,
      new RegExp(`^error: Cannot listen on 127\\.0\\.0\\.1:${port}: .*in use`, "m"),
    );
  } finally {
    taken.close();
  }
});

Deno.test("part5:slowpoetry out of descriptors (ulimit -n 64) serves every client, one line per episode", async () => {
  // bash lowers the limit, then becomes the server: Deno keeps the lowered hard limit.
  const args = [...await taskArgs("part5:slowpoetry"), "--port", "0", "--delay", "0.02"];
  const child = new Deno.Command("bash", {
    args: ["-c", 'ulimit -n 64 && exec deno "$@"', "bash", ...args, "--num-bytes", "100"]
      .concat("poetry/science.txt"),
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const deadline = setTimeout(() => child.kill("SIGKILL"), 60_000);
  const stderr = new Response(child.stderr).text();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let stdout = "";
  let port = 0;
  while (port === 0) {
    const { value, done } = await reader.read();
    if (done) break;
    stdout += value;
    port = Number(/on port (\d+)\./.exec(stdout)?.[1] ?? 0);
  }
  const rest = (async () => {
    for (let r = await reader.read(); !r.done; r = await reader.read()) stdout += r.value;
  })();
  try {
    assert(port > 0, `the server did not start: ${stdout}`);
    const poem = await Deno.readFile("poetry/science.txt");
    // Far more clients than the server has descriptors: it serves some, waits, serves the rest.
    const received = await Promise.all(Array.from({ length: 150 }, async () => {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      return new Uint8Array(await new Response(conn.readable).arrayBuffer());
    }));
    for (const bytes of received) assertEquals(bytes, poem);
  } finally {
    child.kill("SIGTERM");
    clearTimeout(deadline);
  }
  const [{ code }, errors] = await Promise.all([child.status, stderr, rest]);
  assertEquals(code, 143, errors);
  assertStringIncludes(stdout, "Served 150 poems; 0 clients left early, 0 were cut off.");
  const episodes = errors.split("\n").filter((line) => line.includes("cannot accept connections"));
  assert(episodes.length >= 1, `it never ran out of descriptors: ${errors}`);
  assert(episodes.length <= 3, `${episodes.length} lines about it`);
  assertEquals(errors.includes("Unhandled error"), false, errors);
});
