/**
 * Chapter 5, section 1: the Get Poetry Now! client, Twisted version 2.0
 * (the tutorial's `twisted-client-2/get-poetry.py`), rebuilt on
 * `Protocol`, `ClientFactory` and `reactor.connectTCP`. Chapter 4's
 * `PoetrySocket` read its socket in `doRead`; here the transport does
 * that, and our `PoetryProtocol` only hears `dataReceived(bytes)` and,
 * at the end, `connectionLost(reason)`.
 *
 *     deno task part5:get-poetry 10000 10001 10002
 *
 * Slow poetry servers must already be listening on those ports
 * (`deno task part2:slowpoetry --port 10000 poetry/ecstasy.txt`, ...).
 * A server that cannot be reached is reported for its task; the others go on.
 *
 * @module
 */

import { Deferred } from "../lib/defer/deferred.ts";
import type { Failure } from "../lib/defer/failure.ts";
import { type ConnectError, ConnectionDone } from "../lib/error.ts";
import type { IConnector, IReactorCore } from "../lib/interfaces.ts";
import {
  clientSpec,
  type CommandSpec,
  explainRefusal,
  formatAddress,
  formatDuration,
  type OptionSpec,
  parseClientCommandLine,
  type PoetryAddress,
} from "../lib/cli/mod.ts";
import { joinBytes } from "../lib/bytes/bytes.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { react, SystemExit } from "../lib/reactor/task.ts";
import { describeError } from "../lib/socket/socket_error.ts";
import { ClientFactory, Protocol, type ProtocolClass } from "../lib/tcp/protocol.ts";

/**
 * The command line of a chapter 5 client: chapter 2's, with this chapter's
 * permissions (no Worker, so no `--allow-read=lib`), which the `deno run`
 * advice for a host outside them repeats.
 */
export function reactorClientSpec(
  task: string,
  description: string,
  extraOptions: Record<string, OptionSpec> = {},
): CommandSpec {
  const permissions = ["--allow-env=REACTOR_TRACE", "--allow-net=127.0.0.1,localhost,[::1]"];
  return { ...clientSpec(task, description, extraOptions), permissions };
}

/** How a download ended, if it has: the poem is complete only after the server closed. */
export type Outcome = "receiving" | "complete" | "lost" | "timed out" | "interrupted";

/** One poem download: the transport calls it as bytes arrive, and once at the end. */
export class PoetryProtocol extends Protocol {
  declare factory: PoetryClientFactory;
  /** The bytes received so far, chunk by chunk (joined before decoding). */
  readonly chunks: Uint8Array[] = [];

  override dataReceived(data: Uint8Array): void {
    this.chunks.push(data);
    const peer = formatAddress(this.transport.getPeer());
    console.log(`Task ${this.factory.taskNum}: got ${data.length} bytes of poetry from ${peer}`);
  }

  override connectionLost(reason: Failure): void {
    this.factory.ended(reason);
    this.poemReceived(joinBytes(this.chunks));
  }

  /** The poem is complete (or the connection ended early): tell the factory. */
  poemReceived(poem: Uint8Array): void {
    this.factory.poemFinished(poem);
  }
}

/** The factory of one task: builds its protocol and hears how the download went. */
export class PoetryClientFactory extends ClientFactory {
  override protocol: ProtocolClass = PoetryProtocol; // tell the base class what to build
  /** The poem, once finished; null if there is none (yet). */
  poem: Uint8Array | null = null;
  /** How the download ended; a poem cut short is reported as partial. */
  outcome: Outcome = "receiving";
  /** The command line, for the `deno run` advice when a host is not allowed. */
  spec: CommandSpec | undefined;
  /** The reactor the download runs on (a test gives its own): stopped first means Ctrl-C. */
  reactor: IReactorCore = reactor;

  /** @param done called once, when this task is over, whichever way */
  constructor(readonly taskNum: number, readonly done: () => void) {
    super();
  }

  /** Keeps the poem and reports this task done. */
  poemFinished(poem: Uint8Array): void {
    this.poem = poem;
    this.done();
  }

  /**
   * Works out how the connection ended, before the poem is handed over:
   * the reactor stopped first (Ctrl-C), the server closed it (the poem is
   * complete), or it broke off.
   */
  ended(reason: Failure): void {
    if (this.outcome !== "receiving") return; // a timeout said so already
    if (!this.reactor.running) {
      this.outcome = "interrupted";
      console.log(`Task ${this.taskNum}: interrupted`);
    } else if (reason.check(ConnectionDone)) {
      this.outcome = "complete";
    } else {
      this.outcome = "lost";
      console.log(`Task ${this.taskNum}: lost the connection: ${describeError(reason.value)}`);
    }
  }

  override clientConnectionFailed(connector: IConnector, reason: Failure): void {
    this.outcome = "lost";
    console.log(connectFailed(this.taskNum, connector.getDestination(), reason, this.spec));
    this.done();
  }
}

/**
 * The line for a connection that could not be made, as in the other
 * chapters; with the task's `spec`, a host it may not reach gets the
 * `deno run` command that would.
 */
export function connectFailed(
  taskNum: number,
  address: PoetryAddress,
  reason: Failure,
  spec?: CommandSpec,
): string {
  const error = (reason.value as ConnectError).osError ?? reason.value;
  const why = (spec && explainRefusal(spec, error)) ?? describeError(error);
  return `Task ${taskNum}: failed to connect to ${formatAddress(address)}: ${why}`;
}

/**
 * The closing report: each task that connected, its bytes ("(partial)" if
 * the poem was cut short; with --print, each complete poem), and how many
 * poems arrived complete.
 *
 * @throws {SystemExit} with status 1 if a poem is missing, for {@linkcode react}
 */
export function report(factories: PoetryClientFactory[], started: number, print: boolean): void {
  const elapsed = (performance.now() - started) / 1000;
  for (const { taskNum, poem, outcome } of factories) {
    if (poem === null) continue;
    const partial = outcome === "complete" ? "" : " (partial)";
    console.log(`Task ${taskNum}: ${poem.length} bytes of poetry${partial}`);
    if (print && outcome === "complete") console.log(new TextDecoder().decode(poem));
  }
  const complete = factories.filter(({ outcome }) => outcome === "complete").length;
  console.log(`Got ${complete} poems in ${formatDuration(elapsed)}`);
  if (complete < factories.length) throw new SystemExit(1);
}

/**
 * Connects a factory per address (made by `makeFactory`), runs the reactor
 * until every task is over, then reports. Ends through {@linkcode react}:
 * status 1 if a poem is missing, 130 or 143 if Ctrl-C or SIGTERM cut one short.
 */
export async function main(
  spec: CommandSpec,
  makeFactory: (taskNum: number, done: () => void) => PoetryClientFactory,
  timeout?: number,
): Promise<void> {
  const { addresses, print } = parseClientCommandLine(spec);
  await react(() => {
    const started = performance.now();
    const finished = new Deferred<void>();
    let pending = addresses.length;
    const done = (): void => {
      if (--pending === 0) finished.callback();
    };
    const factories = addresses.map((address, index) => {
      const factory = makeFactory(index + 1, done);
      factory.spec = spec;
      reactor.connectTCP(address.host, address.port, factory, timeout);
      return factory;
    });
    return finished.addCallback(() => report(factories, started, print));
  });
}

if (import.meta.main) {
  const spec = reactorClientSpec(
    "part5:get-poetry",
    "The Get Poetry Now! client on protocols and factories: downloads a poem from every\n" +
      "ADDRESS (PORT or HOST:PORT, HOST defaulting to 127.0.0.1) at the same time.",
  );
  await main(spec, (taskNum, done) => new PoetryClientFactory(taskNum, done));
}
