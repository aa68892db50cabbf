/**
 * Chapter 5, section 1, exercise: who calls `connectionLost`? The Get
 * Poetry Now! client of `get_poetry.ts`, whose protocol prints the
 * JavaScript stack when its connection ends, for the first task to end.
 * The answer differs from `dataReceived`'s: the reactor's dispatch saw
 * `doRead` return `ConnectionDone` (the server closed), stopped watching
 * the descriptor, and told the transport, which told us.
 *
 *     deno task part5:get-poetry-lost-stack 10000 10001
 *
 * Slow poetry servers must already be listening on those ports.
 *
 * @module
 */

import type { Failure } from "../lib/defer/failure.ts";
import { main, PoetryClientFactory, PoetryProtocol, reactorClientSpec } from "./get_poetry.ts";

let shown = false;

/** A PoetryProtocol that shows who told it the connection was lost. */
class LostStackPoetryProtocol extends PoetryProtocol {
  override dataReceived(data: Uint8Array): void {
    this.chunks.push(data); // quietly: the lesson is at the end
  }

  override connectionLost(reason: Failure): void {
    if (!shown) {
      shown = true;
      console.log(`The JavaScript stack inside connectionLost (${reason.value.name}):`);
      console.log((new Error().stack ?? "").split("\n").slice(1).join("\n"));
    }
    super.connectionLost(reason);
  }
}

/** Builds the stack-printing protocol. */
class LostStackPoetryClientFactory extends PoetryClientFactory {
  override protocol = LostStackPoetryProtocol;
}

const spec = reactorClientSpec(
  "part5:get-poetry-lost-stack",
  "The Get Poetry Now! client, printing the stack from inside connectionLost when\n" +
    "the first poem ends; downloads a poem from every ADDRESS (PORT or HOST:PORT).",
);
await main(spec, (taskNum, done) => new LostStackPoetryClientFactory(taskNum, done));
