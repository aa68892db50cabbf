/**
 * The command lines of chapter 5's server and load generator, so that the
 * scripts show the protocols and leave the option checking here.
 *
 * @module
 */

import {
  checked,
  type CommandSpec,
  parseAddress,
  parseCommandLine,
  parseCount,
  parseSeconds,
  parseServerCommandLine,
  type PoetryAddress,
  readPoemFile,
  type ServerCommandLine,
  serverSpec as chapterTwoServerSpec,
  UsageError,
} from "../lib/cli/mod.ts";
import type { Role } from "./_tally.ts";

/** The command line of `part5:slowpoetry`: chapter 2's, plus `--backlog`. */
export const serverSpec: CommandSpec = chapterTwoServerSpec(
  "part5:slowpoetry",
  "The Slow Poetry Server, reactor edition: serves POEM_FILE slowly, a few bytes\n" +
    "at a time, to every client at once.",
  ["--allow-net=127.0.0.1,localhost,[::1]", "--allow-read=poetry"],
  {
    backlog: {
      type: "string",
      value: "N",
      help: "connections that may wait to be accepted (default: 50)",
    },
  },
);

/** The command line of `part5:slowpoetry-bare`, the floor of section 5's measurements: chapter 2's. */
export const bareServerSpec: CommandSpec = chapterTwoServerSpec(
  "part5:slowpoetry-bare",
  "The Slow Poetry Server on bare Deno.listen, with no reactor: the floor that\n" +
    "part5:slowpoetry's costs are measured against.",
  ["--allow-net=127.0.0.1,localhost,[::1]", "--allow-read=poetry"],
);

/** What `part5:slowpoetry` was asked to do: chapter 2's options, and the listen backlog. */
export interface ServerOptions extends ServerCommandLine {
  /** Connections that may wait to be accepted. */
  backlog: number;
}

/** The options of `part5:slowpoetry`, checked; exits with the usage when one is wrong. */
export function parseServerOptions(args: string[] = Deno.args): ServerOptions {
  const options = parseServerCommandLine(serverSpec, args);
  const backlog = checked(
    serverSpec,
    () => parseCount(String(options.values.backlog ?? "50"), "--backlog"),
  );
  return { ...options, backlog };
}

/** The command line of `part5:load`. */
export const loadSpec: CommandSpec = {
  task: "part5:load",
  args: "ADDRESS",
  permissions: [
    "--allow-env=REACTOR_TRACE",
    "--allow-net=127.0.0.1,localhost,[::1]",
    "--allow-read=poetry",
  ],
  description: "Opens many connections to one slow poetry server at ADDRESS (PORT or HOST:PORT)\n" +
    "and checks that each gets the poem in --expect, byte for byte.",
  options: {
    clients: { type: "string", value: "N", help: "connections to open (default: 100)" },
    expect: { type: "string", value: "FILE", help: "the poem the server serves (required)" },
    rate: {
      type: "string",
      value: "N",
      help: "connections to open a second (default: all at once)",
    },
    vanish: { type: "string", value: "N", help: "clients that close after their first bytes" },
    reset: { type: "string", value: "N", help: "clients that abort after their first bytes" },
    stall: { type: "string", value: "N", help: "clients that never read" },
    junk: { type: "string", value: "N", help: "clients that send 1 MiB of junk, then leave" },
    retries: { type: "string", value: "N", help: "tries again a refused connection (default: 5)" },
    delay: {
      type: "string",
      value: "S",
      help: "the server's --delay, for the limit (default: 0.1)",
    },
    "num-bytes": { type: "string", value: "N", help: "the server's --num-bytes (default: 10)" },
    timeout: { type: "string", value: "S", help: "give up after S seconds (default: 10 x limit)" },
  },
  examples: ["--clients 1000 --rate 10000 --expect poetry/science.txt 10000"],
};

/** What `part5:load` was asked to do. */
export interface LoadOptions {
  /** The server. */
  address: PoetryAddress;
  /** How many clients in all, misbehaving ones included. */
  clients: number;
  /** Connections opened a second; 0 opens them all at once. */
  rate: number;
  /** How many clients vanish, reset, stall or send junk. */
  faults: Record<Exclude<Role, "read">, number>;
  /** How many times a refused connection is tried again. */
  retries: number;
  /** The poem each client must receive. */
  expected: Uint8Array;
  /** The physical limit: chunks times the server's delay, in seconds. */
  limit: number;
  /** Seconds after which the clients still waiting are given up. */
  timeout: number;
}

/** The options of `part5:load`, checked; exits with the usage when one is wrong. */
export function parseLoadOptions(args: string[] = Deno.args): LoadOptions {
  const { values: v, positionals } = parseCommandLine(loadSpec, args);
  return checked(loadSpec, () => {
    if (positionals.length !== 1) throw new UsageError("Give exactly one server ADDRESS");
    if (v.expect === undefined) throw new UsageError("Give the expected poem with --expect FILE");
    const count = (name: string, fallback: string, minimum = 0): number =>
      parseCount(String(v[name] ?? fallback), `--${name}`, minimum);
    const address = parseAddress(positionals[0]);
    const clients = count("clients", "100", 1);
    const faults = {
      vanish: count("vanish", "0"),
      reset: count("reset", "0"),
      stall: count("stall", "0"),
      junk: count("junk", "0"),
    };
    if (faults.vanish + faults.reset + faults.stall + faults.junk > clients) {
      throw new UsageError("Cannot have more misbehaving clients than --clients");
    }
    if (faults.stall === clients) {
      throw new UsageError("Cannot end a run where every client stalls: let one read");
    }
    const delay = parseSeconds(String(v.delay ?? "0.1"), "--delay");
    const expected = readPoemFile(loadSpec, String(v.expect), args);
    // As the server refuses to serve one: an empty poem would make every run look perfect.
    if (expected.length === 0) {
      throw new UsageError(`Cannot check against poem file ${v.expect}: it is empty`);
    }
    const limit = Math.ceil(expected.length / count("num-bytes", "10", 1)) * delay;
    const timeout = parseSeconds(String(v.timeout ?? Math.max(30, 10 * limit)), "--timeout");
    const [rate, retries] = [count("rate", "0"), count("retries", "5")];
    return { address, clients, rate, faults, retries, expected, limit, timeout };
  });
}
