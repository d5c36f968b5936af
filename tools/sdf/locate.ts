/** Finding the source line of what a rule reports, for rules that work on the typed project model. */
import type { SdfObject } from './project';
import { childElement, type XmlElement } from './xml';

/** Every descendant element named `name`, in document order. */
export function descendants(root: XmlElement, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  const walk = (element: XmlElement) => {
    for (const child of element.children) {
      if (child.kind !== 'element') continue;
      if (child.name === name) out.push(child);
      walk(child);
    }
  };
  walk(root);
  return out;
}

/** Line of the element (the object's root or a nested one) whose scriptid is `scriptId` (any case). */
export function scriptIdLine(object: SdfObject, scriptId: string): number {
  const wanted = scriptId.toLowerCase();
  const search = (element: XmlElement): number | undefined => {
    if ((element.attributes['scriptid'] ?? '').toLowerCase() === wanted) return element.line;
    for (const child of element.children) {
      if (child.kind !== 'element') continue;
      const found = search(child);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return search(object.xml) ?? object.xml.line;
}

/** Line of a direct child of the object's root (e.g. scriptfile), else of the root. */
export function fieldLine(object: SdfObject, name: string): number {
  return childElement(object.xml, name)?.line ?? object.xml.line;
}

/** 1-based line of a character offset. */
export function lineAt(text: string, index: number): number {
  return index < 0 ? 1 : text.slice(0, index).split('\n').length;
}
