import { attributeFileFor, attributeFiles } from '../fileAttributes';
import { fieldLine } from '../locate';
import { valueOf } from '../schemaWalk';
import { childElement } from '../xml';
import type { Finding, Rule } from './types';

export const bisBundleable: Rule = {
  id: 'bis-bundleable',
  summary: "a bundle installation script's file is Available for SuiteBundles (.attributes/<file>.attr.xml with bundleable T), or Bundle Builder leaves it out",
  check: ({ project }) => {
    const findings: Finding[] = [];
    const parsed = new Map(attributeFiles(project).map((a) => [a.file, a]));
    for (const script of project.bundleInstallationScripts) {
      if (!script.scriptFile) continue;
      const cabinetFile = `FileCabinet${script.scriptFile}`;
      const { file, exists } = attributeFileFor(project.dir, cabinetFile);
      const fix = `it needs ${file} holding <file><bundleable>T</bundleable></file>`;
      if (!exists) {
        findings.push({
          rule: 'bis-bundleable',
          file: script.file,
          line: fieldLine(script, 'scriptfile'),
          message: `${cabinetFile} is not marked Available for SuiteBundles, so Bundle Builder cannot include the installation script: ${fix}.`,
        });
        continue;
      }
      const xml = parsed.get(file)?.xml;
      if (!xml) continue; // unreadable: the file-attributes rule reports it
      const bundleable = childElement(xml, 'bundleable');
      if (!bundleable || valueOf(bundleable) !== 'T') {
        findings.push({
          rule: 'bis-bundleable',
          file,
          line: (bundleable ?? xml).line,
          message: `${cabinetFile} has bundleable ${bundleable ? valueOf(bundleable) : 'unset (default F)'}; a bundle installation script file must be Available for SuiteBundles: set <bundleable>T</bundleable>.`,
        });
      }
    }
    return findings;
  },
};
