/**
 * The layer check of CI: reads the import graph of every TypeScript file
 * with `deno info --json` and fails on an import that points up the
 * layers of `lib/README.md`, on an import of another folder's private
 * (`_`) file, and on an import cycle.
 *
 * Run it from the repository's root:
 *
 * ```sh
 * deno run --allow-run=git,deno --allow-read=. .ci/check_layers.ts
 * ```
 *
 * @module
 */

/**
 * The layers, bottom to top. A file may import its own folder, its own
 * layer, and any layer below; tests and benchmarks may import anything but
 * another folder's private files.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ["lib/time/", "lib/bytes/"],
  ["lib/defer/"],
  ["lib/workers/"],
  ["lib/socket/"],
  ["lib/interfaces.ts", "lib/error.ts"],
  ["lib/reactor/"],
  ["lib/tcp/", "lib/threads/"],
  ["lib/timeline/", "lib/cli/"],
  ["lib/mod.ts"],
  ["lib/testing/", "part01/", "part02/", "part03/", "part04/", "part05/", ".ci/"],
];

/**
 * The one upward import the layers allow, as Twisted's `posixbase.py` hands
 * `listenTCP` and `connectTCP` to `tcp.py`: importer prefix, imported prefix.
 */
export const ALLOWED_UPWARD: readonly (readonly [string, string])[] = [
  ["lib/reactor/posix_base.ts", "lib/tcp/"],
];

/** A module of the graph: its path from the repository's root, and what it imports. */
export type Graph = Map<string, string[]>;

/** The layer unit a path belongs to: its folder (`lib/tcp/`), or a top file (`lib/mod.ts`). */
export function unitOf(path: string): string {
  return LAYERS.flat().find((unit) => path.startsWith(unit)) ?? path;
}

function layerOf(unit: string): number {
  return LAYERS.findIndex((layer) => layer.includes(unit));
}

/** Whether `path` is a test, a benchmark, or their data: these may import upward. */
export function isTest(path: string): boolean {
  return /_(test|bench)\.ts$/.test(path) || path.includes("/_testdata/");
}

/** Whether `path` is private to its folder: its name, or a folder below the unit, starts with `_`. */
export function isPrivate(path: string): boolean {
  return path.slice(unitOf(path).length).split("/").some((part) => part.startsWith("_"));
}

/** Every broken rule of `graph`, one line each, as "rule: importer → imported". */
export function problems(graph: Graph): string[] {
  const found: string[] = [];
  for (const [from, imports] of graph) {
    const source = unitOf(from);
    for (const to of imports) {
      const target = unitOf(to);
      if (target === source) continue;
      if (isPrivate(to)) found.push(`private file of another folder: ${from} → ${to}`);
      if (isTest(from)) continue;
      const [below, above] = [layerOf(source), layerOf(target)];
      if (below === -1) found.push(`file outside the layers: ${from}`);
      else if (above === -1) found.push(`file outside the layers: ${to}`);
      else if (
        above > below &&
        !ALLOWED_UPWARD.some(([a, b]) => from.startsWith(a) && to.startsWith(b))
      ) found.push(`upward import: ${from} → ${to}`);
    }
  }
  for (const cycle of cycles(graph)) found.push(`import cycle: ${cycle.join(" → ")}`);
  return [...new Set(found)].sort();
}

/** The import cycles of `graph`: its strongly connected components of two or more files (Tarjan). */
export function cycles(graph: Graph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const at = (map: Map<string, number>, node: string): number => map.get(node) ?? Infinity;
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (node: string): void => {
    index.set(node, index.size);
    low.set(node, at(index, node));
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) visit(next);
      if (stack.includes(next)) low.set(node, Math.min(at(low, node), at(low, next)));
    }
    if (at(low, node) !== at(index, node)) return;
    const component = stack.splice(stack.indexOf(node));
    if (component.length > 1) found.push(component.sort());
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

async function output(command: string, args: string[]): Promise<string> {
  const { success, stdout, stderr } = await new Deno.Command(command, { args }).output();
  if (!success) {
    throw new Error(`${command} ${args.join(" ")} failed: ${new TextDecoder().decode(stderr)}`);
  }
  return new TextDecoder().decode(stdout);
}

interface DenoInfo {
  modules: {
    specifier: string;
    dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[];
  }[];
}

/** The import graph of the repository's tracked and new TypeScript files, by `deno info --json`. */
export async function readGraph(root: string): Promise<Graph> {
  const listed = await output("git", ["ls-files", "--cached", "--others", "--exclude-standard"]);
  const files = listed.split("\n").filter((file) => file.endsWith(".ts"));
  const rootUrl = new URL(`file://${root}/`).href;
  const local = (specifier: string): string | undefined =>
    specifier.startsWith(rootUrl) ? decodeURIComponent(specifier.slice(rootUrl.length)) : undefined;
  const graph: Graph = new Map();
  // Tests first: each graph brings most of the library with it, so few calls are needed.
  for (const file of files.sort((a, b) => Number(isTest(b)) - Number(isTest(a)))) {
    if (graph.has(file)) continue;
    const info: DenoInfo = JSON.parse(await output("deno", ["info", "--json", file]));
    for (const module of info.modules) {
      const path = local(module.specifier);
      if (path === undefined || graph.has(path)) continue;
      const imports = (module.dependencies ?? []).flatMap((dependency) =>
        [dependency.code?.specifier, dependency.type?.specifier].flatMap((specifier) => {
          const imported = specifier && local(specifier);
          return imported ? [imported] : [];
        })
      );
      graph.set(path, [...new Set(imports)]);
    }
  }
  return graph;
}

if (import.meta.main) {
  const graph = await readGraph(Deno.cwd());
  const edges = [...graph.values()].reduce((sum, imports) => sum + imports.length, 0);
  const found = problems(graph);
  if (found.length > 0) {
    console.error(`error: ${found.length} import(s) break the layers of lib/README.md:`);
    for (const line of found) console.error(`  ${line}`);
    Deno.exit(1);
  }
  console.log(`layers: ${graph.size} modules, ${edges} imports, none upward, no cycle`);
}
