import {
  assertEveryBlockChecked,
  assertExcerptsTrue,
  assertTaskLinesCurrent,
} from "../lib/testing/chapter.ts";

const here = new URL(".", import.meta.url);
const probe = "deno run --allow-net=127.0.0.1 --allow-read=lib part04/_probe.ts";

Deno.test("every output block of chapter 4 is checked against a run by a test", async () => {
  await assertEveryBlockChecked(here, {
    "deno task part4:get-poetry 10000 10001 10002": "get_poetry_test.ts",
    "REACTOR_TRACE=1 deno task part4:get-poetry 10000 10001 10002": "get_poetry_trace_test.ts",
    "deno task part4:figures 10000 10001 10002": "get_poetry_trace_test.ts",
    "deno task part4:scaling --reads 10000": "scaling_test.ts",
    "deno task part4:get-poetry-broken 10000 10001 10002": "get_poetry_broken_test.ts",
    [`${probe} plain 10002`]: "get_poetry_broken_test.ts",
    [`${probe} broken 10002`]: "get_poetry_broken_test.ts",
    "deno task part4:get-poetry-robust 10001 10009 10002": "get_poetry_robust_test.ts",
    "deno task part4:get-poetry-timeout --timeout 7 10000 10001 10002":
      "get_poetry_timeout_test.ts",
  });
});

Deno.test("every code excerpt in chapter 4 is the code of its script", async () => {
  await assertExcerptsTrue(here, ["part04/get_poetry.ts", "part04/get_poetry_broken.ts"]);
});

Deno.test("every task line chapter 4 shows is what deno task prints today", async () => {
  await assertTaskLinesCurrent(new URL(".", import.meta.url));
});
