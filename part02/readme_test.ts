import {
  assertEveryBlockChecked,
  assertExcerptsTrue,
  assertTaskLinesCurrent,
} from "../lib/testing/chapter.ts";

const here = new URL(".", import.meta.url);

Deno.test("every output block of chapter 2 is checked against a run by a test", async () => {
  await assertEveryBlockChecked(here, {
    "cat < /dev/tcp/127.0.0.1/10000": "slowpoetry_test.ts",
    "deno task part2:slowpoetry --port 10000 --num-bytes 30 poetry/ecstasy.txt":
      "slowpoetry_test.ts",
    "deno task part2:blocking-client 10000 10001 10002": "clients_test.ts",
    "deno task part2:blocking-client 10000 10119 10002": "clients_test.ts",
    "deno task part2:blocking-client 10.0.0.2:10000": "clients_test.ts",
    "deno task part2:async-client 10000 10001 10002": "clients_test.ts",
    "deno task part2:race": "race_test.ts",
    "deno task part2:figures": "race_test.ts",
  });
});

Deno.test("every code excerpt in chapter 2 is the code of its script", async () => {
  await assertExcerptsTrue(here, [
    "part02/slowpoetry.ts",
    "part02/blocking_client.ts",
    "part02/async_client.ts",
  ]);
});

Deno.test("every task line chapter 2 shows is what deno task prints today", async () => {
  await assertTaskLinesCurrent(new URL(".", import.meta.url));
});
