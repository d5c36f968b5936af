import { ConfigurationError } from '../errors';

/** Bad form input: shown back to the customer with the fix, status 400. */
export class ConsoleInputError extends ConfigurationError {
  constructor(message: string, remedy: string, field: string) {
    super('INVALID_ARGUMENT', message, { remedy, field });
  }
}
