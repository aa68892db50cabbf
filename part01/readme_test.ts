import {
  assertEveryBlockChecked,
  assertExcerptsTrue,
  assertTaskLinesCurrent,
} from "../lib/testing/chapter.ts";

Deno.test("every output block of chapter 1 is checked against a run by a test", async () => {
  await assertEveryBlockChecked(new URL(".", import.meta.url), {
    "deno task part1:figures": "figures_test.ts",
    "deno task part1:blocking --wait 0": "blocking_test.ts",
    "deno task part1:blocking --tasks 10 --steps 3 --step 0.02 --wait 0.3": "blocking_test.ts",
    "deno task part1:blocking --tasks 6 --step 0.1 --wait 0.1": "blocking_test.ts",
  });
});

Deno.test("every code excerpt in chapter 1 is the code of its script", async () => {
  await assertExcerptsTrue(new URL(".", import.meta.url), [
    "part01/asynchronous.ts",
    "part01/blocking.ts",
  ]);
});

Deno.test("every task line chapter 1 shows is what deno task prints today", async () => {
  await assertTaskLinesCurrent(new URL(".", import.meta.url));
});
