import { scriptIdLine } from '../locate';
import type { SdfObject } from '../project';
import type { Finding, Rule, RuleContext } from './types';

/** SDF limits script IDs (prefix included) to 40 characters. */
export const MAX_SCRIPT_ID_LENGTH = 40;

const TYPE_PREFIX: Record<string, string> = {
  role: 'customrole_',
  customrecordtype: 'customrecord_',
  restlet: 'customscript_',
  bundleinstallationscript: 'customscript_',
};

interface NamedId {
  id: string;
  typePrefix: string;
  what: string;
}

function idsOf(object: SdfObject): NamedId[] {
  const own = { id: object.scriptId, typePrefix: TYPE_PREFIX[object.rootElement] ?? '', what: `<${object.rootElement}>` };
  switch (object.type) {
    case 'customrecordtype':
      return [own, ...object.fields.map((f) => ({ id: f.scriptId, typePrefix: 'custrecord_', what: 'custom field' }))];
    case 'restlet':
    case 'bundleinstallationscript':
      return [own, ...object.deployments.map((d) => ({ id: d.scriptId, typePrefix: 'customdeploy_', what: 'deployment' }))];
    default:
      return [own];
  }
}

function check(context: RuleContext, rule: 'id-prefix' | 'id-length'): Finding[] {
  const findings: Finding[] = [];
  for (const object of context.project.objects) {
    for (const { id, typePrefix, what } of idsOf(object)) {
      if (rule === 'id-prefix' && typePrefix) {
        const expected = `${typePrefix}${context.prefix}_`;
        if (!id.startsWith(expected)) {
          findings.push({ rule, file: object.file, line: scriptIdLine(object, id), message: `${what} ID "${id}" must start with "${expected}" (type prefix + project prefix).` });
        }
      }
      if (rule === 'id-length' && id.length > MAX_SCRIPT_ID_LENGTH) {
        findings.push({ rule, file: object.file, line: scriptIdLine(object, id), message: `${what} ID "${id}" is ${id.length} characters; SDF allows at most ${MAX_SCRIPT_ID_LENGTH}.` });
      }
    }
  }
  return findings;
}

export const idPrefix: Rule = {
  id: 'id-prefix',
  summary: 'object, field and deployment IDs use their type prefix and the project prefix',
  check: (context) => check(context, 'id-prefix'),
};

export const idLength: Rule = {
  id: 'id-length',
  summary: `script IDs are at most ${MAX_SCRIPT_ID_LENGTH} characters`,
  check: (context) => check(context, 'id-length'),
};
