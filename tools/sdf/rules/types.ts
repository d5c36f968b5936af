import type { SdfLoadProblem, SdfProject } from '../project';

/** An error fails validation; a warning is printed and does not. */
export type Severity = 'error' | 'warning';

export interface Finding {
  rule: string;
  /** Path relative to the project folder. */
  file: string;
  /** 1-based line in file of the element (or code) the finding is about; 1 when it is about the file as a whole. */
  line: number;
  /** Defaults to error. */
  severity?: Severity;
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
