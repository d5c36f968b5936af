/**
 * Walks an object's XML alongside its reference data. Rules that check elements (unknown, required, enum, T/F,
 * length, feature) share this walk so they agree on what each element is.
 */
import { objectTypeReference, type ElementSpec, type StructureSpec } from './referenceData';
import type { SdfObject } from './project';
import { childElements, type XmlElement } from './xml';

export interface ElementVisit {
  object: SdfObject;
  element: XmlElement;
  /** `restlet > scriptdeployments > scriptdeployment > status` */
  path: string;
  /** undefined when the parent does not allow this element. */
  spec: ElementSpec | undefined;
  parent: XmlElement | undefined;
  parentSpec: StructureSpec | undefined;
}

/** Every element of every object whose type the reference data covers, in document order. */
export function visitObjectElements(objects: readonly SdfObject[]): ElementVisit[] {
  const visits: ElementVisit[] = [];
  for (const object of objects) {
    const reference = objectTypeReference(object.xml.name);
    if (!reference) continue;
    const walk = (element: XmlElement, spec: ElementSpec | undefined, path: string, parent?: XmlElement, parentSpec?: StructureSpec) => {
      visits.push({ object, element, path, spec, parent, parentSpec });
      if (spec?.kind !== 'structure' || spec.unchecked) return;
      for (const child of childElements(element)) {
        walk(child, spec.children?.[child.name], `${path} > ${child.name}`, element, spec);
      }
    };
    walk(object.xml, reference.root, object.xml.name);
  }
  return visits;
}

/** The element's own text (its text children, trimmed). */
export function valueOf(element: XmlElement): string {
  return element.children
    .map((c) => (c.kind === 'text' ? c.text : ''))
    .join('')
    .trim();
}
