/**
 * Chapter 5, section 4: what threads share even when they share no
 * objects. A Worker gets its own copy of every module, so a module
 * variable it changes stays changed in that Worker only. But the working
 * directory and the environment belong to the process, not to a thread: a
 * Worker that calls `Deno.chdir` or `Deno.env.set` changes them for the
 * main thread too (the interview's "process working directory, or uid/gid").
 *
 *     deno task part5:shared-state
 *
 * Nothing else needs to be running.
 *
 * @module
 */

import { deferToThread } from "../lib/threads/threads.ts";
import { mood } from "./_thread_work.ts";
import { react } from "../lib/reactor/task.ts";
import { parseCommandLine } from "../lib/cli/mod.ts";

parseCommandLine({
  task: "part5:shared-state",
  args: "",
  description: "Shows what a Worker shares with the main thread: the process, not the objects.",
  options: {},
});

const module = new URL("./_thread_work.ts", import.meta.url);
const start = Deno.cwd();

/** Where the main thread is, from where it started. */
function where(): string {
  const cwd = Deno.cwd();
  return cwd === start ? "." : `.${cwd.slice(start.length)}`;
}

function show(when: string): void {
  const poetryMood = Deno.env.get("POETRY_MOOD");
  console.log(
    `Main thread, ${when}: mood is "${mood}", working directory is ${where()}, ` +
      `POETRY_MOOD is ${poetryMood === undefined ? "not set" : `"${poetryMood}"`}`,
  );
}

async function main(): Promise<void> {
  show("before");
  // Objects: the Worker changes its own copy of the module.
  const theirs = await deferToThread(module, "setMood", "gloomy");
  console.log(`A Worker set mood to "${theirs}" in its copy of the module`);
  // The process: one working directory and one environment for every thread.
  await deferToThread(module, "changeDirectory", "part05");
  console.log('A Worker called Deno.chdir("part05")');
  await deferToThread(module, "setEnvironment", "POETRY_MOOD", "gloomy");
  console.log('A Worker called Deno.env.set("POETRY_MOOD", "gloomy")');
  show("after");
  // More of the process: its permissions.
  await deferToThread(module, "revokePermission", "env");
  const env = (await Deno.permissions.query({ name: "env" })).state;
  console.log(`A Worker revoked the env permission: in the main thread it is now "${env}"`);
}

await react(main);
