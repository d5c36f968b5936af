import type { Command } from 'commander';
import { registerEmulatorCommand } from './emulator';
import { registerTokenCommand } from './token';
import { registerCertCommand } from './cert';
import { registerOnboardingCommands } from './onboarding';

/** Each module adds its commands to the program. */
export const commandModules: ReadonlyArray<(program: Command) => void> = [
  registerEmulatorCommand,
  registerTokenCommand,
  registerCertCommand,
  registerOnboardingCommands,
];
