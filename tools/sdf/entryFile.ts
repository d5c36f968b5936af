/** Static and sandboxed checks of a built SuiteScript entry file. */
import vm from 'node:vm';

export interface EntryHeader {
  apiVersion: string | undefined;
  scriptType: string | undefined;
  moduleScope: string | undefined;
}

/** Tags of the JSDoc block the file starts with; undefined when the file does not start with one. */
export function readEntryHeader(source: string): EntryHeader | undefined {
  const block = /^\s*\/\*\*([\s\S]*?)\*\//.exec(source)?.[1];
  if (block === undefined) return undefined;
  const tag = (name: string) => new RegExp(`@${name}\\s+(\\S+)`).exec(block)?.[1];
  return { apiVersion: tag('NApiVersion'), scriptType: tag('NScriptType'), moduleScope: tag('NModuleScope') };
}

/** Counts `define(` calls, ignoring comments. String literals are not parsed: good enough for build output. */
export function countDefineCalls(source: string): number {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  return (code.match(/(^|[^.\w$])define\s*\(/g) ?? []).length;
}

export const ENTRY_POINTS: Record<'restlet' | 'bundleinstallationscript', readonly string[]> = {
  restlet: ['get', 'post', 'put', 'delete'],
  bundleinstallationscript: ['beforeInstall', 'afterInstall', 'beforeUpdate', 'afterUpdate', 'beforeUninstall'],
};

/**
 * Runs the file's define() factory in an empty sandbox, with every dependency replaced by an inert proxy,
 * and returns the names of the functions the module exposes (returned object or `exports`).
 * Only module top-level code runs; entry points are not called.
 */
export function exportedFunctions(source: string, filename: string): string[] {
  let factory: ((...args: unknown[]) => unknown) | undefined;
  let deps: string[] = [];
  const define = (a: unknown, b?: unknown, c?: unknown) => {
    const args = [a, b, c].filter((x) => x !== undefined);
    factory = args.find((x): x is (...args: unknown[]) => unknown => typeof x === 'function');
    deps = (args.find((x) => Array.isArray(x)) as string[] | undefined) ?? [];
  };
  vm.runInNewContext(source, { define }, { filename, timeout: 1000 });
  if (!factory) return [];
  const exportsObject: Record<string, unknown> = {};
  const inert: unknown = new Proxy(function () {}, { get: (_t, key) => (key === Symbol.toPrimitive ? () => '' : inert), apply: () => inert });
  const args = deps.map((d) => (d === 'exports' ? exportsObject : d === 'require' ? () => inert : inert));
  const returned = factory(...args);
  const moduleValue = returned !== undefined && returned !== null && typeof returned === 'object' ? (returned as Record<string, unknown>) : exportsObject;
  return Object.keys(moduleValue).filter((k) => typeof moduleValue[k] === 'function').sort();
}

/**
 * The dependency list of the file's define() call(s), read by running the file with a define() that only records
 * its arguments (the factory is not called).
 */
export function defineDependencies(source: string, filename: string): string[] {
  const deps: string[] = [];
  const define = (...args: unknown[]) => {
    const list = args.find((x): x is unknown[] => Array.isArray(x));
    if (list) deps.push(...list.map(String));
  };
  vm.runInNewContext(source, { define }, { filename, timeout: 1000 });
  return deps;
}

/** 1-based line of the first occurrence of a dependency's string literal, else of the define call, else 1. */
export function dependencyLine(source: string, dependency: string): number {
  const literal = [`'${dependency}'`, `"${dependency}"`].map((l) => source.indexOf(l)).filter((i) => i >= 0);
  const index = literal.length > 0 ? Math.min(...literal) : source.search(/(^|[^.\w$])define\s*\(/);
  return index < 0 ? 1 : source.slice(0, index).split('\n').length;
}
