/** N/record: load, create, submitFields, delete for employees and installed custom record types. */
import type { ScriptContext } from '../context';
import { SuiteScriptError } from '../errors';
import { UNIT_COSTS } from '../governance';
import { backingFor } from '../recordBacking';
import { RecordInstance, requireLevel } from '../recordInstance';

const Type = Object.freeze({ EMPLOYEE: 'employee', CUSTOMER: 'customer', CONTACT: 'contact', ROLE: 'role' });

type Options = Record<string, unknown>;

function options(value: unknown, method: string): Options {
  if (value === null || typeof value !== 'object') {
    throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', `record.${method}: options must be an object.`);
  }
  return value as Options;
}

function recordId(o: Options, method: string): number {
  const id = Number(o['id']);
  if (o['id'] === undefined || o['id'] === null || o['id'] === '' || !Number.isInteger(id)) {
    throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', `record.${method}: Missing a required argument: id`);
  }
  return id;
}

function notFound(): SuiteScriptError {
  return new SuiteScriptError('RCRD_DSNT_EXIST', 'That record does not exist.');
}

export function createRecordModule(ctx: ScriptContext): Record<string, unknown> {
  return {
    Type,
    load(value: unknown) {
      const o = options(value, 'load');
      const backing = backingFor(ctx, o['type']);
      const id = recordId(o, 'load');
      ctx.meter.consume(UNIT_COSTS.recordLoad[backing.costClass]);
      requireLevel(backing, 'VIEW');
      const data = backing.load(id);
      if (!data) throw notFound();
      return new RecordInstance(ctx, backing, id, data, o['isDynamic'] === true).expose();
    },
    create(value: unknown) {
      const o = options(value, 'create');
      const backing = backingFor(ctx, o['type']);
      ctx.meter.consume(UNIT_COSTS.recordLoad[backing.costClass]);
      requireLevel(backing, 'CREATE');
      const defaults = (o['defaultValues'] ?? {}) as Options;
      return new RecordInstance(ctx, backing, null, { body: { ...defaults }, sublists: {} }, o['isDynamic'] === true).expose();
    },
    submitFields(value: unknown) {
      const o = options(value, 'submitFields');
      const backing = backingFor(ctx, o['type']);
      const id = recordId(o, 'submitFields');
      ctx.meter.consume(UNIT_COSTS.recordLoad[backing.costClass]);
      requireLevel(backing, 'EDIT');
      const before = backing.load(id);
      if (!before) throw notFound();
      const values = Object.fromEntries(
        Object.entries((o['values'] ?? {}) as Options).map(([k, v]) => [k.toLowerCase(), v]),
      );
      backing.update(id, before, { body: { ...before.body, ...values }, sublists: before.sublists });
      return id;
    },
    delete(value: unknown) {
      const o = options(value, 'delete');
      const backing = backingFor(ctx, o['type']);
      const id = recordId(o, 'delete');
      ctx.meter.consume(UNIT_COSTS.recordDelete[backing.costClass]);
      requireLevel(backing, 'FULL');
      if (!backing.load(id)) throw notFound();
      backing.remove(id);
      return id;
    },
  };
}
