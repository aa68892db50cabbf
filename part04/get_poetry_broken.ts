/**
 * Chapter 4: the broken client. The same PoetrySocket, with two changes
 * marked "broken!": the socket stays in blocking mode, and doRead reads
 * until the end of the poem. While one doRead blocks, the reactor cannot
 * run anything else, so the poems arrive one after another, as with the
 * blocking client of chapter 2, and timers fire late.
 *
 *     deno task part4:get-poetry-broken 10000 10001 10002
 *
 * Slow poetry servers must already be listening on those ports.
 *
 * @module
 */

import { ConnectionDone } from "../lib/error.ts";
import { clientSpec } from "../lib/cli/mod.ts";
import { joinBytes } from "../lib/bytes/bytes.ts";
import { main, PoetrySocket } from "./get_poetry.ts";

/** A PoetrySocket that blocks in doRead. */
export class BrokenPoetrySocket extends PoetrySocket {
  protected override connect(): void {
    this.sock.connect([this.address.host, this.address.port]);
    // We don't set non-blocking mode -- broken!
  }

  override doRead(): Error | void {
    const received: Uint8Array[] = [];
    for (;;) { // We're just reading everything, blocking -- broken!
      const bytes = this.sock.recv(1024);
      if (bytes.length === 0) break;
      received.push(bytes);
    }
    const poem = joinBytes(received);
    console.log(`Task ${this.taskNum}: got ${poem.length} bytes of poetry from ${this.where}`);
    this.chunks.push(poem);
    this.outcome = "complete";
    return new ConnectionDone();
  }
}

if (import.meta.main) {
  const spec = clientSpec(
    "part4:get-poetry-broken",
    "The broken Get Poetry Now! client: the reactor client with blocking reads, so the\n" +
      "poems from the ADDRESSes (PORT or HOST:PORT) arrive one after another.",
  );
  await main(spec, (taskNum, address) => new BrokenPoetrySocket(taskNum, address));
}
