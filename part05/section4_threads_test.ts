import {
  assertEveryBlockChecked,
  assertExcerptsTrue,
  assertTaskLinesCurrent,
} from "../lib/testing/chapter.ts";

const page = new URL("section4_threads.md", import.meta.url);

Deno.test("every output block of chapter 5, page 4 is checked against a run by its script's test", async () => {
  await assertEveryBlockChecked(page, {
    "deno task part5:blocking-work": "blocking_work_test.ts",
    "deno task part5:cooperate": "cooperate_test.ts",
    "deno task part5:thread-race": "thread_race_test.ts",
    "deno task part5:contention": "contention_test.ts",
    "deno task part5:shared-state": "shared_state_test.ts",
    "deno task part5:atomic-write": "atomic_write_test.ts",
    "deno task part5:process": "process_test.ts",
    "deno task part5:process-blocking": "process_blocking_test.ts",
  });
});

Deno.test("every code excerpt of chapter 5, page 4 is the code of its script", async () => {
  await assertExcerptsTrue(page, ["part05/blocking_work.ts", "part05/cooperate.ts"]);
});

Deno.test("every task line of chapter 5, page 4 is what deno task prints today", async () => {
  await assertTaskLinesCurrent(page);
});
