/**
 * The Slow Poetry Server, reactor edition (chapter 5, section 5).
 *
 * Chapter 2's server, same command line and first line, on the reactor: a
 * `Protocol` per connection and a `ServerFactory` on `listenTCP`, so every
 * client gets the poem at once, each at the chosen pace. One `LoopingCall`
 * for the whole server sends every client its next chunk: a client costs a
 * place in a set and a transport, not a timer. A client that leaves costs
 * the others nothing; one that stops reading is skipped while its
 * transport's buffer is full (each protocol is its streaming producer).
 *
 *     deno task part5:slowpoetry --port 10000 --backlog 4096 poetry/science.txt
 *
 * Nothing needs to be running first. Stop it with Ctrl-C.
 *
 * @module
 */

import { exitWithUsage, explainRefusal } from "../lib/cli/mod.ts";
import type { IPushProducer, IReactorTime } from "../lib/interfaces.ts";
import { CannotListenError } from "../lib/error.ts";
import type { Failure } from "../lib/defer/failure.ts";
import { getReactor, reactor } from "../lib/reactor/reactor.ts";
import { LoopingCall } from "../lib/reactor/task.ts";
import { Protocol, ServerFactory } from "../lib/tcp/protocol.ts";
import { describeError } from "../lib/socket/socket_error.ts";
import { parseServerOptions, serverSpec } from "./_cli.ts";

/** One client: how much of the poem it has had, and whether its transport is full. */
export class SlowPoetryProtocol extends Protocol implements IPushProducer {
  declare factory: SlowPoetryFactory;
  /** Bytes of the poem written so far. */
  sent = 0;
  /** True while the transport's buffer is full: the tick skips this client. */
  paused = false;

  override connectionMade(): void {
    this.transport.registerProducer(this, true);
    this.factory.clients.add(this);
    this.factory.startTicking();
  }

  override connectionLost(reason: Failure): void {
    // Still in the set: the connection ended before the whole poem was written.
    if (this.factory.clients.delete(this)) this.factory.lost(this, reason);
  }

  /** See {@linkcode IPushProducer.pauseProducing}: the transport's buffer is full. */
  pauseProducing(): void {
    this.paused = true;
  }

  /** See {@linkcode IPushProducer.resumeProducing}: the buffer has drained. */
  resumeProducing(): void {
    this.paused = false;
    this.factory.startTicking();
  }

  /** See {@linkcode IProducer.stopProducing}: the connection is going away. */
  stopProducing(): void {
    this.paused = true;
  }
}

/** The poem, the pace, the clients being served, and the one tick that serves them. */
export class SlowPoetryFactory extends ServerFactory {
  override protocol = SlowPoetryProtocol;
  /** The clients still waiting for part of the poem. */
  readonly clients = new Set<SlowPoetryProtocol>();
  /** Poems written to the end. */
  served = 0;
  /** Clients whose connection ended before the whole poem was written. */
  lostCount = 0;
  /** Clients cut off because the server stopped (Ctrl-C). */
  cutOff = 0;
  readonly #tick = new LoopingCall(() => this.#sendChunks());

  /**
   * @param log where a lost client is reported (one line each)
   * @param clock the reactor, or a test's Clock
   */
  constructor(
    readonly poem: Uint8Array,
    readonly delay: number,
    readonly numBytes: number,
    readonly log: (line: string) => void,
    clock: IReactorTime,
  ) {
    super();
    this.#tick.clock = clock;
  }

  /** Starts the tick for the first client; a client's first chunk comes with the next tick. */
  startTicking(): void {
    if (!this.#tick.running) this.#tick.start(this.delay, false);
  }

  /** Reports a client that left before the end of the poem, unless the server is stopping. */
  lost(client: SlowPoetryProtocol, reason: Failure): void {
    if (this.numPorts === 0) return void this.cutOff++;
    this.lostCount++;
    const { host, port } = client.transport.getPeer();
    this.log(`Lost the client at ${host}:${port}: ${reason.getErrorMessage()}`);
  }

  /** Stops the tick when the port stops (Ctrl-C): the reactor closes the connections. */
  override stopFactory(): void {
    if (this.#tick.running) this.#tick.stop();
  }

  /**
   * One tick: the next chunk to every client whose transport has room, in
   * one turn. When no client is left, or every one left is paused, the tick
   * stops until a client connects or resumes.
   */
  #sendChunks(): void {
    let waiting = 0;
    for (const client of this.clients) {
      if (client.paused) {
        waiting++;
        continue;
      }
      const chunk = this.poem.subarray(client.sent, client.sent + this.numBytes);
      client.sent += chunk.length;
      client.transport.write(chunk);
      if (client.sent === this.poem.length) {
        this.clients.delete(client);
        this.served++;
        client.transport.unregisterProducer();
        client.transport.loseConnection();
      }
    }
    if (this.clients.size === waiting) this.#tick.stop();
  }
}

async function main(): Promise<void> {
  const { poemFile, poem, port, iface, delay, numBytes, backlog } = parseServerOptions();
  const factory = new SlowPoetryFactory(poem, delay, numBytes, console.log, getReactor());
  let listening;
  try {
    listening = reactor.listenTCP(port, factory, { backlog, interface: iface });
  } catch (error) {
    if (!(error instanceof CannotListenError)) throw error;
    const why = explainRefusal(serverSpec, error.socketError) ?? describeError(error.socketError);
    exitWithUsage(serverSpec, `Cannot listen on ${iface}:${port}: ${why}`);
  }
  console.log(`Serving ${poemFile} on port ${listening.getHost().port}.`);
  // The reactor stops on Ctrl-C, SIGTERM and a closed stdout; which one it was sets the exit status.
  const statuses = Deno.build.os === "windows"
    ? { SIGINT: 130 }
    : { SIGINT: 130, SIGTERM: 143, SIGPIPE: 141 };
  const listeners = Object.entries(statuses).map(([signal, status]) => {
    const listener = (): void => void (Deno.exitCode = status);
    Deno.addSignalListener(signal as Deno.Signal, listener);
    return [signal as Deno.Signal, listener] as const;
  });
  await reactor.run();
  for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
  const { served, lostCount, cutOff } = factory;
  console.log(`Served ${served} poems; ${lostCount} clients left early, ${cutOff} were cut off.`);
}

if (import.meta.main) await main();
