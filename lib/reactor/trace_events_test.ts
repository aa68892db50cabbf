import { assert, assertEquals } from "../testing/asserts.ts";
import { EPollReactor } from "./epoll_reactor.ts";
import { PollReactor } from "./poll_reactor.ts";
import type { PosixReactorBase } from "./posix_base.ts";
import type { ReactorOptions } from "./base.ts";
import { ReactorTrace, type TraceFormat } from "./trace.ts";
import type { TraceEvent, TraceRecord, TraceTurnRecord } from "./trace_events.ts";
import { parseTrace, parseTraceRecord } from "./trace_reader.ts";
import { greetOnce } from "../testing/protocols.ts";

const implementations: [string, (options: ReactorOptions) => PosixReactorBase][] = [
  ["EPollReactor", (options) => new EPollReactor(options)],
  ["PollReactor", (options) => new PollReactor(options)],
];

/** Every clock reading is 0, so the records do not depend on how long anything took. */
const frozen = (): number => 0;

function traced(
  create: (options: ReactorOptions) => PosixReactorBase,
  format: TraceFormat = "json",
): { lines: string[]; reactor: PosixReactorBase } {
  const lines: string[] = [];
  const reactor = create({
    installSignalHandlers: false,
    trace: { write: (line) => lines.push(line), now: frozen, format },
  });
  return { lines, reactor };
}

/**
 * The records, with times to the millisecond, and a moved call's new time
 * to the second: the delay left is measured on the reactor's real clock,
 * a little after `reset(5)` was called.
 */
function records(lines: string[]): TraceRecord[] {
  return lines.map((line) => {
    const record = parseTraceRecord(line);
    assert(record !== null, `a record: ${line}`);
    return JSON.parse(JSON.stringify(record), (key, value) => {
      if (key === "started") return 0;
      if (Array.isArray(value) && value[0] === "moved") {
        return [value[0], value[1], Math.round(value[2])];
      }
      return typeof value === "number" ? Math.round(value * 1000) / 1000 : value;
    });
  });
}

/** Countdown-like: a call that moves another, one that cancels it and stops. */
function countdown(reactor: PosixReactorBase): void {
  function tick(): void {
    later.cancel();
    reactor.stop();
  }
  function never(): void {}
  const later = reactor.callLater(60, never);
  reactor.callWhenRunning(function start(): void {
    later.reset(5);
    // Scheduled during turn 1, so it runs in a later turn, however long this one takes.
    reactor.callLater(0.01, tick);
  });
}

for (const [name, create] of implementations) {
  Deno.test(`${name} JSON trace: each turn's delayed calls scheduled, moved, run, cancelled`, async () => {
    const { lines, reactor } = traced(create);
    countdown(reactor);
    await reactor.run();
    assertEquals(records(lines), [
      { reactor: name, started: 0 },
      {
        turn: 1,
        at: 0,
        waited: 0,
        woke: "start",
        calls: [{ label: "start", seconds: 0, through: [] }],
        end: 0,
        events: [["later", 1, "never", 0, 60], ["moved", 1, 5], ["later", 2, "tick", 0, 0.01]],
      },
      { woke: "timer due", turn: 2, at: 0 },
      {
        turn: 2,
        at: 0,
        waited: 0,
        woke: "timer due",
        calls: [{ label: "tick", seconds: 0, through: [] }],
        end: 0,
        events: [["ran", 2], ["cancelled", 1]],
      },
      { shutdown: 0, events: [] },
    ]);
  });
}

Deno.test("JSON trace: parseTrace reads the same turns from it as from the text form", async () => {
  const json = traced((options) => new EPollReactor(options));
  countdown(json.reactor);
  await json.reactor.run();
  const text = traced((options) => new EPollReactor(options), "text");
  countdown(text.reactor);
  await text.reactor.run();
  assertEquals(text.lines.length, 2);
  assertEquals(parseTrace(json.lines.join("\n")), parseTrace(text.lines.join("\n")));
});

for (const [name, create] of implementations) {
  Deno.test(`${name} JSON trace: TCP descriptors come and go, with the bytes each moved`, async () => {
    const { lines, reactor } = traced(create);
    await greetOnce(reactor);
    const events = records(lines).flatMap((record) => "events" in record ? record.events : []);
    // Per descriptor: registered as what, when, and what it moved.
    const byFd = new Map<number, string[]>();
    const moved = { read: 0, written: 0 };
    for (const event of events as TraceEvent[]) {
      if (event[0] === "bytes") {
        moved.read += event[2];
        moved.written += event[3];
      } else if (/^(reader|writer)[+-]$/.test(event[0])) {
        const fd = event[1] as number;
        byFd.set(fd, [...byFd.get(fd) ?? [], event[0]]);
      }
    }
    assertEquals(moved, { read: 5, written: 5 });
    for (const [fd, kinds] of byFd) {
      for (const role of ["reader", "writer"]) {
        const changes = kinds.filter((kind) => kind.startsWith(role));
        assert(
          changes.every((kind, i) => kind === (i % 2 === 0 ? `${role}+` : `${role}-`)),
          `${fd}`,
        );
        assertEquals(changes.length % 2, 0, `fd ${fd} ends unregistered as a ${role}`);
      }
    }
    const names = events.filter((event) => event[0] === "reader+").map((event) => event[2]);
    assert(names.includes("ServerFactory (TCP)"), `${names}`);
    assert(names.includes("Listener,client"), `${names}`);
    assert(byFd.size >= 3, "the port, the server's end and the client's end");
    const turns = records(lines).filter((record) => "turn" in record) as TraceTurnRecord[];
    assert(turns.some((turn) => turn.events.some(([kind]) => kind === "writer+")));
  });
}

Deno.test("JSON trace: the thread pool's Workers, when they change, at the edges of turns", () => {
  const lines: string[] = [];
  const trace = new ReactorTrace({
    format: "json",
    write: (line) => lines.push(line),
    now: frozen,
  });
  const pool = { workers: 0, busy: 0, queued: 0 };
  trace.loopStarted("EPollReactor");
  trace.watchPool(pool);
  Object.assign(pool, { workers: 1, busy: 1, queued: 2 });
  trace.waiting();
  Object.assign(pool, { busy: 0, queued: 0 });
  trace.woke(new AbortController().signal);
  trace.loopEnded();
  trace.shutDown();
  const events = records(lines).map((record) => "events" in record ? record.events : null);
  // The woke record (the third) has no events: the pool seen then goes with its turn.
  assertEquals(events, [null, [["workers", 1, 1, 2]], null, [["workers", 1, 0, 0]], []]);
});

Deno.test("text trace: the JSON form's events cost it nothing and change nothing", () => {
  const lines: string[] = [];
  const trace = new ReactorTrace({ write: (line) => lines.push(line), now: frozen });
  trace.loopStarted();
  trace.added({ fileno: () => 3, logPrefix: () => "probe" }, "reader");
  trace.bytes(3, 10, 0);
  trace.loopEnded();
  trace.shutDown();
  assertEquals(trace.format, "text");
  assertEquals(lines, ["reactor turn 1 at 0.000 s | waited 0.000 ms | start"]);
});
