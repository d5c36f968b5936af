/**
 * Runs SuiteScript AMD files in a fresh `node:vm` context: one `define(deps, factory)` per file, dependencies
 * `require`, `exports`, `module`, emulated `N/*` modules and custom modules from the File Cabinet.
 * Compiled scripts are cached by file; contexts never are.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import { SuiteScriptError } from './errors';
import type { Clock } from './types';

export interface SandboxOptions {
  /** Absolute path of the project's FileCabinet folder. */
  fileCabinetRoot: string;
  resolveNModule(id: string): Record<string, unknown> | undefined;
  /** Script-visible globals besides `define` (NetSuite exposes `log` globally). */
  globals: Record<string, unknown>;
  clock: Clock;
  timeoutMs: number;
}

const compiled = new Map<string, { mtimeMs: number; size: number; script: vm.Script }>();

function compile(file: string, cabinetPath: string): vm.Script {
  const stat = fs.statSync(file);
  const cached = compiled.get(file);
  if (cached && cached.mtimeMs === stat.mtimeMs && cached.size === stat.size) return cached.script;
  const script = new vm.Script(fs.readFileSync(file, 'utf8'), { filename: cabinetPath });
  compiled.set(file, { mtimeMs: stat.mtimeMs, size: stat.size, script });
  return script;
}

// Date inside the sandbox follows the emulator clock (clock offsets and fixed test clocks).
const DATE_SHIM = `(function (now) {
  const RealDate = Date;
  globalThis.Date = new Proxy(RealDate, {
    construct(target, args, newTarget) {
      return Reflect.construct(target, args.length === 0 ? [now()] : args, newTarget);
    },
    apply() { return new RealDate(now()).toString(); },
    get(target, prop, receiver) { return prop === 'now' ? () => now() : Reflect.get(target, prop, receiver); },
  });
})`;
const DATE_SHIM_SCRIPT = new vm.Script(DATE_SHIM, { filename: 'suitebridge-emulator:date-shim' });
const RUN_TASK = new vm.Script('__sbrTask()', { filename: 'suitebridge-emulator:task' });

interface Definition {
  deps: string[];
  factory: unknown;
}

export class AmdSandbox {
  private readonly context: vm.Context;
  private readonly modules = new Map<string, unknown>();

  constructor(private readonly options: SandboxOptions) {
    this.context = vm.createContext({ ...options.globals }, { codeGeneration: { strings: false, wasm: false } });
    const shim = DATE_SHIM_SCRIPT.runInContext(this.context) as (now: () => number) => void;
    shim(() => options.clock.now());
  }

  /**
   * Evaluates an entry file and calls one of its entry points, both under one time limit (one watchdog per
   * execution, as the time limit is per execution). `missing` when the file has no such entry point.
   */
  runEntry(cabinetPath: string, entryName: string, args: unknown[]): { missing: true } | { missing: false; value: unknown } {
    return this.guarded(() => {
      const entries = this.loadFile(cabinetPath);
      if (entries === null || (typeof entries !== 'object' && typeof entries !== 'function')) {
        throw new SuiteScriptError('SSS_INVALID_SCRIPT_FILE', `${cabinetPath} does not define any entry points.`);
      }
      const entry = (entries as Record<string, unknown>)[entryName];
      if (typeof entry !== 'function') return { missing: true as const };
      return { missing: false as const, value: (entry as (...a: unknown[]) => unknown)(...args) };
    });
  }

  private guarded<T>(task: () => T): T {
    this.context['__sbrTask'] = task;
    try {
      return RUN_TASK.runInContext(this.context, { timeout: this.options.timeoutMs }) as T;
    } catch (err) {
      if ((err as { code?: string } | null)?.code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
        throw new SuiteScriptError(
          'SSS_TIME_LIMIT_EXCEEDED',
          `Script Execution Time Exceeded (emulator limit ${this.options.timeoutMs} ms).`,
        );
      }
      throw err;
    } finally {
      delete this.context['__sbrTask'];
    }
  }

  private diskPath(cabinetPath: string): string {
    const root = this.options.fileCabinetRoot;
    const full = path.resolve(root, '.' + path.posix.normalize('/' + cabinetPath));
    if (!full.startsWith(root + path.sep)) {
      throw new SuiteScriptError('MODULE_DOES_NOT_EXIST', `Module path ${cabinetPath} is outside the File Cabinet.`);
    }
    return full;
  }

  private loadFile(cabinetPath: string): unknown {
    if (this.modules.has(cabinetPath)) return this.modules.get(cabinetPath);
    const file = this.diskPath(cabinetPath);
    if (!fs.existsSync(file)) {
      throw new SuiteScriptError('MODULE_DOES_NOT_EXIST', `Module does not exist: ${cabinetPath}`);
    }
    const definition = this.evaluate(compile(file, cabinetPath), cabinetPath);
    const value = this.instantiate(definition, cabinetPath);
    this.modules.set(cabinetPath, value);
    return value;
  }

  private evaluate(script: vm.Script, cabinetPath: string): Definition {
    let definition: Definition | undefined;
    const previous = this.context['define'];
    const define = (...args: unknown[]) => {
      if (definition) {
        throw new SuiteScriptError('MULTIPLE_DEFINE_CALLS', `${cabinetPath} calls define more than once.`);
      }
      definition = parseDefineArgs(args, cabinetPath);
    };
    define.amd = {};
    this.context['define'] = define;
    try {
      script.runInContext(this.context);
    } finally {
      this.context['define'] = previous;
    }
    if (!definition) {
      throw new SuiteScriptError('SSS_INVALID_SCRIPT_FILE', `${cabinetPath} does not call define(deps, factory).`);
    }
    return definition;
  }

  private instantiate(definition: Definition, cabinetPath: string): unknown {
    if (typeof definition.factory !== 'function') return definition.factory;
    const exportsObject: Record<string, unknown> = {};
    const moduleObject = { id: cabinetPath, uri: cabinetPath, exports: exportsObject };
    const requireFn = this.makeRequire(cabinetPath);
    const args = definition.deps.map((dep) => {
      if (dep === 'require') return requireFn;
      if (dep === 'exports') return exportsObject;
      if (dep === 'module') return moduleObject;
      return this.resolve(dep, cabinetPath);
    });
    const returned = (definition.factory as (...a: unknown[]) => unknown)(...args);
    return returned !== undefined ? returned : moduleObject.exports;
  }

  private makeRequire(fromPath: string) {
    return (ids: unknown, callback?: unknown): unknown => {
      if (typeof ids === 'string') return this.resolve(ids, fromPath);
      if (Array.isArray(ids)) {
        const modules = ids.map((id) => this.resolve(String(id), fromPath));
        if (typeof callback === 'function') (callback as (...m: unknown[]) => unknown)(...modules);
        return undefined;
      }
      throw new SuiteScriptError('SSS_INVALID_TYPE_ARG', 'require expects a module ID or an array of module IDs.');
    };
  }

  private resolve(id: string, fromPath: string): unknown {
    if (id === 'N' || id.startsWith('N/')) {
      const module = this.options.resolveNModule(id);
      if (!module) {
        throw new SuiteScriptError(
          'MODULE_DOES_NOT_EXIST',
          `Module "${id}" is not emulated. The emulator provides N/runtime, N/log, N/error, N/query, N/record, ` +
            'N/search and N/suiteAppInfo.',
        );
      }
      return module;
    }
    const cabinetPath = customModulePath(id, fromPath);
    if (!fs.existsSync(this.diskPath(cabinetPath))) {
      throw new SuiteScriptError(
        'MODULE_DOES_NOT_EXIST',
        `Custom module "${id}" not found (looked for ${cabinetPath} in the File Cabinet).`,
      );
    }
    return this.loadFile(cabinetPath);
  }
}

function parseDefineArgs(args: unknown[], cabinetPath: string): Definition {
  const rest = typeof args[0] === 'string' ? args.slice(1) : args;
  if (rest.length === 1) return { deps: ['require', 'exports', 'module'], factory: rest[0] };
  if (Array.isArray(rest[0])) return { deps: rest[0].map(String), factory: rest[1] };
  throw new SuiteScriptError('SSS_INVALID_SCRIPT_FILE', `${cabinetPath}: define expects (dependencies, factory).`);
}

function customModulePath(id: string, fromPath: string): string {
  const withExt = /\.js$/i.test(id) ? id : `${id}.js`;
  if (withExt.startsWith('/')) return path.posix.normalize(withExt);
  if (withExt.startsWith('.')) return path.posix.normalize(path.posix.join(path.posix.dirname(fromPath), withExt));
  return path.posix.normalize('/' + withExt);
}
