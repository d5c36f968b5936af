import type { Command } from 'commander';
import { registerEmulatorCommand } from './emulator';
import { registerTokenCommand } from './token';
import { registerCertCommand } from './cert';
import { registerOnboardingCommands } from './onboarding';
import { registerServeCommands } from './serve';
import { registerApiKeyCommands } from '../../../../service/src/api/keysCommand';

/** Each module adds its commands to the program. */
export const commandModules: ReadonlyArray<(program: Command) => void> = [
  registerEmulatorCommand,
  registerTokenCommand,
  registerCertCommand,
  registerOnboardingCommands,
  // After the onboarding commands: adds `tenants repair`, `cert list` and `cert revoke` to their groups.
  registerServeCommands,
  registerApiKeyCommands,
];
