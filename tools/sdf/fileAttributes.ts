/**
 * SDF File Cabinet attribute files: `<folder>/.attributes/<file>.attr.xml` describes `<folder>/<file>`, and
 * `<folder>/.attributes/.folder.attr.xml` describes `<folder>` itself.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SdfProject } from './project';
import { parseXml, type XmlElement, XmlSyntaxError } from './xml';

export const ATTRIBUTES_FOLDER = '.attributes';
const FOLDER_SUFFIX = '.folder.attr.xml';
const FILE_SUFFIX = '.attr.xml';

export interface AttributeFile {
  /** Relative to the project, e.g. `FileCabinet/SuiteScripts/app/.attributes/x.js.attr.xml`. */
  file: string;
  /** What it describes, relative to the project. */
  target: string;
  expectedRoot: 'file' | 'folder';
  xml?: XmlElement;
  syntaxError?: XmlSyntaxError;
}

export function attributeFiles(project: SdfProject): AttributeFile[] {
  return project.fileCabinetFiles
    .filter((f) => path.posix.basename(path.posix.dirname(f)) === ATTRIBUTES_FOLDER && f.endsWith(FILE_SUFFIX))
    .map((file) => {
      const folder = path.posix.dirname(path.posix.dirname(file));
      const name = path.posix.basename(file);
      const isFolder = name === FOLDER_SUFFIX.slice(1) || name.endsWith(FOLDER_SUFFIX);
      const target = isFolder ? folder : `${folder}/${name.slice(0, -FILE_SUFFIX.length)}`;
      const entry: AttributeFile = { file, target, expectedRoot: isFolder ? 'folder' : 'file' };
      try {
        entry.xml = parseXml(readFileSync(path.join(project.dir, file), 'utf8'));
      } catch (e) {
        if (!(e instanceof XmlSyntaxError)) throw e;
        entry.syntaxError = e;
      }
      return entry;
    });
}

/** The attribute file that would describe a File Cabinet file (relative path), whether or not it exists. */
export function attributeFileFor(projectDir: string, cabinetFile: string): { file: string; exists: boolean } {
  const file = `${path.posix.dirname(cabinetFile)}/${ATTRIBUTES_FOLDER}/${path.posix.basename(cabinetFile)}${FILE_SUFFIX}`;
  return { file, exists: existsSync(path.join(projectDir, file)) };
}
