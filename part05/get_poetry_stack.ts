/**
 * Chapter 5, section 1: who calls `dataReceived`? The Get Poetry Now!
 * client of `get_poetry.ts`, whose protocol prints the JavaScript stack the
 * first time bytes arrive, then exits (the tutorial's
 * `twisted-client-2/get-poetry-stack.py`). Read from the bottom: the
 * reactor's loop, its wait (`doIteration`), the dispatch of a ready
 * descriptor (`doReadOrWrite`), the transport's `doRead`, and only then
 * our protocol.
 *
 *     deno task part5:get-poetry-stack 10000
 *
 * A slow poetry server must already be listening on that port.
 *
 * @module
 */

import { main, PoetryClientFactory, PoetryProtocol, reactorClientSpec } from "./get_poetry.ts";

/** A PoetryProtocol that shows who called it. */
class StackPoetryProtocol extends PoetryProtocol {
  override dataReceived(data: Uint8Array): void {
    this.chunks.push(data);
    console.log("The JavaScript stack inside dataReceived:");
    console.log((new Error().stack ?? "").split("\n").slice(1).join("\n"));
    Deno.exit(0); // once is enough -- the lesson of this variant, as the tutorial's os._exit(0)
  }
}

/** Builds the stack-printing protocol. */
class StackPoetryClientFactory extends PoetryClientFactory {
  override protocol = StackPoetryProtocol;
}

const spec = reactorClientSpec(
  "part5:get-poetry-stack",
  "The Get Poetry Now! client, printing the stack from inside dataReceived once\n" +
    "the first bytes arrive from an ADDRESS (PORT or HOST:PORT).",
);
await main(spec, (taskNum, done) => new StackPoetryClientFactory(taskNum, done));
