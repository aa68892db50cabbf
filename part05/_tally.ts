/**
 * The bookkeeping of `part5:load`: which clients misbehave, what became of
 * each, and the summary line.
 *
 * @module
 */

/** What a client does: read the poem, or misbehave in one of four ways. */
export type Role = "read" | "vanish" | "reset" | "stall" | "junk";

/**
 * The role of each of `clients` clients: `faults` of each kind, spread
 * among the readers the same way on every run.
 */
export function assignRoles(
  clients: number,
  faults: Partial<Record<Exclude<Role, "read">, number>>,
): Role[] {
  const roles: Role[] = new Array(clients).fill("read");
  let at = 0;
  for (const [role, count = 0] of Object.entries(faults)) roles.fill(role as Role, at, at += count);
  let seed = 1;
  for (let i = clients - 1; i > 0; i--) {
    seed = (seed * 48271) % 2147483647; // a fixed shuffle (Park and Miller's generator)
    const j = seed % (i + 1);
    [roles[i], roles[j]] = [roles[j], roles[i]];
  }
  return roles;
}

/** The counts, the clock, and the end of the run once every client has an outcome. */
export class Tally {
  /** How many clients ended each way. */
  readonly counts = { ok: 0, bad: 0, refused: 0, vanish: 0, reset: 0, stall: 0, junk: 0 };
  /** The longest a reading client waited for its first bytes, in milliseconds. */
  firstBytes = 0;
  /** When the first connection was opened, in `performance.now()` milliseconds. */
  start = 0;
  /** When the last client that ends by itself ended. */
  end = 0;
  /** True once the run was given up (`--timeout`): the clients still waiting are bad. */
  gaveUp = false;
  #reports = 0;

  /** @param pending clients that end by themselves (all but the stalled ones) */
  constructor(private pending: number, readonly onDone: () => void) {}

  /** Prints a failure on stderr, the first ten of them. */
  report(task: number, text: string): void {
    if (++this.#reports <= 10) console.error(`Task ${task}: ${text}`);
  }

  /** Counts a client's outcome; the last one that ends by itself ends the run. */
  finish(role: Role, outcome: keyof Tally["counts"]): void {
    this.counts[outcome]++;
    if (role === "stall") return;
    this.end = performance.now();
    if (--this.pending === 0) this.onDone();
  }

  /**
   * The summary line: `clients=10 ok=10 bad=0 refused=0 wall=6.71s limit=6.60s ratio=1.02`.
   * With junk senders, the slowest first bytes of a reading client come
   * before `wall` (`first=0.11s`). When clients failed, or were cut off
   * (Ctrl-C), a fast `wall` means nothing (a server that died ends every
   * client early): the ratio says how many instead (`ratio=- (12 failed)`,
   * `ratio=- (20 cut off)`).
   */
  summary(clients: number, limit: number, cutOff = 0): string {
    const { ok, bad, refused, vanish, reset, stall, junk } = this.counts;
    const wall = (this.end - this.start) / 1000;
    const faults = Object.entries({ vanish, reset, stall, junk }).filter(([, n]) => n > 0);
    if (this.#reports > 10) console.error(`[… ${this.#reports - 10} more failures not shown …]`);
    const ratio = bad + refused > 0
      ? `- (${bad + refused} failed)`
      : cutOff > 0
      ? `- (${cutOff} cut off)`
      : limit > 0
      ? (wall / limit).toFixed(2)
      : "-";
    return [
      `clients=${clients} ok=${ok} bad=${bad} refused=${refused}`,
      ...faults.map(([role, n]) => `${role}=${n}`),
      ...(junk > 0 ? [`first=${(this.firstBytes / 1000).toFixed(2)}s`] : []),
      `wall=${wall.toFixed(2)}s limit=${limit.toFixed(2)}s`,
      `ratio=${ratio}`,
    ].join(" ");
  }
}
