/** Locating a role's permissions and a custom record's permission list in the XML, with their lines. */
import { valueOf } from './schemaWalk';
import { childElement, childElements, type XmlElement } from './xml';

export interface PermissionEntry {
  /** permkey (role) or permittedrole (custom record), as written. */
  key: string;
  level: string;
  element: XmlElement;
}

function entries(root: XmlElement, keyName: string, levelName: string): PermissionEntry[] {
  const list = childElement(root, 'permissions');
  if (!list) return [];
  return childElements(list, 'permission').map((p) => {
    const key = childElement(p, keyName);
    const level = childElement(p, levelName);
    return { key: key ? valueOf(key) : '', level: level ? valueOf(level) : '', element: key ?? p };
  });
}

export function rolePermissionEntries(roleXml: XmlElement): PermissionEntry[] {
  return entries(roleXml, 'permkey', 'permlevel');
}

export function recordPermissionEntries(recordXml: XmlElement): PermissionEntry[] {
  return entries(recordXml, 'permittedrole', 'permittedlevel');
}
