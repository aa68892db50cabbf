/**
 * What the race (race.ts) started, and how it stops all of it on a signal:
 * Ctrl-C (SIGINT) or SIGTERM stops the clients and every server, including
 * one still starting, says so once, and exits with 128 + the signal's
 * number, as a shell reports a process killed by that signal.
 *
 * @module
 */

import { type SlowServer, stopServers } from "../lib/testing/poetry_servers.ts";

/** The race's processes, stopped together whatever ends the race. */
export class RaceProcesses {
  /** The servers that have started. */
  readonly servers: SlowServer[] = [];
  readonly #starting = new Set<Promise<SlowServer>>();
  readonly #children = new Set<Deno.ChildProcess>();
  /** Set once a signal has come: everything is being stopped, and the race then exits. */
  #stopping: Promise<never> | undefined;
  readonly #listeners = (Deno.build.os === "windows" ? ["SIGINT"] as const : [
    "SIGINT",
    "SIGTERM",
  ] as const).map((signal) => [signal, () => this.#stop(signal)] as const);

  /** Starts listening for Ctrl-C and SIGTERM. */
  constructor() {
    for (const [signal, listener] of this.#listeners) Deno.addSignalListener(signal, listener);
  }

  /** Starts a server and keeps it, even if a signal comes while it starts. */
  async startServer(start: Promise<SlowServer>): Promise<SlowServer> {
    this.#starting.add(start);
    const server = await this.step(start);
    this.#starting.delete(start);
    this.servers.push(server);
    return server;
  }

  /** Keeps a client process, to stop it on a signal. */
  readonly track = (child: Deno.ChildProcess): void => void this.#children.add(child);

  /** Waits for `promise`; if a signal came meanwhile, goes no further (the race is exiting). */
  async step<T>(promise: Promise<T>): Promise<T> {
    const value = await promise;
    await this.unlessStopping();
    return value;
  }

  /** Returns at once, or never if a signal has come (the race is then exiting). */
  async unlessStopping(): Promise<void> {
    if (this.#stopping !== undefined) await this.#stopping;
  }

  /** At the end of the race: waits for a stop under way, or stops the servers itself. */
  async close(): Promise<void> {
    await this.unlessStopping();
    await stopServers(this.servers);
    for (const [signal, listener] of this.#listeners) Deno.removeSignalListener(signal, listener);
  }

  #stop(signal: "SIGINT" | "SIGTERM"): void {
    if (this.#stopping !== undefined) return; // a second Ctrl-C while stopping changes nothing
    console.log(`\nInterrupted (${signal}): stopping the clients and the servers`);
    this.#stopping = (async () => {
      for (const child of this.#children) {
        try {
          child.kill("SIGTERM");
        } catch {
          // It had already exited.
        }
      }
      const late = await Promise.allSettled(this.#starting);
      for (const result of late) if (result.status === "fulfilled") this.servers.push(result.value);
      const children = [...this.#children].map((child) => child.status);
      await Promise.all([stopServers(this.servers), ...children]);
      Deno.exit(signal === "SIGINT" ? 130 : 143);
    })();
  }
}
