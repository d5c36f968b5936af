/** Every element carrying a scriptid attribute (objects, deployments, fields, subtabs…), with where it is. */
import type { SdfObject } from './project';
import type { XmlElement } from './xml';

export interface ScriptIdElement {
  object: SdfObject;
  element: XmlElement;
  /** As written. */
  scriptId: string;
}

export function scriptIdElements(objects: readonly SdfObject[]): ScriptIdElement[] {
  const out: ScriptIdElement[] = [];
  for (const object of objects) {
    const walk = (element: XmlElement) => {
      const scriptId = element.attributes['scriptid'];
      if (scriptId !== undefined) out.push({ object, element, scriptId });
      for (const child of element.children) if (child.kind === 'element') walk(child);
    };
    walk(object.xml);
  }
  return out;
}
