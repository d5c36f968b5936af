import type { Command } from 'commander';
import { registerCalls, registerCertRotate } from './callsCommand';
import { registerConsole } from './consoleCommand';
import { registerDemo } from './demoCommand';
import { registerOnboard } from './onboardCommand';
import { registerTenants } from './tenantsCommand';

/** `onboard`, `tenants`, `cert rotate`, `restlet`, `suiteql`, `console`, `demo`. */
export function registerOnboardingCli(program: Command): void {
  registerOnboard(program);
  registerTenants(program);
  registerCertRotate(program);
  registerCalls(program);
  registerConsole(program);
  registerDemo(program);
}
