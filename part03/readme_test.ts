import {
  assertEveryBlockChecked,
  assertExcerptsTrue,
  assertTaskLinesCurrent,
} from "../lib/testing/chapter.ts";

Deno.test("every output block of chapter 3 is checked against a run by the script's test", async () => {
  await assertEveryBlockChecked(new URL(".", import.meta.url), {
    "deno task part3:simple": "simple_test.ts",
    "deno task part3:simple-poll": "simple_test.ts",
    "deno task part3:measure": "measure_test.ts",
    "deno task part3:hello": "hello_test.ts",
    "deno task part3:stack": "stack_test.ts",
    "deno task part3:countdown": "countdown_test.ts",
    "deno task part3:exception": "exception_test.ts",
    "deno task part3:three-counters": "three_counters_test.ts",
    "deno task part3:looping-countdown": "looping_countdown_test.ts",
    "REACTOR_TRACE=1 deno task part3:countdown": "trace_figure_test.ts",
    "deno task part3:figures": "trace_figure_test.ts",
    "deno task part3:watch part3:countdown": "watch_test.ts",
    "REACTOR_TRACE=json deno task part3:countdown": "watch_test.ts",
  });
});

Deno.test("every code excerpt in chapter 3 is the code of its script", async () => {
  await assertExcerptsTrue(new URL(".", import.meta.url), [
    "part03/simple.ts",
    "part03/simple_poll.ts",
    "part03/hello.ts",
    "part03/countdown.ts",
    "part03/exception.ts",
    "part03/looping_countdown.ts",
  ]);
});

Deno.test("every task line chapter 3 shows is what deno task prints today", async () => {
  await assertTaskLinesCurrent(new URL(".", import.meta.url));
});
