/**
 * Chapter 5, section 1: the simplest Get Poetry Now! client on protocols
 * (the tutorial's `twisted-client-2/get-poetry-simple.py`). No socket, no
 * `doRead`, no `addReader`: a `PoetryProtocol` collects the bytes the
 * transport hands it, and a `PoetryClientFactory` makes that protocol and
 * hears when its poem is done. `reactor.connectTCP` does the rest.
 *
 *     deno task part5:get-poetry-simple 10000
 *
 * A slow poetry server must already be listening on that port
 * (`deno task part2:slowpoetry --port 10000 poetry/ecstasy.txt`).
 *
 * @module
 */

import type { Failure } from "../lib/defer/failure.ts";
import type { IConnector } from "../lib/interfaces.ts";
import { clientSpec, parseClientCommandLine } from "../lib/cli/mod.ts";
import { joinBytes } from "../lib/bytes/bytes.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { ClientFactory, Protocol } from "../lib/tcp/protocol.ts";
import { connectFailed } from "./get_poetry.ts";

/** The protocol: what to do with the bytes of one connection. */
class PoetryProtocol extends Protocol {
  declare factory: PoetryClientFactory;
  readonly chunks: Uint8Array[] = []; // chunks of poem arrive as bytes

  override dataReceived(data: Uint8Array): void {
    this.chunks.push(data);
  }

  override connectionLost(_reason: Failure): void {
    this.factory.poemFinished(joinBytes(this.chunks));
  }
}

/** The factory: makes the protocol, and is told how the connection went. */
class PoetryClientFactory extends ClientFactory {
  override protocol = PoetryProtocol; // tell the base class what protocol to build
  poem: Uint8Array | null = null;

  constructor(readonly taskNum: number, readonly done: () => void) {
    super();
  }

  poemFinished(poem: Uint8Array): void {
    this.poem = poem;
    this.done();
  }

  override clientConnectionFailed(connector: IConnector, reason: Failure): void {
    console.log(connectFailed(this.taskNum, connector.getDestination(), reason));
    this.done();
  }
}

const spec = clientSpec(
  "part5:get-poetry-simple",
  "The simplest Get Poetry Now! client on protocols: downloads a poem from every ADDRESS\n" +
    "(PORT or HOST:PORT) at the same time, and prints each poem once all are in.",
);
const { addresses } = parseClientCommandLine(spec);
let pending = addresses.length;
const finished = (): void => {
  if (--pending === 0) reactor.stop();
};
const factories = addresses.map((address, index) => {
  const factory = new PoetryClientFactory(index + 1, finished);
  reactor.connectTCP(address.host, address.port, factory);
  return factory;
});
await reactor.run();
for (const { poem } of factories) {
  if (poem !== null) console.log(new TextDecoder().decode(poem));
}
if (factories.some(({ poem }) => poem === null)) Deno.exitCode = 1;
