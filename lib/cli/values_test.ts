import { assertEquals, assertStringIncludes, assertThrows } from "../testing/asserts.ts";
import { UsageError } from "./command_line.ts";
import {
  formatAddress,
  formatDuration,
  parseAddress,
  parseAddresses,
  parseCount,
  parseDuration,
  parsePort,
  parseSeconds,
} from "./values.ts";

Deno.test("parseAddress() reads a bare port as 127.0.0.1:PORT, and HOST:PORT", () => {
  assertEquals(parseAddress("10000"), { host: "127.0.0.1", port: 10000 });
  assertEquals(parseAddress("example.com:10001"), { host: "example.com", port: 10001 });
  assertEquals(parseAddress("10.0.0.2:80"), { host: "10.0.0.2", port: 80 });
  assertEquals(parseAddress("[::1]:10002"), { host: "::1", port: 10002 });
});

Deno.test("parseAddress() rejects malformed addresses with one clear line", () => {
  for (
    const text of ["", "abc", "host:", ":80", "1:2:3", "host:port", "host:0", "host:65536", "-1"]
  ) {
    const error = assertThrows(() => parseAddress(text), UsageError);
    assertEquals(error.message.includes("\n"), false);
    assertStringIncludes(error.message, `"${text}"`);
  }
});

Deno.test("parseAddresses() needs at least one address", () => {
  assertThrows(() => parseAddresses([]), UsageError, "No addresses");
  assertEquals(parseAddresses(["1", "2"]).map(formatAddress), ["127.0.0.1:1", "127.0.0.1:2"]);
});

Deno.test("parsePort(), parseSeconds() and parseCount() take only what they promise", () => {
  assertEquals(parsePort("0", "--port", true), 0);
  assertEquals(parsePort("65535", "--port"), 65535);
  for (const text of ["abc", "-1", "65536", "1.5", "", "0x10"]) {
    assertThrows(() => parsePort(text, "--port", true), UsageError, "--port must be");
  }
  assertThrows(() => parsePort("0", "--port"), UsageError, "from 1 to 65535");
  assertEquals([
    parseSeconds("0.1", "--delay"),
    parseSeconds("2", "--delay"),
    parseSeconds("1e-2", "--delay"),
  ], [
    0.1,
    2,
    0.01,
  ]);
  for (const text of ["-1", "abc", "", " ", "NaN", "Infinity", "-0.5"]) {
    assertThrows(() => parseSeconds(text, "--delay"), UsageError, "--delay must be");
  }
  assertEquals(parseCount("30", "--num-bytes"), 30);
  for (const text of ["0", "-3", "1.5", "x", ""]) {
    assertThrows(() => parseCount(text, "--num-bytes"), UsageError, "1 or more");
  }
});

Deno.test("formatDuration() prints H:MM:SS.ffffff, as Python prints a timedelta", () => {
  assertEquals(formatDuration(10.126361), "0:00:10.126361");
  assertEquals(formatDuration(23.065661), "0:00:23.065661");
  assertEquals(formatDuration(3723.5), "1:02:03.500000");
  assertEquals(formatDuration(0), "0:00:00.000000");
  assertEquals(parseDuration("0:00:10.126361"), 10.126361);
  assertEquals(Number.isNaN(parseDuration("ten seconds")), true);
});
