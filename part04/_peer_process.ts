/**
 * Helper for chapter 4's scaling benchmark (scaling.ts): N connected
 * loopback sockets whose far ends live in a subprocess (_peers.ts), so each
 * process holds about N file descriptors, not 2N. Here: the N accepted
 * ends, non-blocking lib/socket/socket.ts sockets, the benchmark's readers. There:
 * the N ends that connected, and a control connection on which the
 * benchmark names the one that sends the next byte.
 *
 * The subprocess is always stopped: by {@linkcode PeerProcess.close}, on a
 * failure while opening, and on Ctrl-C (which then exits with status 130).
 * It also exits by itself when the control connection ends.
 *
 * @module
 */

import { select } from "../lib/socket/select.ts";
import { Socket } from "../lib/socket/socket.ts";
import { errno, errnoOf, WouldBlockError } from "../lib/socket/socket_error.ts";
import { EXIT_TOO_MANY_OPEN_FILES, TooManyOpenFilesError } from "./_peers.ts";

const HOST = "127.0.0.1";
/** Opening fails when no connection arrives for this long. */
const STALL_MS = 30_000;
const PEERS_SCRIPT = new URL("./_peers.ts", import.meta.url).href;

/** The peer processes running now, killed on Ctrl-C. */
const running = new Set<Deno.ChildProcess>();

function onInterrupt(): void {
  console.log("\nInterrupted: stopping the peer process");
  for (const child of running) kill(child);
  Promise.all([...running].map((child) => child.status)).finally(() => Deno.exit(130));
}

/** The N accepted sockets, and the peer process that holds their far ends. */
export class PeerProcess {
  /** Set once the subprocess has exited. */
  status: Deno.CommandStatus | undefined;
  /** Resolves when the subprocess has exited. */
  readonly exited: Promise<Deno.CommandStatus>;
  readonly #child: Deno.ChildProcess;
  readonly #message = new Uint8Array(4);
  #control: Socket | undefined;
  /** The accepted ends, registered as readers by the benchmark. */
  readonly readers: Socket[] = [];
  /** The peer port of each reader: its name in the peer process. */
  readonly #ports: number[] = [];

  private constructor(controlPort: number, dataPort: number, count: number) {
    const args = [`--allow-net=${HOST}`, PEERS_SCRIPT, `${controlPort}`, `${dataPort}`, `${count}`];
    this.#child = new Deno.Command("deno", {
      args: ["run", ...args],
      stdin: "null",
      stdout: "null",
      stderr: "inherit",
    }).spawn();
    if (running.size === 0) Deno.addSignalListener("SIGINT", onInterrupt);
    running.add(this.#child);
    this.exited = this.#child.status.then((status) => {
      running.delete(this.#child);
      if (running.size === 0) Deno.removeSignalListener("SIGINT", onInterrupt);
      return this.status = status;
    });
  }

  /**
   * Starts a peer process and accepts its `count` connections.
   *
   * @throws {TooManyOpenFilesError} if either process ran out of descriptors
   */
  static async open(count: number): Promise<PeerProcess> {
    const listeners = [new Socket(), new Socket()];
    let peers: PeerProcess | undefined;
    try {
      for (const listener of listeners) {
        listener.setblocking(false);
        listener.bind([HOST, 0]);
        listener.listen(1024);
      }
      const [controlListener, listener] = listeners;
      peers = new PeerProcess(controlListener.getsockname()[1], listener.getsockname()[1], count);
      let lastProgress = performance.now();
      while (peers.#control === undefined || peers.readers.length < count) {
        if (peers.status !== undefined) throw peerFailure(peers.status);
        if (performance.now() - lastProgress > STALL_MS) {
          throw new Error(`Cannot open the sockets: no connection in ${STALL_MS / 1000} s`);
        }
        await select(listeners, [], 0.1);
        peers.#control ??= acceptOne(controlListener);
        for (let sock = acceptOne(listener); sock; sock = acceptOne(listener)) {
          peers.readers.push(sock);
          peers.#ports.push(sock.getpeername()[1]);
          lastProgress = performance.now();
        }
      }
      return peers;
    } catch (error) {
      await peers?.close();
      throw errnoOf(error) === errno.EMFILE ? new TooManyOpenFilesError("benchmark", error) : error;
    } finally {
      for (const listener of listeners) listener.close();
    }
  }

  /** Asks the peer process to send one byte to `readers[index]`. */
  sendTo(index: number): void {
    new DataView(this.#message.buffer).setUint32(0, this.#ports[index], true);
    (this.#control as Socket).sendall(this.#message);
  }

  /**
   * Stops the peer process, closes the sockets, and resolves once the
   * operating system has their descriptors back.
   */
  async close(): Promise<void> {
    kill(this.#child);
    await this.exited;
    this.#control?.close();
    for (const sock of this.readers) sock.close();
    // A closed socket's OS descriptor is freed once Deno drops its pending
    // read, on the event loop's next turn.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

function kill(child: Deno.ChildProcess): void {
  try {
    child.kill();
  } catch (error) {
    // It has exited already.
    if (!(error instanceof TypeError)) throw error;
  }
}

/** The next connection waiting on `listener`, if any. */
function acceptOne(listener: Socket): Socket | undefined {
  try {
    return listener.accept()[0];
  } catch (error) {
    if (error instanceof WouldBlockError) return undefined;
    throw error;
  }
}

/** Why the peer process exited before it had connected everything. */
function peerFailure({ code }: Deno.CommandStatus): Error {
  if (code === EXIT_TOO_MANY_OPEN_FILES) return new TooManyOpenFilesError("peer");
  return new Error(`Cannot open the sockets: the peer process exited with status ${code}`);
}
