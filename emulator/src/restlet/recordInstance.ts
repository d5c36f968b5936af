/** The Record object N/record returns: body fields, sublists (standard and dynamic line API), save. */
import type { ScriptContext } from './context';
import { SuiteScriptError, permissionViolation } from './errors';
import { UNIT_COSTS } from './governance';
import { atLeast } from './permissions';
import type { Lines, RecordBacking, RecordData } from './recordBacking';

type Options = Record<string, unknown>;

function opts(value: unknown, method: string): Options {
  if (value === null || typeof value !== 'object') {
    throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', `${method}: options must be an object.`);
  }
  return value as Options;
}

function required(o: Options, key: string, method: string): unknown {
  if (o[key] === undefined || o[key] === null || o[key] === '') {
    throw new SuiteScriptError('SSS_MISSING_REQD_ARGUMENT', `${method}: Missing a required argument: ${key}`);
  }
  return o[key];
}

function cloneData(data: RecordData): RecordData {
  return {
    body: { ...data.body },
    sublists: Object.fromEntries(Object.entries(data.sublists).map(([k, lines]) => [k, lines.map((l) => ({ ...l }))])),
  };
}

export function requireLevel(backing: RecordBacking, level: 'VIEW' | 'CREATE' | 'EDIT' | 'FULL'): void {
  if (!atLeast(backing.permissionLevel(), level)) throw permissionViolation(backing.permissionLabel);
}

export class RecordInstance {
  private readonly current: RecordData;
  private readonly pending = new Map<string, { line: number; values: Options; isNew: boolean }>();

  constructor(
    private readonly ctx: ScriptContext,
    private readonly backing: RecordBacking,
    private id: number | null,
    private readonly original: RecordData,
    readonly isDynamic: boolean,
  ) {
    this.current = cloneData(original);
  }

  /** The object handed to the script; only the public Record API. */
  expose(): Record<string, unknown> {
    const self = this;
    return {
      get id() {
        return self.id;
      },
      get type() {
        return self.backing.type;
      },
      isDynamic: this.isDynamic,
      getValue: (o: unknown) => this.getValue(o),
      getText: (o: unknown) => String(this.getValue(o) ?? ''),
      setValue: (o: unknown) => this.setValue(o),
      getFields: () => Object.keys(this.current.body),
      getSublists: () => Object.keys(this.current.sublists),
      getLineCount: (o: unknown) => this.lines(o, 'getLineCount').length,
      getSublistValue: (o: unknown) => this.getSublistValue(o),
      setSublistValue: (o: unknown) => this.setSublistValue(o),
      insertLine: (o: unknown) => this.insertLine(o),
      removeLine: (o: unknown) => this.removeLine(o),
      findSublistLineWithValue: (o: unknown) => this.findLine(o),
      selectNewLine: (o: unknown) => this.selectLine(o, true),
      selectLine: (o: unknown) => this.selectLine(o, false),
      setCurrentSublistValue: (o: unknown) => this.setCurrent(o),
      getCurrentSublistValue: (o: unknown) => this.getCurrent(o),
      commitLine: (o: unknown) => this.commitLine(o),
      cancelLine: (o: unknown) => this.pending.delete(this.sublistId(o, 'cancelLine')),
      save: () => this.save(),
    };
  }

  private getValue(o: unknown): unknown {
    const fieldId = (typeof o === 'string' ? o : required(opts(o, 'Record.getValue'), 'fieldId', 'Record.getValue')) as string;
    const key = fieldId.toLowerCase();
    if (key === 'id' || key === 'internalid') return this.id === null ? null : this.id;
    return this.backing.present(key, this.current.body[key]);
  }

  private setValue(o: unknown): Record<string, unknown> {
    const options = opts(o, 'Record.setValue');
    const fieldId = String(required(options, 'fieldId', 'Record.setValue')).toLowerCase();
    this.current.body[fieldId] = options['value'] ?? null;
    return this.expose();
  }

  private sublistId(o: unknown, method: string): string {
    return String(required(opts(o, `Record.${method}`), 'sublistId', `Record.${method}`)).toLowerCase();
  }

  private lines(o: unknown, method: string): Lines {
    const id = this.sublistId(o, method);
    this.current.sublists[id] ??= [];
    return this.current.sublists[id];
  }

  private lineIndex(o: Options, method: string, max: number): number {
    const line = Number(required(o, 'line', `Record.${method}`));
    if (!Number.isInteger(line) || line < 0 || line > max) {
      throw new SuiteScriptError('SSS_INVALID_SUBLIST_OPERATION', `Record.${method}: line ${String(o['line'])} is out of range.`);
    }
    return line;
  }

  private getSublistValue(o: unknown): unknown {
    const options = opts(o, 'Record.getSublistValue');
    const lines = this.lines(options, 'getSublistValue');
    const line = this.lineIndex(options, 'getSublistValue', lines.length - 1);
    const fieldId = String(required(options, 'fieldId', 'Record.getSublistValue')).toLowerCase();
    return this.backing.present(fieldId, lines[line]?.[fieldId]);
  }

  private setSublistValue(o: unknown): void {
    const options = opts(o, 'Record.setSublistValue');
    const lines = this.lines(options, 'setSublistValue');
    // Setting the line just past the end adds a line, as standard mode allows.
    const line = this.lineIndex(options, 'setSublistValue', lines.length);
    const fieldId = String(required(options, 'fieldId', 'Record.setSublistValue')).toLowerCase();
    lines[line] ??= {};
    (lines[line] as Options)[fieldId] = options['value'] ?? null;
  }

  private insertLine(o: unknown): Record<string, unknown> {
    const options = opts(o, 'Record.insertLine');
    const lines = this.lines(options, 'insertLine');
    lines.splice(this.lineIndex(options, 'insertLine', lines.length), 0, {});
    return this.expose();
  }

  private removeLine(o: unknown): Record<string, unknown> {
    const options = opts(o, 'Record.removeLine');
    const lines = this.lines(options, 'removeLine');
    lines.splice(this.lineIndex(options, 'removeLine', lines.length - 1), 1);
    return this.expose();
  }

  private findLine(o: unknown): number {
    const options = opts(o, 'Record.findSublistLineWithValue');
    const fieldId = String(required(options, 'fieldId', 'Record.findSublistLineWithValue')).toLowerCase();
    const wanted = String(options['value']);
    return this.lines(options, 'findSublistLineWithValue').findIndex((l) => String(l[fieldId]) === wanted);
  }

  private selectLine(o: unknown, isNew: boolean): Record<string, unknown> {
    const options = opts(o, isNew ? 'Record.selectNewLine' : 'Record.selectLine');
    const lines = this.lines(options, 'selectLine');
    const line = isNew ? lines.length : this.lineIndex(options, 'selectLine', lines.length - 1);
    this.pending.set(this.sublistId(options, 'selectLine'), { line, values: { ...(lines[line] ?? {}) }, isNew });
    return this.expose();
  }

  private currentLine(o: unknown, method: string) {
    const id = this.sublistId(o, method);
    const pending = this.pending.get(id);
    if (!pending) {
      throw new SuiteScriptError('SSS_INVALID_SUBLIST_OPERATION', `Record.${method}: select a line of "${id}" first.`);
    }
    return pending;
  }

  private setCurrent(o: unknown): Record<string, unknown> {
    const options = opts(o, 'Record.setCurrentSublistValue');
    const fieldId = String(required(options, 'fieldId', 'Record.setCurrentSublistValue')).toLowerCase();
    this.currentLine(options, 'setCurrentSublistValue').values[fieldId] = options['value'] ?? null;
    return this.expose();
  }

  private getCurrent(o: unknown): unknown {
    const options = opts(o, 'Record.getCurrentSublistValue');
    const fieldId = String(required(options, 'fieldId', 'Record.getCurrentSublistValue')).toLowerCase();
    return this.backing.present(fieldId, this.currentLine(options, 'getCurrentSublistValue').values[fieldId]);
  }

  private commitLine(o: unknown): Record<string, unknown> {
    const pending = this.currentLine(o, 'commitLine');
    const lines = this.lines(o, 'commitLine');
    if (pending.isNew) lines.push(pending.values);
    else lines[pending.line] = pending.values;
    this.pending.delete(this.sublistId(o, 'commitLine'));
    return this.expose();
  }

  private save(): number {
    const { backing } = this;
    requireLevel(backing, this.id === null ? 'CREATE' : 'EDIT');
    this.ctx.meter.consume(UNIT_COSTS.recordSave[backing.costClass]);
    if (this.id === null) this.id = backing.insert(this.current);
    else backing.update(this.id, this.original, this.current);
    return this.id;
  }
}
