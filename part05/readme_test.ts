import { assertTaskLinesCurrent } from "../lib/testing/chapter.ts";

Deno.test("every task line chapter 5 shows is what deno task prints today", async () => {
  await assertTaskLinesCurrent(new URL(".", import.meta.url));
});
