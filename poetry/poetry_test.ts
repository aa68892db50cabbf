import { assertEquals } from "../lib/testing/asserts.ts";

const sizes: Record<string, number> = {
  "ecstasy.txt": 3003,
  "fascination.txt": 623,
  "science.txt": 653,
};

for (const [name, size] of Object.entries(sizes)) {
  Deno.test(`poetry/${name} is ${size} bytes of valid UTF-8`, async () => {
    const bytes = await Deno.readFile(`poetry/${name}`);
    assertEquals(bytes.length, size);
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  });
}

Deno.test("poetry has a poem with multi-byte characters", async () => {
  const multiByte = await Promise.all(
    Object.keys(sizes).map(async (name) => {
      const bytes = await Deno.readFile(`poetry/${name}`);
      return new TextDecoder().decode(bytes).length < bytes.length;
    }),
  );
  assertEquals(multiByte.includes(true), true);
});
