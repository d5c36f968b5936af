import type { Command } from 'commander';
import { registerOnboardingCli } from '../../onboarding/cli';

/** Onboarding and tenant commands; `cert rotate` joins the `cert` command registered before this one. */
export function registerOnboardingCommands(program: Command): void {
  registerOnboardingCli(program);
}
