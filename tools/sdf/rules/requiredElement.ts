import type { ElementSpec, StructureSpec } from '../referenceData';
import { valueOf, visitObjectElements } from '../schemaWalk';
import { childElement, childElements, type XmlElement } from '../xml';
import type { Finding, Rule } from './types';

function requiredHere(spec: ElementSpec, parent: XmlElement): string | undefined {
  if (spec.required) return 'required';
  const when = spec.requiredWhen;
  if (!when) return undefined;
  const sibling = childElement(parent, when.sibling);
  const value = sibling ? valueOf(sibling) : undefined;
  if (when.absent && sibling === undefined) return `required when <${when.sibling}> is absent`;
  if (when.equals && value !== undefined && when.equals.includes(value)) return `required when <${when.sibling}> is ${value}`;
  if (when.notEquals && value !== undefined && !when.notEquals.includes(value)) return `required when <${when.sibling}> is not ${when.notEquals.join('/')}`;
  return undefined;
}

export const requiredElement: Rule = {
  id: 'required-element',
  summary: 'every element and scriptid attribute the reference marks mandatory is present',
  check: ({ project }) => {
    const findings: Finding[] = [];
    for (const { element, spec, object, path } of visitObjectElements(project.objects)) {
      if (spec?.kind !== 'structure' || spec.unchecked) continue;
      const structure: StructureSpec = spec;
      for (const [name, childSpec] of Object.entries(structure.children ?? {})) {
        if (childElements(element, name).length > 0) continue;
        const why = requiredHere(childSpec, element);
        if (why) {
          findings.push({
            rule: 'required-element',
            file: object.file,
            line: element.line,
            message: `<${element.name}> (${path}) lacks <${name}>, which is ${why}. Add <${name}>…</${name}>.`,
          });
        }
      }
      // The root's scriptid is the object-file-name rule's concern.
      if (element === object.xml) continue;
      for (const [name, attribute] of Object.entries(structure.attributes ?? {})) {
        if (attribute.required && (element.attributes[name] ?? '') === '') {
          findings.push({
            rule: 'required-element',
            file: object.file,
            line: element.line,
            message: `<${element.name}> (${path}) lacks the ${name} attribute. Add ${name}="${attribute.typePrefix ?? ''}_…".`,
          });
        }
      }
    }
    return findings;
  },
};
