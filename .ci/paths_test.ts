/**
 * Every repository path named in a comment or a README exists, and every
 * `deno` command quoted in one names existing files and tasks: a stale
 * path is a command that fails when pasted.
 *
 * What counts as a path, so that prose and output are not mistaken for one:
 * - a Markdown link's target that is not a URL or an anchor, resolved from
 *   the Markdown file's folder;
 * - a word that starts with a top-level folder (`lib/`, `part01/` …
 *   `part05/`, `poetry/`, `.ci/`) or is a top-level file (`deno.json`,
 *   `README.md`), resolved from the repository's root, in a README's text
 *   and code blocks and in a TypeScript file's comments;
 * - in a TypeScript file's comments, a module that an example imports
 *   (`from "./x.ts"`) or a `{@link ./x.ts}`, resolved from that file's
 *   folder (other relative paths in JSDoc, such as a `new URL("./work.ts",
 *   import.meta.url)` in a parameter's description, are the reader's);
 * - in a `deno …` command, `deno task NAME`'s NAME, which must be a task of
 *   deno.json.
 * Words with or followed by a wildcard or a placeholder (`*`, `…`, `<`,
 * `{`, `$`, `NN`) are not paths, and a word preceded by `/`, `.` or a letter (the tail of
 * a longer path or of a URL) is not one either.
 *
 * @module
 */

import { assertEquals } from "../lib/testing/asserts.ts";

const root = new URL("../", import.meta.url);
const TOP = String.raw`(?:lib|part0[1-9]|poetry|\.ci)/[\w./-]*|deno\.json|README\.md`;
const FROM_ROOT = new RegExp(String.raw`(?<![\w/.@:-])(?:${TOP})`, "g");
const RELATIVE = /(?:\bfrom "|\{@link(?:code)? )(\.\.?\/[\w./-]*\w)/g;
const LINK = /\]\(([^)\s]+)\)/g;
const TASK = /\bdeno task ([\w-]+:[\w:-]+)/g;
const PLACEHOLDER = /[*…<{$]|NN/;

/** A path named in `file`, and where it is named. */
interface Named {
  /** The file that names it. */
  file: string;
  /** The line it is named on, from 1. */
  line: number;
  /** The path as written. */
  path: string;
  /** The path from the repository's root. */
  resolved: string;
}

/** The comments of TypeScript `source`, with other text blanked so that line numbers hold. */
export function commentsOf(source: string): string {
  let out = "";
  for (let at = 0; at < source.length;) {
    const char = source[at];
    if (char === "/" && source[at + 1] === "*") {
      const end = source.indexOf("*/", at + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(at, stop);
      at = stop;
    } else if (char === "/" && source[at + 1] === "/") {
      const end = source.indexOf("\n", at);
      const stop = end === -1 ? source.length : end;
      out += source.slice(at, stop);
      at = stop;
    } else if (char === '"' || char === "'" || char === "`") {
      // A string: skip to its unescaped end, keeping only its line breaks.
      let end = at + 1;
      while (end < source.length && source[end] !== char) end += source[end] === "\\" ? 2 : 1;
      out += source.slice(at, end + 1).replace(/[^\n]/g, " ");
      at = end + 1;
    } else {
      out += char === "\n" ? "\n" : " ";
      at += 1;
    }
  }
  return out;
}

/** The paths and task names that `text` (a README, or a TypeScript file's comments) names. */
export function namedIn(file: string, text: string, markdown: boolean): Named[] {
  const folder = file.includes("/") ? file.slice(0, file.lastIndexOf("/") + 1) : "";
  const named: Named[] = [];
  const lines = text.split("\n");
  for (const [index, line] of lines.entries()) {
    const add = (path: string, resolved: string, next = ""): void => {
      if (!PLACEHOLDER.test(path + next)) named.push({ file, line: index + 1, path, resolved });
    };
    const clean = line.replace(/\b[a-z][\w+.-]*:\/\/\S+/g, " ");
    const links = markdown ? [...clean.matchAll(LINK)].map((match) => match[1]) : [];
    for (const link of links) {
      const target = link.replace(/#.*$/, "");
      if (target === "" || /^[a-z][\w+.-]*:/.test(target)) continue;
      add(link, normalize(folder + target));
    }
    const prose = markdown ? clean.replace(LINK, "]") : clean;
    for (const match of prose.matchAll(FROM_ROOT)) {
      add(match[0], normalize(match[0]), prose[match.index + match[0].length]);
    }
    if (!markdown) {
      for (const [, path] of prose.matchAll(RELATIVE)) add(path, normalize(folder + path));
    }
    for (const [, task] of prose.matchAll(TASK)) add(`deno task ${task}`, `task:${task}`);
  }
  return named;
}

function normalize(path: string): string {
  const parts: string[] = [];
  for (const part of path.replace(/[.,:;]+$/, "").split("/")) {
    if (part === "..") parts.pop();
    else if (part !== "." && part !== "") parts.push(part);
  }
  return parts.join("/");
}

async function* walk(folder: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(new URL(folder, root))) {
    const path = `${folder}${entry.name}`;
    if (entry.isDirectory && !["node_modules", ".git"].includes(entry.name)) {
      yield* walk(`${path}/`);
    } else if (entry.isFile) yield path;
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(new URL(path, root));
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

Deno.test("commentsOf() keeps comments and blanks code and strings, line for line", () => {
  const source = 'const a = "lib/x.ts // no"; // lib/y.ts\n/** see `lib/z.ts` */\nf(`/*`);';
  const comments = commentsOf(source);
  assertEquals(comments.split("\n").length, 3);
  assertEquals(comments.match(/lib\/\w\.ts/g), ["lib/y.ts", "lib/z.ts"]);
});

Deno.test("namedIn() resolves links from the file's folder and bare paths from the root", () => {
  const text = "See [base](../lib/reactor/base.ts#L3), `lib/tcp/` and https://x.org/lib/no.ts,\n" +
    "then run `deno task part2:race` on `poetry/*.txt` or part0N/.";
  assertEquals(
    namedIn("part02/README.md", text, true).map(({ line, resolved }) => [line, resolved]),
    [[1, "lib/reactor/base.ts"], [1, "lib/tcp"], [2, "task:part2:race"]],
  );
  assertEquals(
    namedIn(
      "lib/cli/mod.ts",
      ' * {@link ./values.ts}, from "../time/seconds.ts", `./work.ts`',
      false,
    )
      .map(({ resolved }) => resolved),
    ["lib/cli/values.ts", "lib/time/seconds.ts"],
  );
});

Deno.test("every path and deno task named in a comment or a README exists", async () => {
  const tasks = Object.keys(JSON.parse(await Deno.readTextFile(new URL("deno.json", root))).tasks);
  const named: Named[] = [];
  for (const top of ["README.md", "lib/", "part01/", "part02/", "part03/", "part04/", "part05/"]) {
    const files = top.endsWith("/") ? await Array.fromAsync(walk(top)) : [top];
    for (const file of files) {
      if (file.endsWith(".md")) {
        named.push(...namedIn(file, await Deno.readTextFile(new URL(file, root)), true));
      } else if (file.endsWith(".ts")) {
        const source = await Deno.readTextFile(new URL(file, root));
        named.push(...namedIn(file, commentsOf(source), false));
      }
    }
  }
  const missing: string[] = [];
  for (const { file, line, path, resolved } of named) {
    const found = resolved.startsWith("task:")
      ? tasks.includes(resolved.slice("task:".length))
      : await exists(resolved);
    if (!found) missing.push(`${file}:${line}: ${path}`);
  }
  assertEquals(missing, [], `${missing.length} named paths or tasks do not exist`);
});
