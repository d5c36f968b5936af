import type { SdfLoadProblem, SdfProject } from '../project';

export interface Finding {
  rule: string;
  /** Path relative to the project folder. */
  file: string;
  message: string;
}

export interface RuleContext {
  project: SdfProject;
  loadProblems: SdfLoadProblem[];
  /** Project prefix after the type prefix, e.g. `sbr` → `customscript_sbr_…`. */
  prefix: string;
}

export interface Rule {
  id: string;
  summary: string;
  check(context: RuleContext): Finding[];
}
