/**
 * The process side of part05/process.ts: counts the primes below the
 * number given as its argument and prints the count. Its only input is its
 * command line, its only output what it prints: a process shares nothing.
 *
 *     deno run part05/_prime_process.ts 3000000
 *
 * @module
 */

import { countPrimes } from "./_thread_work.ts";

console.log(countPrimes(Number(Deno.args[0])));
