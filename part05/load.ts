/**
 * A load generator for the slow poetry servers (chapter 5, section 5).
 *
 * Opens `--clients` connections to one server with `connectTCP` on our own
 * reactor, all at once or `--rate` a second; each client reads its poem to
 * the end and checks it byte for byte against `--expect`. Some clients can
 * misbehave on purpose, to show that they cost the others nothing:
 * `--vanish` ones close after their first bytes, `--reset` ones abort,
 * `--stall` ones never read, `--junk` ones send 1 MiB and leave. One
 * summary line at the end; exit status 1 when any well-behaved client did
 * not get its poem.
 *
 *     deno task part5:slowpoetry --port 10000 --backlog 4096 poetry/science.txt
 *     deno task part5:load --clients 1000 --rate 10000 --expect poetry/science.txt 10000
 *
 * The server must already be running.
 *
 * @module
 */

import { explainRefusal, formatAddress } from "../lib/cli/mod.ts";
import type { IConnector } from "../lib/interfaces.ts";
import { type ConnectError, ConnectionRefusedError } from "../lib/error.ts";
import { Deferred } from "../lib/defer/deferred.ts";
import type { Failure } from "../lib/defer/failure.ts";
import { getReactor } from "../lib/reactor/reactor.ts";
import { LoopingCall, react, SystemExit } from "../lib/reactor/task.ts";
import { describeError } from "../lib/socket/socket_error.ts";
import { ClientFactory, Protocol } from "../lib/tcp/protocol.ts";
import { assignRoles, type Role, Tally } from "./_tally.ts";
import { loadSpec, parseLoadOptions } from "./_cli.ts";

/** What a `--junk` client sends before it leaves. */
const JUNK = new Uint8Array(1024 * 1024).fill(0x6a);

/** One client: compares each byte with the expected poem as it arrives. */
class CheckingProtocol extends Protocol {
  declare factory: LoadClientFactory;
  received = 0;
  mismatch = -1;
  made = 0;

  override connectionMade(): void {
    this.made = performance.now();
    if (this.factory.role === "stall") this.transport.pauseProducing();
    if (this.factory.role === "junk") {
      this.transport.write(JUNK);
      this.transport.loseConnection();
    }
  }

  override dataReceived(data: Uint8Array): void {
    const { expected, role, tally } = this.factory;
    if (this.received === 0 && role === "read") {
      tally.firstBytes = Math.max(tally.firstBytes, performance.now() - this.made);
    }
    for (let i = 0; i < data.length && this.mismatch < 0; i++) {
      if (data[i] !== expected[this.received + i]) this.mismatch = this.received + i;
    }
    this.received += data.length;
    if (role === "vanish") this.transport.loseConnection();
    if (role === "reset") this.transport.abortConnection();
  }

  override connectionLost(reason: Failure): void {
    const { expected, role, tally, task, run } = this.factory;
    if (role === "stall") return run.stallEnded();
    // Ctrl-C stopped the reactor, and with it this connection: not the server's fault.
    if (!getReactor().running && !tally.gaveUp) return this.factory.interrupted();
    if (role !== "read") return tally.finish(role, role);
    if (this.mismatch < 0 && this.received === expected.length) return tally.finish(role, "ok");
    const what = this.mismatch >= 0
      ? `byte ${this.mismatch} is wrong`
      : tally.gaveUp
      ? "it was still waiting when the run was given up"
      : `the connection ended (${reason.getErrorMessage()})`;
    tally.report(task, `got ${this.received} of ${expected.length} bytes, and ${what}`);
    tally.finish(role, "bad");
  }
}

/** One client's factory: its role, and its retries of a refused connection. */
class LoadClientFactory extends ClientFactory {
  override protocol = CheckingProtocol;
  tries = 0;

  constructor(
    readonly task: number,
    readonly role: Role,
    readonly expected: Uint8Array,
    readonly tally: Tally,
    readonly retries: number,
    readonly run: Run,
  ) {
    super();
  }

  /** Counts a client the interrupt cut off; once they are all counted, the run ends. */
  interrupted(): void {
    this.tally.end = performance.now();
    if (this.run.interrupted++ === 0) queueMicrotask(() => this.run.finish());
  }

  override clientConnectionFailed(connector: IConnector, reason: Failure): void {
    if (reason.check(ConnectionRefusedError) && ++this.tries <= this.retries) {
      getReactor().callLater(0.05 * 2 ** this.tries, () => connector.connect());
      return;
    }
    const where = formatAddress(connector.getDestination());
    const error = (reason.value as ConnectError).osError ?? reason.value;
    const advice = explainRefusal(loadSpec, error);
    // A host outside the task's permissions is bad input, not a refusal by the server.
    if (advice !== undefined) {
      return this.run.refuse(`error: Cannot connect to ${where}: ${advice}`);
    }
    if (!getReactor().running && !this.tally.gaveUp) return this.interrupted();
    this.tally.report(this.task, `failed to connect to ${where}: ${describeError(error)}`);
    this.tally.finish(this.role, "refused");
  }
}

/** How the run ends: the Deferred react waits for, and the clients Ctrl-C cut off. */
class Run {
  readonly done = new Deferred<void>();
  interrupted = 0;
  #ending = false;
  #stalls: number;

  /** @param summarize prints the summary; may throw {@linkcode SystemExit}, which ends the run */
  constructor(readonly tally: Tally, stalls: number, summarize: () => void) {
    this.#stalls = stalls;
    this.done.addCallback(summarize);
  }

  /** Ends the run once the stalled clients have been let go (now, if they have). */
  endWithTheStalls(): void {
    this.#ending = true;
    if (this.#stalls === 0) this.finish();
  }

  /** Counts a stalled client let go; the run ends with the last of them. */
  stallEnded(): void {
    this.tally.finish("stall", "stall");
    if (--this.#stalls === 0 && this.#ending) this.finish();
  }

  /** Ends the run with the summary (once: the tally and the interrupt may both end it). */
  finish(): void {
    if (this.done.called) return;
    if (this.interrupted > 0) {
      console.error(`Interrupted: ${this.interrupted} clients were cut off, and are not counted.`);
    }
    this.done.callback();
  }

  /** Ends the run at once with status 2, after `line` on stderr (once). */
  refuse(line: string): void {
    if (this.done.called) return;
    console.error(line);
    this.done.errback(new SystemExit(2));
  }
}

function main(): Promise<void> {
  const { address, clients, rate, faults, retries, expected, limit, timeout } = parseLoadOptions();
  return react(
    (reactor) => {
      const connectors: IConnector[] = [];
      const tally = new Tally(clients - faults.stall, () => {
        // Every client that ends by itself has: let the stalled ones go too, and end with them.
        for (const connector of connectors) connector.disconnect();
        run.endWithTheStalls();
      });
      const run = new Run(tally, faults.stall, () => {
        if (deadline.active()) deadline.cancel();
        console.log(tally.summary(clients, limit, run.interrupted));
        const misbehaving = faults.vanish + faults.reset + faults.stall + faults.junk;
        if (tally.counts.ok !== clients - misbehaving) throw new SystemExit(1);
      });
      const factories = assignRoles(clients, faults).map((role, i) =>
        new LoadClientFactory(i + 1, role, expected, tally, retries, run)
      );
      // Open the connections as the rate says, checking a hundred times a second.
      const opener = new LoopingCall(() => {
        const due = rate === 0
          ? clients
          : Math.ceil((performance.now() - tally.start) / 1000 * rate);
        while (connectors.length < Math.min(due, clients) && !run.done.called) {
          connectors.push(
            reactor.connectTCP(address.host, address.port, factories[connectors.length]),
          );
        }
        if (connectors.length === clients || run.done.called) opener.stop();
      });
      opener.clock = reactor;
      reactor.callWhenRunning(() => {
        tally.start = performance.now();
        opener.start(0.01);
      });
      const deadline = reactor.callLater(timeout, () => {
        console.error(`Gave up after ${timeout} s: the clients still waiting count as bad.`);
        tally.gaveUp = true;
        reactor.stop();
      });
      return run.done;
    },
    [],
    { reactor: getReactor() },
  );
}

if (import.meta.main) await main();
