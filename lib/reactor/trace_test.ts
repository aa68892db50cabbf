import { assert, assertEquals } from "../testing/asserts.ts";
import { socketPair } from "../testing/sockets.ts";
import type { Failure } from "../defer/failure.ts";
import { EPollReactor } from "./epoll_reactor.ts";
import type { IReadDescriptor } from "../interfaces.ts";
import { PollReactor } from "./poll_reactor.ts";
import type { PosixReactorBase } from "./posix_base.ts";
import type { ReactorOptions } from "./base.ts";
import type { Socket } from "../socket/socket.ts";
import { WouldBlockError } from "../socket/socket_error.ts";
import { createTrace, MAX_LISTED, TRACE_ENV } from "./trace.ts";
import { callableName, dispatchLabel, formatMs } from "./trace_labels.ts";
import { parseTrace } from "./trace_reader.ts";
import { greetOnce } from "../testing/protocols.ts";

const implementations: [string, (options: ReactorOptions) => PosixReactorBase][] = [
  ["EPollReactor", (options) => new EPollReactor(options)],
  ["PollReactor", (options) => new PollReactor(options)],
];

/** A reader that passes what it reads to a stand-in for a protocol, as a transport does. */
class Reader implements IReadDescriptor {
  received = "";
  onAll: () => void = () => {};

  constructor(readonly sock: Socket, readonly reactor: PosixReactorBase, readonly expect: number) {}

  fileno(): number {
    return this.sock.fileno();
  }

  doRead(): void {
    try {
      const bytes = this.sock.recv(1024);
      this.reactor.trace?.enter(`dataReceived Probe ${bytes.length} bytes`);
      this.received += new TextDecoder().decode(bytes);
      this.reactor.trace?.leave();
    } catch (error) {
      if (!(error instanceof WouldBlockError)) throw error;
    }
    if (this.received.length === this.expect) this.onAll();
  }

  connectionLost(_reason: Failure): void {}

  logPrefix(): string {
    return "probe";
  }
}

/** Every clock reading is 0, so the lines do not depend on how long anything took. */
const frozen = (): number => 0;

for (const [name, create] of implementations) {
  Deno.test(`${name} trace: a line per turn says what woke the loop and what it ran`, async () => {
    const lines: string[] = [];
    const reactor = create({
      installSignalHandlers: false,
      trace: { write: (line) => lines.push(line), now: frozen },
    });
    const [client, peer, close] = await socketPair();
    const reader = new Reader(client, reactor, 5);
    const fd = client.fileno();
    const timers: ReturnType<typeof setTimeout>[] = [];
    const later = (): void => void timers.push(setTimeout(() => reactor.stop(), 5));
    reader.onAll = () => void timers.push(setTimeout(() => reactor.callLater(0, later), 5));
    const tick = (): void => void peer.send(new TextEncoder().encode("hello"));
    const never = reactor.callLater(60, () => {});
    function start(): void {
      reactor.callLater(0.01, tick);
    }
    try {
      reactor.addReader(reader);
      reactor.callWhenRunning(start);
      await reactor.run();
    } finally {
      never.cancel();
      timers.forEach(clearTimeout);
      close();
    }
    assertEquals(reader.received, "hello");
    assertEquals(lines, [
      "reactor turn 1 at 0.000 s | waited 0.000 ms | start | start 0.000 ms",
      "reactor turn 2 at 0.000 s | waited 0.000 ms | timer due | tick 0.000 ms",
      "reactor turn 3 at 0.000 s | waited 0.000 ms | descriptors ready | " +
      `doRead probe fd ${fd} 0.000 ms → dataReceived Probe 5 bytes 0.000 ms`,
      "reactor turn 4 at 0.000 s | waited 0.000 ms | wake-up (a sooner call) | later 0.000 ms",
      "reactor turn 5 at 0.000 s | waited 0.000 ms | wake-up (stop())",
    ]);
  });
}

Deno.test("trace: a call made through doRead that throws is closed with it, marked", async () => {
  const lines: string[] = [];
  const log: string[] = [];
  const reactor = new EPollReactor({
    installSignalHandlers: false,
    log: (text) => log.push(text),
    trace: { write: (line) => lines.push(line), now: frozen },
  });
  const [client, peer, close] = await socketPair();
  const fd = client.fileno();
  const reader: IReadDescriptor = {
    fileno: () => client.fileno(),
    logPrefix: () => "probe",
    connectionLost: () => reactor.stop(),
    doRead(): void {
      client.recv(1024);
      reactor.trace?.enter("dataReceived Probe 2 bytes");
      throw new Error("I fall down.");
    },
  };
  try {
    reactor.addReader(reader);
    peer.send(new TextEncoder().encode("hi"));
    await reactor.run();
  } finally {
    close();
  }
  assertEquals(lines, [
    "reactor turn 1 at 0.000 s | waited 0.000 ms | start",
    "reactor turn 2 at 0.000 s | waited 0.000 ms | descriptors ready | " +
    `doRead probe fd ${fd} 0.000 ms → dataReceived Probe 2 bytes (threw) 0.000 ms`,
  ]);
  assertEquals(log.length, 1);
});

for (const [name, create] of implementations) {
  Deno.test(`${name} trace: a TCP transport's doRead shows the dataReceived it calls`, async () => {
    const lines: string[] = [];
    const reactor = create({
      installSignalHandlers: false,
      trace: { write: (line) => lines.push(line), now: frozen },
    });
    await greetOnce(reactor);
    const turns = parseTrace(lines.join("\n"));
    const reads = turns.flatMap((turn) => turn.calls).filter((call) => call.through.length > 0);
    assertEquals(
      reads.map((
        call,
      ) => [call.label.replace(/ fd \d+$/, " fd N"), call.through.map((c) => c.label)]),
      [["doRead Listener,client fd N", ["dataReceived Listener 5 bytes"]]],
    );
    const reading = turns.find((turn) => turn.calls.includes(reads[0]));
    assertEquals(reading?.woke, "descriptors ready");
  });
}

Deno.test("trace: a turn lists its first calls, then how many more", async () => {
  const lines: string[] = [];
  const reactor = new EPollReactor({
    installSignalHandlers: false,
    trace: { write: (line) => lines.push(line), now: frozen },
  });
  let left = MAX_LISTED + 2;
  function step(): void {
    if (--left === 0) reactor.stop();
  }
  function schedule(): void {
    for (let i = left; i > 0; i--) reactor.callLater(0, step);
  }
  // The startup calls and the calls they schedule with a delay of 0 share the first turn.
  reactor.callWhenRunning(schedule);
  await reactor.run();
  assertEquals(lines, [
    "reactor turn 1 at 0.000 s | waited 0.000 ms | start | schedule 0.000 ms | " +
    Array(MAX_LISTED - 1).fill("step 0.000 ms").join(" | ") + " | … 3 more calls 0.000 ms",
  ]);
});

Deno.test("trace: parseTrace reads the turns back, skipping other lines", () => {
  const turns = parseTrace([
    "Start!",
    "reactor turn 1 at 0.000 s | waited 0.000 ms | start | () => countdown.count() 0.183 ms",
    "5 ...",
    "reactor turn 2 at 0.001 s | waited 1.001 s | timer due | tick 0.094 ms | tock 1.5 ms",
    "reactor turn 3 at 1.002 s | waited 98.7 ms | descriptors ready | " +
    "doRead Client fd 12 0.300 ms → dataReceived PoetryProtocol 30 bytes 0.200 ms",
    "reactor turn 4 at 1.101 s | waited 0.010 ms | wake-up (stop())",
  ].join("\n"));
  assertEquals(turns, [
    {
      turn: 1,
      at: 0,
      waited: 0,
      woke: "start",
      calls: [{ label: "() => countdown.count()", seconds: 0.000183, through: [] }],
    },
    {
      turn: 2,
      at: 0.001,
      waited: 1.001,
      woke: "timer due",
      calls: [
        { label: "tick", seconds: 0.000094, through: [] },
        { label: "tock", seconds: 0.0015, through: [] },
      ],
    },
    {
      turn: 3,
      at: 1.002,
      waited: 0.0987,
      woke: "descriptors ready",
      calls: [{
        label: "doRead Client fd 12",
        seconds: 0.0003,
        through: [{ label: "dataReceived PoetryProtocol 30 bytes", seconds: 0.0002, through: [] }],
      }],
    },
    { turn: 4, at: 1.101, waited: 0.00001, woke: "wake-up (stop())", calls: [] },
  ]);
});

Deno.test("trace: names a function by its name, an anonymous one by its source", () => {
  function count(): void {}
  assertEquals(callableName(count), "count");
  assertEquals(callableName(count.bind(null)), "bound count");
  assertEquals(callableName(() => count()), "() => count()");
  assertEquals(callableName((a: number) => a || a), "(a) => a ¦¦ a");
  assertEquals(
    callableName(() => "a long anonymous function that goes on and on".length).length,
    48,
  );
});

Deno.test("trace: dispatchLabel() names the method the readiness calls for", () => {
  const open = { fileno: () => 7, logPrefix: () => "poetry" };
  const closed = { fileno: () => -1, logPrefix: () => "poetry" };
  const ready = (readable: boolean, writable: boolean, hangup = false) => ({
    readable,
    writable,
    hangup,
  });
  assertEquals(dispatchLabel(open, ready(true, false)), "doRead poetry fd 7");
  assertEquals(dispatchLabel(open, ready(false, true)), "doWrite poetry fd 7");
  assertEquals(dispatchLabel(open, ready(true, true)), "doRead/doWrite poetry fd 7");
  assertEquals(dispatchLabel(open, ready(false, false, true)), "connectionLost poetry fd 7");
  assertEquals(dispatchLabel(closed, ready(true, false)), "connectionLost poetry fd -1");
});

Deno.test("trace: formatMs() keeps short calls in ms and long waits in seconds", () => {
  assertEquals([formatMs(0.0941), formatMs(98.72), formatMs(999.94), formatMs(1001.2)], [
    "0.094 ms",
    "98.7 ms",
    "999.9 ms",
    "1.001 s",
  ]);
});

Deno.test("trace: off unless asked for, and a reactor without it holds null", () => {
  assertEquals(createTrace(false), null);
  assert(createTrace(true) !== null);
  assertEquals(new EPollReactor({ installSignalHandlers: false, trace: false }).trace, null);
  const { state } = Deno.permissions.querySync({ name: "env", variable: TRACE_ENV });
  if (state !== "granted") {
    // The test permission set cannot read the variable: the trace stays off, without a prompt.
    assertEquals(createTrace(), null);
    assertEquals(new PollReactor({ installSignalHandlers: false }).trace, null);
  }
});
