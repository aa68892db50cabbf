/**
 * Permission advice: when Deno refuses a host or a file, one line saying
 * what the task allows and the exact `deno run` command that would do what
 * was asked; and asking for permission to write an output file up front.
 *
 * @module
 */

import type { CommandSpec } from "./command_line.ts";

/**
 * If `error` is Deno refusing a permission (a host the task may not reach,
 * a file it may not read), one line that says what the task allows and the
 * exact `deno run` command that would do what was asked; otherwise
 * undefined. A `deno task` user cannot add flags, so Deno's own "run again
 * with the --allow-net flag" is no help to them.
 *
 * @param args the script's arguments, repeated in the command
 */
export function explainRefusal(
  spec: CommandSpec,
  error: unknown,
  args: string[] = Deno.args,
): string | undefined {
  const refused = error instanceof Error &&
    /Requires (net|read) access to "([^"]+)"/.exec(error.message);
  if (!refused) return undefined;
  const [, kind, target] = refused;
  const flag = `--allow-${kind}`;
  const granted = spec.permissions?.find((word) => word.startsWith(`${flag}=`));
  const allowed = granted?.slice(flag.length + 1).split(",") ?? [];
  // Allow the host, on every port, rather than the one host:port Deno names.
  const wanted = kind === "net" ? target.replace(/:\d+$/, "") : target;
  const widened = `${flag}=${[...allowed, wanted].join(",")}`;
  const flags = (spec.permissions ?? []).map((word) => word === granted ? widened : word);
  if (granted === undefined) flags.push(widened);
  const what = kind === "net" ? "use the network only on" : "read files only in";
  const limits = allowed.length === 0 ? "nothing" : listInWords(allowed);
  const command = ["deno", "run", ...flags, scriptPath(), ...args].map(shellQuote).join(" ");
  return `${spec.task} may ${what} ${limits}; to allow ${wanted}, run: ${command}`;
}

function listInWords(items: string[]): string {
  return items.length === 1 ? items[0] : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

/** The running script's path relative to the repository's root (where tasks run). */
function scriptPath(): string {
  const root = new URL("../..", import.meta.url).href;
  const main = Deno.mainModule;
  return main.startsWith(root) ? decodeURIComponent(main.slice(root.length)) : main;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/**
 * Asks for permission to write `path` before the work that will produce it
 * (Deno prompts in a terminal); if refused, says so on stderr.
 *
 * @returns whether writing is allowed
 */
export async function requestWrite(path: string): Promise<boolean> {
  const { state } = await Deno.permissions.request({ name: "write", path });
  if (state === "granted") return true;
  console.error(`error: Cannot write ${path}: no write permission (--allow-write=${path})`);
  return false;
}
