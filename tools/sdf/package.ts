/** Builds the deployable SDF zip offline: manifest.xml, deploy.xml and every file deploy.xml lists. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { deployPathMatches } from './deployPaths';
import { loadSdfProject, type SdfProject } from './project';

/** Fixed timestamp so the same project always yields the same bytes. */
const ZIP_MTIME = new Date(Date.UTC(2020, 0, 1));

/** Project-relative paths of what the zip holds, in deploy.xml order. */
export function packagedFiles(project: SdfProject): string[] {
  const files = ['manifest.xml', 'deploy.xml'];
  const candidates: Record<string, string[]> = { files: project.fileCabinetFiles, objects: project.objectFiles };
  for (const section of project.deploy.sections) {
    for (const deployPath of section.paths) {
      for (const file of candidates[section.kind] ?? []) {
        if (deployPathMatches(deployPath, file) && !files.includes(file)) files.push(file);
      }
    }
  }
  return files;
}

export function buildSdfZip(projectDir: string): { zip: Uint8Array; files: string[] } {
  const project = loadSdfProject(projectDir);
  const files = packagedFiles(project);
  const entries: Zippable = {};
  for (const file of files) {
    entries[file] = [new Uint8Array(readFileSync(path.join(project.dir, file))), { mtime: ZIP_MTIME }];
  }
  return { zip: zipSync(entries, { level: 9 }), files };
}
