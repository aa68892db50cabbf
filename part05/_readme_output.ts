/**
 * Test helper: the output that part05/README.md's section 4 shows for a
 * task, so a test can check it against what the script prints now.
 *
 * @module
 */

import { taskArgs } from "../lib/testing/run_task.ts";

/**
 * The output lines of the ```` ```text ```` block in section 4 of the
 * chapter that starts with `$ deno task <task>`, after the line in which
 * `deno task` names the command (checked against deno.json's).
 *
 * @throws {Error} if section 4, the block or the command line is missing or wrong
 */
export async function readmeOutput(task: string): Promise<string[]> {
  const readme = await Deno.readTextFile(new URL("./README.md", import.meta.url));
  const section = /<!-- section 4[^]*?<!-- end of section 4 -->/.exec(readme)?.[0];
  if (section === undefined) throw new Error("Cannot find section 4 in part05/README.md");
  const start = section.indexOf("```text\n$ deno task " + task + "\n");
  if (start === -1) throw new Error(`Cannot find the output of ${task} in section 4`);
  const [, taskLine, ...lines] = section.slice(start, section.indexOf("\n```", start + 1))
    .split("\n").slice(1);
  const command = `Task ${task} deno ${(await taskArgs(task)).join(" ")}`;
  if (taskLine !== command) throw new Error(`The chapter shows "${taskLine}", not "${command}"`);
  return lines;
}
