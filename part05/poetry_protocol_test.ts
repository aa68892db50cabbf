import { assert, assertEquals } from "../lib/testing/asserts.ts";
import { MemoryReactor } from "../lib/testing/memory_reactor.ts";
import { StringTransport } from "../lib/testing/string_transport.ts";
import { ConnectionDone, ConnectionLost, ConnectionRefusedError } from "../lib/error.ts";
import { Failure } from "../lib/defer/failure.ts";
import { Clock } from "../lib/reactor/task.ts";
import { IPv4Address } from "../lib/tcp/address.ts";
import { PoetryClientFactory, PoetryProtocol } from "./get_poetry.ts";
import { TimeoutPoetryClientFactory } from "./get_poetry_timeout.ts";

const peer = new IPv4Address("TCP", "127.0.0.1", 10000);

/** Runs `fn` with console.log captured, and returns the lines it printed. */
function printed(fn: () => void): string[] {
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]): void => void lines.push(args.join(" "));
  try {
    fn();
  } finally {
    console.log = log;
  }
  return lines;
}

/** A reactor that runs, as it does while a poem arrives. */
function running(): MemoryReactor {
  const reactor = new MemoryReactor();
  reactor.run();
  return reactor;
}

Deno.test("PoetryProtocol joins the chunks before the poem is decoded, and reports each", () => {
  let done = 0;
  const factory = new PoetryClientFactory(1, () => done++);
  factory.reactor = running();
  const protocol = factory.buildProtocol(peer) as PoetryProtocol;
  const transport = new StringTransport(undefined, peer);
  const bytes = new TextEncoder().encode("café");
  const lines = printed(() => {
    protocol.makeConnection(transport);
    protocol.dataReceived(bytes.subarray(0, 4)); // "caf" and half of "é"
    protocol.dataReceived(bytes.subarray(4));
    protocol.connectionLost(new Failure(new ConnectionDone()));
  });
  assertEquals(lines, [
    "Task 1: got 4 bytes of poetry from 127.0.0.1:10000",
    "Task 1: got 1 bytes of poetry from 127.0.0.1:10000",
  ]);
  assertEquals(new TextDecoder().decode(factory.poem as Uint8Array), "café");
  assertEquals(done, 1);
  assertEquals(transport.value().length, 0, "the client writes nothing");
});

Deno.test("PoetryClientFactory reports a failed connection for its task", () => {
  const reactor = new MemoryReactor();
  let done = 0;
  const factory = new PoetryClientFactory(2, () => done++);
  const connector = reactor.connectTCP("127.0.0.1", 10009, factory);
  const refused = new ConnectionRefusedError(
    new Deno.errors.ConnectionRefused("Connection refused (os error 111)"),
  );
  const lines = printed(() => factory.clientConnectionFailed(connector, new Failure(refused)));
  assertEquals(lines, ["Task 2: failed to connect to 127.0.0.1:10009: Connection refused"]);
  assertEquals([factory.outcome, factory.poem, done], ["lost", null, 1]);
  assertEquals(reactor.tcpClients.map(([host, port]) => `${host}:${port}`), ["127.0.0.1:10009"]);
});

Deno.test("TimeoutPoetryProtocol loses the connection when its deadline passes", () => {
  const clock = new Clock();
  const factory = new TimeoutPoetryClientFactory(1, () => {}, 2, clock);
  factory.reactor = running();
  const protocol = factory.buildProtocol(peer) as PoetryProtocol;
  const transport = new StringTransport(undefined, peer);
  const lines = printed(() => {
    protocol.makeConnection(transport);
    protocol.dataReceived(new TextEncoder().encode("Roses"));
    clock.advance(1.9);
    assert(!transport.disconnecting, "not yet");
    clock.advance(0.1);
  });
  assertEquals(lines.at(-1), "Task 1: timed out after 2 seconds");
  assert(transport.disconnecting, "loseConnection was called");
  printed(() => protocol.connectionLost(new Failure(new ConnectionDone())));
  assertEquals(new TextDecoder().decode(factory.poem as Uint8Array), "Roses");
  assertEquals(factory.outcome, "timed out", "a timed-out poem is partial, not counted");
});

Deno.test("PoetryClientFactory says a poem cut by a stopped reactor (Ctrl-C) was interrupted", () => {
  const factory = new PoetryClientFactory(3, () => {});
  factory.reactor = new MemoryReactor(); // not running: it has stopped
  const protocol = factory.buildProtocol(peer) as PoetryProtocol;
  const lines = printed(() => {
    protocol.makeConnection(new StringTransport(undefined, peer));
    protocol.dataReceived(new TextEncoder().encode("Ros"));
    protocol.connectionLost(new Failure(new ConnectionLost()));
  });
  assertEquals(lines.at(-1), "Task 3: interrupted");
  assertEquals(factory.outcome, "interrupted");
});

Deno.test("PoetryClientFactory reports a connection lost while the reactor runs", () => {
  const factory = new PoetryClientFactory(2, () => {});
  factory.reactor = running();
  const protocol = factory.buildProtocol(peer) as PoetryProtocol;
  const lines = printed(() => {
    protocol.makeConnection(new StringTransport(undefined, peer));
    protocol.connectionLost(new Failure(new ConnectionLost("Connection lost: Connection reset")));
  });
  assertEquals(lines, ["Task 2: lost the connection: Connection lost: Connection reset"]);
  assertEquals(factory.outcome, "lost");
});

Deno.test("TimeoutPoetryProtocol cancels its timer when the poem finishes in time", () => {
  const clock = new Clock();
  const factory = new TimeoutPoetryClientFactory(1, () => {}, 2, clock);
  const protocol = factory.buildProtocol(peer) as PoetryProtocol;
  const transport = new StringTransport(undefined, peer);
  protocol.makeConnection(transport);
  assertEquals(clock.getDelayedCalls().length, 1);
  printed(() => protocol.connectionLost(new Failure(new ConnectionDone())));
  assertEquals(clock.getDelayedCalls(), []);
  clock.advance(5);
  assert(!transport.disconnecting);
});
