/**
 * Test helpers for the chapters' output blocks: every ```` ```text ```` block
 * of a chapter that starts with `$ deno task ...` shows what that command
 * printed in a real run, and a test checks it against a new run of the
 * current code. Lines that vary from run to run (ports, times, paths, line
 * numbers) are normalized; lines that depend on timing (which read came
 * first, a chart's bars) are named by the test and skipped. An excerpt says
 * where it cuts, always the same way: `[… 215 lines cut …]`.
 *
 * @module
 */

import { assertEquals } from "./asserts.ts";

/** An output block of a chapter: the command after `$ `, and the lines it printed. */
export interface ShownOutput {
  /** The command, such as `deno task part3:countdown`. */
  command: string;
  /** The lines shown under it (without `deno task`'s own "Task ... deno run ..." line). */
  lines: string[];
  /** The block's first line in the chapter, for messages. */
  at: number;
}

/** The one way a chapter says it left lines out. */
const ELISION = /^\[… \d+ lines? cut …\]$/;

/** Every output block of `markdown`, in order (blocks inside list items included). */
export function shownOutputs(markdown: string): ShownOutput[] {
  const blocks: ShownOutput[] = [];
  const lines = markdown.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)```text$/.exec(lines[i]);
    if (open === null) continue;
    const indent = open[1].length;
    const body: string[] = [];
    for (i++; i < lines.length && lines[i].trim() !== "```"; i++) body.push(lines[i].slice(indent));
    if (!body[0]?.startsWith("$ ")) continue;
    // A block may show several commands in a row: each `$ ` line starts one.
    const first = i - body.length;
    body.forEach((line, at) => {
      if (!line.startsWith("$ ")) return;
      const end = body.findIndex((next, k) => k > at && next.startsWith("$ "));
      const rest = body.slice(at + 1, end === -1 ? undefined : end);
      blocks.push({
        command: line.slice(2),
        lines: rest.filter((l) => !TASK_LINE.test(l)),
        at: first + at,
      });
    });
  }
  return blocks;
}

/**
 * The text of a chapter: given a folder (a URL ending in `/`), its README.md
 * then its other pages (every other `.md` file of the folder, by name), so a
 * chapter in several pages is checked as one; given one page (a `.md` file),
 * that page alone.
 */
export async function readChapter(folder: URL): Promise<string> {
  if (folder.pathname.endsWith(".md")) return await Deno.readTextFile(folder);
  const pages: string[] = [];
  for await (const entry of Deno.readDir(folder)) {
    if (entry.isFile && entry.name.endsWith(".md") && entry.name !== "README.md") {
      pages.push(entry.name);
    }
  }
  const texts = ["README.md", ...pages.sort()].map((page) =>
    Deno.readTextFile(new URL(page, folder))
  );
  return (await Promise.all(texts)).join("\n");
}

/** The line `deno task` prints before it runs a task: its name and its command. */
const TASK_LINE = /^Task (part\d:[\w-]+) (deno run .*)$/;

/**
 * Asserts that every `Task NAME deno run ...` line the chapter in `folder`
 * (all its pages) shows is what `deno task` prints today: the task's command from
 * deno.json, then the arguments it was given.
 */
export async function assertTaskLinesCurrent(folder: URL): Promise<void> {
  const chapter = await readChapter(folder);
  const { tasks } = JSON.parse(await Deno.readTextFile(new URL("../deno.json", folder)));
  const stale: string[] = [];
  for (const line of chapter.split("\n").map((line) => line.trim())) {
    const shown = TASK_LINE.exec(line);
    if (shown === null) continue;
    const command = tasks[shown[1]]?.command;
    const args = shown[2].slice(String(command).length);
    if (command === undefined || !shown[2].startsWith(command) || !/^( '[^']*')*$/.test(args)) {
      stale.push(line);
    }
  }
  assertEquals(stale, [], "Task lines that deno task would print differently");
}

/** The block of `markdown` that shows `command`; throws if there is not exactly one. */
export function shownOutput(markdown: string, command: string): ShownOutput {
  const found = shownOutputs(markdown).filter((block) => block.command === command);
  if (found.length !== 1) {
    throw new Error(`Cannot find one output block for "${command}": found ${found.length}`);
  }
  return found[0];
}

/**
 * A line with what varies between runs replaced: file URLs and their line
 * and column numbers, durations, seconds and milliseconds, ports, and the
 * `^C` a terminal echoes.
 */
function normalize(line: string): string {
  return line
    .replace(/^\^C/, "")
    .replace(/file:\/\/\/\S*?\/(part0\d|lib)\//g, "file:///…/$1/")
    .replace(/(\.ts):\d+:\d+/g, "$1:L:C")
    .replace(/\b\d+:\d\d:\d\d\.\d{6}\b/g, "H:MM:SS.ffffff")
    // A duration near a second prints as 995 ms in one run and 1.001 s in the next.
    .replace(/\b\d+(\.\d+)? (ms|s)\b/g, "N s")
    .replace(/\b(127\.0\.0\.1|localhost|\[::1\]):\d+/g, "$1:PORT")
    .replace(/\bport \d+/g, "port PORT")
    .trimEnd();
}

/** What {@linkcode assertShows} may leave out or find elsewhere. */
export interface ShowsOptions {
  /** Lines that depend on timing, left out on both sides (matched before normalizing). */
  timing?: RegExp[];
  /** What the run printed on stderr: the block shows it in one piece among the stdout lines. */
  stderr?: string;
  /** Also treat every number as varying (a measurement run with other options). */
  anyNumbers?: boolean;
}

/**
 * Asserts that a chapter's block shows what `stdout` printed: after
 * normalizing, the lines must be the same, in the same order, except lines
 * matching one of `timing` (left out on both sides) and the block's
 * elisions (each stands for any number of lines).
 */
export function assertShows(block: ShownOutput, stdout: string, options: ShowsOptions = {}): void {
  const { timing = [], stderr, anyNumbers = false } = options;
  const keep = (line: string): boolean => !timing.some((pattern) => pattern.test(line));
  const norm = (line: string): string => {
    const normalized = normalize(line);
    if (!anyNumbers || ELISION.test(normalized)) return normalized;
    return normalized.replace(/\d+(\.\d+)?/g, "N");
  };
  const split = (text: string): string[] =>
    text.replace(/\n$/, "").split("\n").filter(keep).map(norm);
  const shown = block.lines.filter(keep).map(norm);
  if (stderr !== undefined && stderr !== "") {
    const errors = split(stderr);
    const start = shown.findIndex((_, i) => errors.every((line, j) => shown[i + j] === line));
    assertEquals(start >= 0, true, `line ${block.at}: the block does not show stderr:\n${stderr}`);
    shown.splice(start, errors.length);
  }
  const actual = split(stdout);
  // A line left out at the end may leave the blank line that came before it.
  for (const lines of [shown, actual]) while (lines.at(-1) === "") lines.pop();
  if (!shown.some((line) => ELISION.test(line))) {
    assertEquals(shown, actual, `the block at line ${block.at} shows another run`);
    return;
  }
  // With elisions: the shown lines in order, each elision skipping any number of lines.
  let at = 0;
  let skipping = false;
  for (const line of shown) {
    if (ELISION.test(line)) {
      skipping = true;
      continue;
    }
    const found: number = skipping ? actual.indexOf(line, at) : (actual[at] === line ? at : -1);
    assertEquals(found >= 0, true, `line ${block.at}: "${line}" not where the run printed it`);
    at = found + 1;
    skipping = false;
  }
  if (!skipping) assertEquals(at, actual.length, `line ${block.at}: the run printed more`);
}

/**
 * Asserts that every output block of the chapter in `folder` names a
 * command in `checked`, and that the test file each names calls
 * {@linkcode assertShows}: so no block of the chapter goes unchecked.
 *
 * @param checked the test file that checks each command's block, by command
 */
export async function assertEveryBlockChecked(
  folder: URL,
  checked: Record<string, string>,
): Promise<void> {
  const chapter = await readChapter(folder);
  const commands = [...new Set(shownOutputs(chapter).map((block) => block.command))];
  assertEquals(commands.sort(), Object.keys(checked).sort(), "the chapter's commands");
  for (const test of new Set(Object.values(checked))) {
    const source = await Deno.readTextFile(new URL(test, folder));
    assertEquals(source.includes("assertShows("), true, `${test} checks its blocks`);
  }
}

/**
 * Asserts that every ```` ```ts ignore ```` block of the chapter in
 * `folder` is an excerpt of one of `files` (paths relative to the
 * repository's root): each run of lines between two elisions (a line
 * containing `…`) or blank lines appears in one of the files, in order,
 * indentation aside.
 * The files type-check, so the excerpts do too.
 */
export async function assertExcerptsTrue(folder: URL, files: string[]): Promise<void> {
  const chapter = await readChapter(folder);
  const root = new URL("../", folder);
  const sources = await Promise.all(
    // An excerpt may leave out the JSDoc between its lines.
    files.map(async (file) => {
      const text = await Deno.readTextFile(new URL(file, root));
      return [file, flatten(text.replace(/^\s*\/\*\*[\s\S]*?\*\/\s*$/gm, ""))];
    }),
  );
  const blocks = [...chapter.matchAll(/^( *)```ts ignore\n([\s\S]*?)^\1```$/gm)];
  const homeless: string[] = [];
  for (const [, , body] of blocks) {
    // A blank line may stand for a comment left out between two declarations.
    const pieces = body.split("\n").reduce<string[][]>((runs, line) => {
      if (line.includes("…") || line.trim() === "") runs.push([]);
      else runs[runs.length - 1].push(line);
      return runs;
    }, [[]]).map((run) => flatten(run.join("\n"))).filter((run) => run !== "");
    const home = sources.find(([, source]) => {
      let at = 0;
      for (const piece of pieces) {
        at = source.indexOf(piece, at);
        if (at < 0) return false;
        at += piece.length;
      }
      return true;
    });
    if (home === undefined) homeless.push(body);
  }
  assertEquals(homeless, [], "excerpts that no file holds");
}

/** Text with each line's indentation removed and blank lines dropped, for comparing excerpts. */
function flatten(text: string): string {
  return text.split("\n").map((line) => line.trim()).filter((line) => line !== "").join("\n");
}
