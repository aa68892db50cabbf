/**
 * Chapter 5, section 1: the simplest Get Poetry Now! client on protocols
 * (the tutorial's `twisted-client-2/get-poetry-simple.py`). No socket, no
 * `doRead`, no `addReader`: a `PoetryProtocol` collects the bytes the
 * transport hands it, and a `PoetryClientFactory` makes that protocol and
 * hears when its poem is done. `reactor.connectTCP` does the rest, and
 * `react` runs the reactor until every poem is in.
 *
 *     deno task part5:get-poetry-simple 10000
 *
 * A slow poetry server must already be listening on that port
 * (`deno task part2:slowpoetry --port 10000 poetry/ecstasy.txt`).
 *
 * @module
 */

import type { Failure } from "../lib/defer/failure.ts";
import { Deferred } from "../lib/defer/deferred.ts";
import { ConnectionDone } from "../lib/error.ts";
import type { IConnector } from "../lib/interfaces.ts";
import { parseClientCommandLine } from "../lib/cli/mod.ts";
import { joinBytes } from "../lib/bytes/bytes.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { react, SystemExit } from "../lib/reactor/task.ts";
import { describeError } from "../lib/socket/socket_error.ts";
import { ClientFactory, Protocol } from "../lib/tcp/protocol.ts";
import { connectFailed, reactorClientSpec } from "./get_poetry.ts";

class PoetryProtocol extends Protocol {
  declare factory: PoetryClientFactory;
  readonly chunks: Uint8Array[] = []; // chunks of poem arrive as bytes

  override dataReceived(data: Uint8Array): void {
    this.chunks.push(data);
  }

  override connectionLost(reason: Failure): void {
    this.factory.poemFinished(joinBytes(this.chunks), reason);
  }
}

class PoetryClientFactory extends ClientFactory {
  override protocol = PoetryProtocol; // tell the base class what protocol to build
  poem: Uint8Array | null = null;

  constructor(readonly taskNum: number, readonly done: () => void) {
    super();
  }

  poemFinished(poem: Uint8Array, reason: Failure): void {
    // Only a poem the server finished is a poem; Ctrl-C stops the reactor first.
    if (!reactor.running) console.log(`Task ${this.taskNum}: interrupted`);
    else if (reason.check(ConnectionDone)) this.poem = poem;
    else console.log(`Task ${this.taskNum}: lost the connection: ${describeError(reason.value)}`);
    this.done();
  }

  override clientConnectionFailed(connector: IConnector, reason: Failure): void {
    console.log(connectFailed(this.taskNum, connector.getDestination(), reason, spec));
    this.done();
  }
}

const spec = reactorClientSpec(
  "part5:get-poetry-simple",
  "The simplest Get Poetry Now! client on protocols: downloads a poem from every ADDRESS\n" +
    "(PORT or HOST:PORT) at the same time, and prints each poem once all are in.",
);
const { addresses } = parseClientCommandLine(spec);

await react(() => {
  const finished = new Deferred<void>();
  let pending = addresses.length;
  const done = (): void => {
    if (--pending === 0) finished.callback();
  };
  const factories = addresses.map((address, index) => {
    const factory = new PoetryClientFactory(index + 1, done);
    reactor.connectTCP(address.host, address.port, factory);
    return factory;
  });
  return finished.addCallback(() => {
    for (const { poem } of factories) {
      if (poem !== null) console.log(new TextDecoder().decode(poem));
    }
    if (factories.some(({ poem }) => poem === null)) throw new SystemExit(1);
  });
});
