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

import type { Failure } from "../lib/defer/failure.ts";
import type { ConnectError } from "../lib/error.ts";
import type { IConnector } from "../lib/interfaces.ts";
import {
  clientSpec,
  type CommandSpec,
  formatAddress,
  formatDuration,
  parseClientCommandLine,
  type PoetryAddress,
} from "../lib/cli/mod.ts";
import { joinBytes } from "../lib/bytes/bytes.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { describeError } from "../lib/socket/socket_error.ts";
import { ClientFactory, Protocol, type ProtocolClass } from "../lib/tcp/protocol.ts";

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

  override connectionLost(_reason: Failure): void {
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
  /** True if the connection could not be made. */
  failed = false;

  /** @param done called once, when this task is over, whichever way */
  constructor(readonly taskNum: number, readonly done: () => void) {
    super();
  }

  /** Keeps the poem and reports this task done. */
  poemFinished(poem: Uint8Array): void {
    this.poem = poem;
    this.done();
  }

  override clientConnectionFailed(connector: IConnector, reason: Failure): void {
    this.failed = true;
    console.log(connectFailed(this.taskNum, connector.getDestination(), reason));
    this.done();
  }
}

/** The line for a connection that could not be made, as in the other chapters. */
export function connectFailed(taskNum: number, address: PoetryAddress, reason: Failure): string {
  const error = reason.value as ConnectError;
  const why = describeError(error.osError ?? error);
  return `Task ${taskNum}: failed to connect to ${formatAddress(address)}: ${why}`;
}

/**
 * Connects a factory per address (made by `makeFactory`), runs the reactor
 * until every task is over, then reports each poem's size (and the poem,
 * with --print) and the total time. Exits with status 1 if a connection failed.
 */
export async function main(
  spec: CommandSpec,
  makeFactory: (taskNum: number, done: () => void) => PoetryClientFactory,
  timeout?: number,
): Promise<void> {
  const { addresses, print } = parseClientCommandLine(spec);
  const started = performance.now();
  let pending = addresses.length;
  const done = (): void => {
    if (--pending === 0 && reactor.running) reactor.stop();
  };
  const factories = addresses.map((address, index) => {
    const factory = makeFactory(index + 1, done);
    reactor.connectTCP(address.host, address.port, factory, timeout);
    return factory;
  });
  await reactor.run();
  const elapsed = (performance.now() - started) / 1000;
  const poems = factories.filter((factory) => factory.poem !== null);
  for (const factory of poems) {
    const poem = factory.poem as Uint8Array;
    console.log(`Task ${factory.taskNum}: ${poem.length} bytes of poetry`);
    if (print) console.log(new TextDecoder().decode(poem));
  }
  console.log(`Got ${poems.length} poems in ${formatDuration(elapsed)}`);
  if (factories.some((factory) => factory.failed)) Deno.exitCode = 1;
}

if (import.meta.main) {
  const spec = clientSpec(
    "part5:get-poetry",
    "The Get Poetry Now! client on protocols and factories: downloads a poem from every\n" +
      "ADDRESS (PORT or HOST:PORT, HOST defaulting to 127.0.0.1) at the same time.",
  );
  await main(spec, (taskNum, done) => new PoetryClientFactory(taskNum, done));
}
