/** N/record: load, create, submitFields, delete for employees and installed custom record types. */
import type { ScriptContext } from '../context';
import { SuiteScriptError } from '../errors';
import { type RecordCostClass, UNIT_COSTS } from '../governance';
import { backingFor, type RecordBacking, type RecordData } from '../recordBacking';
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

interface ExistingRecord {
  o: Options;
  backing: RecordBacking;
  id: number;
  data: RecordData;
}

/**
 * What load, submitFields and delete do first, in this order: check the options, type and id, charge the units,
 * check the role's permission level, then read the record (RCRD_DSNT_EXIST when it is not there).
 */
function openExisting(
  ctx: ScriptContext,
  value: unknown,
  method: string,
  costs: Record<RecordCostClass, number>,
  level: 'VIEW' | 'EDIT' | 'FULL',
): ExistingRecord {
  const o = options(value, method);
  const backing = backingFor(ctx, o['type']);
  const id = recordId(o, method);
  ctx.meter.consume(costs[backing.costClass]);
  requireLevel(backing, level);
  const data = backing.load(id);
  if (!data) throw notFound();
  return { o, backing, id, data };
}

export function createRecordModule(ctx: ScriptContext): Record<string, unknown> {
  return {
    Type,
    load(value: unknown) {
      const { o, backing, id, data } = openExisting(ctx, value, 'load', UNIT_COSTS.recordLoad, 'VIEW');
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
      const { o, backing, id, data: before } = openExisting(ctx, value, 'submitFields', UNIT_COSTS.recordLoad, 'EDIT');
      const values = Object.fromEntries(
        Object.entries((o['values'] ?? {}) as Options).map(([k, v]) => [k.toLowerCase(), v]),
      );
      backing.update(id, before, { body: { ...before.body, ...values }, sublists: before.sublists });
      return id;
    },
    delete(value: unknown) {
      const { backing, id } = openExisting(ctx, value, 'delete', UNIT_COSTS.recordDelete, 'FULL');
      backing.remove(id);
      return id;
    },
  };
}
