/** The N modules the emulator provides, by module ID. */
import type { ScriptContext } from '../context';
import { createErrorModule } from './error';
import { createLogModule } from './log';
import { createQueryModule } from './query';
import { createRecordModule } from './record';
import { createRuntimeModule } from './runtime';
import { createSearchModule } from './search';
import { createSuiteAppInfoModule } from './suiteAppInfo';

const FACTORIES: Record<string, (ctx: ScriptContext) => Record<string, unknown>> = {
  'N/runtime': createRuntimeModule,
  'N/log': createLogModule,
  'N/error': () => createErrorModule(),
  'N/query': createQueryModule,
  'N/record': createRecordModule,
  'N/search': createSearchModule,
  'N/suiteAppInfo': createSuiteAppInfoModule,
};

export const EMULATED_MODULES: readonly string[] = Object.keys(FACTORIES);

/** One instance per module per script execution; `undefined` when the module is not emulated. */
export function createModuleResolver(ctx: ScriptContext): (id: string) => Record<string, unknown> | undefined {
  const cache = new Map<string, Record<string, unknown>>();
  return (id) => {
    const factory = FACTORIES[id];
    if (!factory) return undefined;
    let instance = cache.get(id);
    if (!instance) {
      instance = factory(ctx);
      cache.set(id, instance);
    }
    return instance;
  };
}
