/**
 * Typed access to the SDF object reference facts in tools/sdf/reference/*.json (one file per object type, plus the
 * manifest feature IDs and the role permission IDs). Each JSON file records the sources it was derived from.
 */
import bundleinstallationscript from './reference/bundleinstallationscript.json';
import customrecordtype from './reference/customrecordtype.json';
import fileAttributes from './reference/file-attributes.json';
import manifestFeatures from './reference/manifest-features.json';
import permissions from './reference/permissions.json';
import restlet from './reference/restlet.json';
import role from './reference/role.json';

export type ValueKind = 'text' | 'boolean' | 'enum' | 'multiselect' | 'filereference' | 'number';

/** A condition under which an element becomes required, read from the reference's "mandatory when" notes. */
export interface RequiredWhen {
  sibling: string;
  equals?: string[];
  notEquals?: string[];
  /** Required when the sibling is absent. */
  absent?: boolean;
}

export interface AttributeSpec {
  required?: boolean;
  maxLength?: number;
  pattern?: string;
  typePrefix?: string;
}

interface SpecBase {
  required?: boolean;
  requiredWhen?: RequiredWhen;
  /** Manifest feature the element depends on: declaring it (required true or false) is enough. */
  feature?: string;
  repeatable?: boolean;
  default?: string;
}

export interface ValueSpec extends SpecBase {
  kind: ValueKind;
  maxLength?: number;
  /** Allowed values, exact case. */
  values?: string[];
  /** Name of the reference's value list the values come from. */
  valueList?: string;
  /** Also accepts a `[scriptid=…]` reference to a custom object. */
  acceptsReferences?: boolean;
}

export interface StructureSpec extends SpecBase {
  kind: 'structure';
  attributes?: Record<string, AttributeSpec>;
  children?: Record<string, ElementSpec>;
  /** Allowed, but its content is not described in the data. */
  unchecked?: boolean;
}

export type ElementSpec = ValueSpec | StructureSpec;

export interface ObjectTypeReference {
  type: string;
  source: unknown;
  root: StructureSpec;
}

const OBJECT_TYPES: Readonly<Record<string, ObjectTypeReference>> = {
  role: role as ObjectTypeReference,
  restlet: restlet as ObjectTypeReference,
  bundleinstallationscript: bundleinstallationscript as ObjectTypeReference,
  customrecordtype: customrecordtype as ObjectTypeReference,
};

/** The reference data of an object type (by root element name); undefined for types the data does not cover. */
export function objectTypeReference(rootElement: string): ObjectTypeReference | undefined {
  return Object.prototype.hasOwnProperty.call(OBJECT_TYPES, rootElement) ? OBJECT_TYPES[rootElement] : undefined;
}

export const REFERENCED_OBJECT_TYPES: readonly string[] = Object.keys(OBJECT_TYPES);

/** Allowed content of a File Cabinet attribute file, by its root element (`file` or `folder`). */
export const FILE_ATTRIBUTES: Readonly<Record<'file' | 'folder', StructureSpec>> = {
  file: fileAttributes.file as StructureSpec,
  folder: fileAttributes.folder as StructureSpec,
};

export const MANIFEST_FEATURE_IDS: ReadonlySet<string> = new Set(manifestFeatures.features);

export const PERMISSION_IDS: ReadonlySet<string> = new Set(permissions.permissionIds);

export interface UncertainPermission {
  id: string;
  permission: string;
  why: string;
  confirm: string;
}

export const UNCERTAIN_PERMISSIONS: readonly UncertainPermission[] = permissions.uncertain;

/** `[scriptid=…]` (optionally with more `key=value` parts), the SDF syntax for a reference to a custom object. */
export function isObjectReference(value: string): boolean {
  return /^\[(?:[a-z]+=[^,\]]+,)*scriptid=[^\]]+\]$/i.test(value.trim());
}
