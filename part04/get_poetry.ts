/**
 * Chapter 4: the Get Poetry Now! client on the reactor's low-level API.
 *
 * Each PoetrySocket provides IReadDescriptor and registers itself with
 * `reactor.addReader`; the reactor calls its `doRead` whenever its socket
 * has bytes, and its `connectionLost` when the poem is over. The select
 * loop of chapter 2's async client is gone: the reactor runs it.
 *
 *     deno task part4:get-poetry 10000 10001 10002
 *
 * Slow poetry servers must already be listening on those ports
 * (`deno task part2:slowpoetry --port 10000 poetry/ecstasy.txt`, ...).
 *
 * @module
 */

import { ConnectionDone, ConnectionLost } from "../lib/error.ts";
import type { Failure } from "../lib/defer/failure.ts";
import type { IReadDescriptor } from "../lib/interfaces.ts";
import {
  clientSpec,
  type CommandSpec,
  formatAddress,
  parseClientCommandLine,
  type PoetryAddress,
} from "../lib/cli/mod.ts";
import { joinBytes } from "../lib/bytes/bytes.ts";
import { reactor } from "../lib/reactor/reactor.ts";
import { Socket } from "../lib/socket/socket.ts";
import { describeError, WouldBlockError } from "../lib/socket/socket_error.ts";
import { connectFailed, type Outcome, runAndReport } from "./_report.ts";

/** One poem download, watched by the reactor. */
export class PoetrySocket implements IReadDescriptor {
  /** The bytes received so far, chunk by chunk. */
  readonly chunks: Uint8Array[] = [];
  /** How the download ended; a poem cut short is reported as partial. */
  outcome: Outcome = "receiving";
  /** The connection to the poetry server. */
  protected readonly sock = new Socket();

  /** Connects to the server and asks the reactor to watch the socket for reading. */
  constructor(readonly taskNum: number, readonly address: PoetryAddress) {
    try {
      this.connect();
    } catch (error) {
      this.sock.close();
      throw error;
    }
    // Tell the reactor to watch this socket for reading.
    reactor.addReader(this);
  }

  /** Connecting is quick, so it blocks; reading will not. */
  protected connect(): void {
    this.sock.connect([this.address.host, this.address.port]);
    this.sock.setblocking(false);
  }

  fileno(): number {
    return this.sock.fileno();
  }

  connectionLost(_reason: Failure): void {
    if (this.outcome === "receiving" && !reactor.running) {
      // The reactor stopped before the poem ended: Ctrl-C (or SIGTERM).
      this.outcome = "interrupted";
      console.log(`Task ${this.taskNum}: interrupted`);
    }
    this.sock.close();
    // Stop watching this socket.
    reactor.removeReader(this);
    // See if there are any poetry sockets left.
    if (reactor.getReaders().some((reader) => reader instanceof PoetrySocket)) return;
    if (reactor.running) reactor.stop(); // no more poetry
  }

  doRead(): Error | void {
    const received: Uint8Array[] = [];
    for (;;) {
      try {
        const bytes = this.sock.recv(1024);
        if (bytes.length === 0) break;
        received.push(bytes);
      } catch (error) {
        if (error instanceof WouldBlockError) break;
        return this.lost(error);
      }
    }
    const bytes = joinBytes(received);
    if (bytes.length === 0) {
      console.log(`Task ${this.taskNum} finished`);
      this.outcome = "complete";
      return new ConnectionDone();
    }
    console.log(`Task ${this.taskNum}: got ${bytes.length} bytes of poetry from ${this.where}`);
    this.chunks.push(bytes);
  }

  logPrefix(): string {
    return "poetry";
  }

  /** Reports a connection that broke off, as chapter 2's clients do, and gives the reason to return. */
  protected lost(error: unknown): ConnectionLost {
    console.log(
      `Task ${this.taskNum}: lost the connection to ${this.where}: ${describeError(error)}`,
    );
    this.outcome = "lost";
    return new ConnectionLost();
  }

  /** The server's address as HOST:PORT. */
  get where(): string {
    return formatAddress(this.address);
  }

  /** The whole poem so far, as bytes. */
  get poem(): Uint8Array {
    return joinBytes(this.chunks);
  }
}

/**
 * Runs a client: parses the command line, opens a socket per address with
 * `open`, runs the reactor until every poem is in, and reports. A failed
 * connection ends the whole program (get_poetry_robust.ts goes on instead).
 */
export async function main(
  spec: CommandSpec,
  open: (taskNum: number, address: PoetryAddress) => PoetrySocket,
): Promise<void> {
  const { addresses, print } = parseClientCommandLine(spec);
  const started = performance.now();
  const sockets: PoetrySocket[] = [];
  for (const [index, address] of addresses.entries()) {
    try {
      sockets.push(open(index + 1, address));
    } catch (error) {
      console.log(connectFailed(spec, index + 1, address, error));
      Deno.exit(1);
    }
  }
  await runAndReport(sockets, started, print);
}

if (import.meta.main) {
  const spec = clientSpec(
    "part4:get-poetry",
    "The Get Poetry Now! client on the reactor: downloads a poem from every ADDRESS\n" +
      "(PORT or HOST:PORT, HOST defaulting to 127.0.0.1) at the same time.",
  );
  await main(spec, (taskNum, address) => new PoetrySocket(taskNum, address));
}
