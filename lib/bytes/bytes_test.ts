import { assertEquals } from "../testing/asserts.ts";
import { joinBytes } from "./bytes.ts";

Deno.test("joinBytes() joins chunks before decoding, so split characters survive", () => {
  const bytes = new TextEncoder().encode("ecstasy, élan");
  const chunks = [bytes.subarray(0, 10), bytes.subarray(10, 11), bytes.subarray(11)];
  assertEquals(new TextDecoder().decode(joinBytes(chunks)), "ecstasy, élan");
});
