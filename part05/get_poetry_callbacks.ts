/**
 * Chapter 5, section 2: the first answer to "what would an asynchronous
 * get_poetry look like?" (the tutorial's client 3). `getPoetry(host, port,
 * callback, errback)` returns nothing: it starts the download, and later
 * calls `callback(poem)` with the whole poem, or `errback(reason)` if the
 * connection could not be made. The protocol collects the bytes; the
 * factory holds the two functions; the main code counts the answers and
 * stops the reactor after the last one.
 *
 *     deno task part5:get-poetry-callbacks 10000 10001 10002
 *
 * Slow poetry servers must already be listening on those ports
 * (`deno task part2:slowpoetry --port 10000 poetry/ecstasy.txt`, ...).
 *
 * @module
 */

import { formatAddress, parseClientCommandLine } from "../lib/cli/mod.ts";
import { joinBytes } from "../lib/bytes/bytes.ts";
import { Deferred } from "../lib/defer/deferred.ts";
import type { Failure } from "../lib/defer/failure.ts";
import { ConnectionDone } from "../lib/error.ts";
import type { IConnector } from "../lib/interfaces.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { react } from "../lib/reactor/task.ts";
import { ClientFactory, type Factory, Protocol } from "../lib/tcp/protocol.ts";
import { failureLine, report } from "./_poetry_report.ts";
import { reactorClientSpec } from "./get_poetry.ts";

/** What a {@linkcode PoetryProtocol} tells its factory. */
export interface PoetryReceiver {
  /** The task's number, for the progress lines. */
  readonly taskNum: number;
  /** The server closed the connection: the poem is complete. */
  poemFinished(poem: Uint8Array): void;
  /** The connection ended some other way (a reset, an abort): the poem may be cut short. */
  poemFailed(reason: Failure): void;
}

/**
 * Collects a poem from a slow poetry server, and reports each piece as it
 * comes: section 1's `PoetryProtocol`, except that a connection that ends
 * any way but cleanly gives a failure instead of a poem cut short.
 */
export class PoetryProtocol extends Protocol {
  declare factory: Factory & PoetryReceiver;
  readonly #chunks: Uint8Array[] = [];

  override dataReceived(data: Uint8Array): void {
    this.#chunks.push(data);
    const from = formatAddress(this.transport.getPeer());
    console.log(`Task ${this.factory.taskNum}: got ${data.length} bytes of poetry from ${from}`);
  }

  override connectionLost(reason: Failure): void {
    if (reason.check(ConnectionDone)) this.factory.poemFinished(joinBytes(this.#chunks));
    else this.factory.poemFailed(reason);
  }
}

/** Builds the protocol, and hands its poem (or the failure) to `callback` (or `errback`). */
export class PoetryClientFactory extends ClientFactory implements PoetryReceiver {
  override protocol = PoetryProtocol;

  constructor(
    readonly taskNum: number,
    readonly callback: (poem: Uint8Array) => void,
    readonly errback: (reason: Failure) => void,
  ) {
    super();
  }

  poemFinished(poem: Uint8Array): void {
    this.callback(poem);
  }

  poemFailed(reason: Failure): void {
    this.errback(reason);
  }

  override clientConnectionFailed(_connector: IConnector, reason: Failure): void {
    this.errback(reason);
  }
}

/**
 * Downloads a poem from `host:port`; calls `callback(poem)` when it is
 * complete, or `errback(reason)` if it could not be had. `taskNum` is the
 * number the progress lines show.
 */
export function getPoetry(
  host: string,
  port: number,
  callback: (poem: Uint8Array) => void,
  errback: (reason: Failure) => void,
  taskNum = 1,
): void {
  reactor.connectTCP(host, port, new PoetryClientFactory(taskNum, callback, errback));
}

const spec = reactorClientSpec(
  "part5:get-poetry-callbacks",
  "The Get Poetry Now! client with getPoetry(host, port, callback, errback): downloads\n" +
    "a poem from every ADDRESS (PORT or HOST:PORT) at the same time.",
);

if (import.meta.main) {
  const { addresses, print } = parseClientCommandLine(spec);
  await react(() => {
    const started = performance.now();
    const poems = new Map<number, string>();
    const finished = new Deferred<void>();
    let answers = 0;
    const poemDone = (): void => {
      answers += 1;
      if (answers === addresses.length) finished.callback();
    };

    for (const [index, address] of addresses.entries()) {
      const taskNum = index + 1;
      const gotPoem = (poem: Uint8Array): void => {
        poems.set(taskNum, new TextDecoder().decode(poem));
        poemDone();
      };
      const poemFailed = (reason: Failure): void => {
        console.log(failureLine(taskNum, address, reason, spec));
        poemDone();
      };
      getPoetry(address.host, address.port, gotPoem, poemFailed, taskNum);
    }

    return finished.addCallback(() => report(poems, addresses.length, started, print));
  });
}
