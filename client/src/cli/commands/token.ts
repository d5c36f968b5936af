import type { Command } from 'commander';

// Placeholder so the program builds while this command is written; replaced by its owner.
export function registerTokenCommand(_program: Command): void {}
