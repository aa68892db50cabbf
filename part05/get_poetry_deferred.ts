/**
 * Chapter 5, section 2: `getPoetry(host, port)` returns a Deferred (the
 * tutorial's client 4). The function cannot return the poem, which does
 * not exist yet; it returns the promise of one. The factory owns the
 * Deferred: `connectionLost` fires it with the poem, `clientConnectionFailed`
 * errbacks it with the reason. The caller adds what to do with each
 * outcome, gathers the Deferreds in a DeferredList, and reports from the
 * list's `addBoth`; `react` stops the reactor once that has run. Only the factory and the main code differ from
 * `get_poetry_callbacks.ts`.
 *
 *     deno task part5:get-poetry-deferred 10000 10001 10002
 *
 * Slow poetry servers must already be listening on those ports
 * (`deno task part2:slowpoetry --port 10000 poetry/ecstasy.txt`, ...).
 *
 * @module
 */

import { parseClientCommandLine } from "../lib/cli/mod.ts";
import { Deferred } from "../lib/defer/deferred.ts";
import { DeferredList } from "../lib/defer/deferred_list.ts";
import type { Failure } from "../lib/defer/failure.ts";
import type { IConnector } from "../lib/interfaces.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { react } from "../lib/reactor/task.ts";
import { ClientFactory } from "../lib/tcp/protocol.ts";
import { failureLine, report } from "./_poetry_report.ts";
import { reactorClientSpec } from "./get_poetry.ts";
import { PoetryProtocol, type PoetryReceiver } from "./get_poetry_callbacks.ts";

/** Builds the protocol, and fires its Deferred once: with the poem, or with the failure. */
export class PoetryClientFactory extends ClientFactory implements PoetryReceiver {
  override protocol = PoetryProtocol;
  #deferred: Deferred<string> | null;

  constructor(readonly taskNum: number, deferred: Deferred<string>) {
    super();
    this.#deferred = deferred;
  }

  poemFinished(poem: Uint8Array): void {
    this.#take()?.callback(new TextDecoder().decode(poem));
  }

  poemFailed(reason: Failure): void {
    this.#take()?.errback(reason);
  }

  override clientConnectionFailed(_connector: IConnector, reason: Failure): void {
    this.#take()?.errback(reason);
  }

  /** A Deferred fires once: whoever fires it first takes it. */
  #take(): Deferred<string> | null {
    const deferred = this.#deferred;
    this.#deferred = null;
    return deferred;
  }
}

/**
 * Downloads a poem from `host:port`. Returns at once, with a Deferred that
 * fires with the poem's text, or fails with the reason it could not be
 * had. `taskNum` is the number the progress lines show.
 */
export function getPoetry(host: string, port: number, taskNum = 1): Deferred<string> {
  const d = new Deferred<string>();
  reactor.connectTCP(host, port, new PoetryClientFactory(taskNum, d));
  return d;
}

const spec = reactorClientSpec(
  "part5:get-poetry-deferred",
  "The Get Poetry Now! client with getPoetry(host, port) returning a Deferred: downloads\n" +
    "a poem from every ADDRESS (PORT or HOST:PORT) at the same time.",
);

if (import.meta.main) {
  const { addresses, print } = parseClientCommandLine(spec);
  await react(() => {
    const started = performance.now();
    const poems = new Map<number, string>();

    const deferreds = addresses.map((address, index) => {
      const d = getPoetry(address.host, address.port, index + 1);
      d.addCallbacks(
        (poem) => {
          poems.set(index + 1, poem);
        },
        (failure) => {
          console.log(failureLine(index + 1, address, failure, spec));
        },
      );
      return d;
    });
    return new DeferredList(deferreds).addBoth(() => {
      report(poems, addresses.length, started, print);
    });
  });
}
