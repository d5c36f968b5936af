import { ConfigurationError } from '../../client/src/errors';
import { missingPackageError, requireInstalled } from '../../client/src/cli/optionalPackages';

const notFound = (specifier: string): NodeJS.ErrnoException =>
  Object.assign(new Error(`Cannot find module '${specifier}'\nRequire stack:\n- /app/x.js`), { code: 'MODULE_NOT_FOUND' });

describe('requireInstalled (the CLI checks a command\'s optional packages before loading it)', () => {
  it('names every missing package, in order, and leaves out the installed ones', () => {
    let thrown: unknown;
    try {
      requireInstalled('suitebridge serve', ['sb-absent-one', 'commander', '@sb-absent/two']);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as ConfigurationError).message).toBe('suitebridge serve needs the optional packages sb-absent-one, @sb-absent/two, which are not installed.');
    expect((thrown as ConfigurationError).remedy).toBe('Install them next to suitebridge: npm install sb-absent-one @sb-absent/two');
  });

  it('passes when everything is installed', () => {
    expect(() => requireInstalled('suitebridge console', ['fastify', 'commander'])).not.toThrow();
  });
});

describe('missingPackageError (the CLI\'s safety net for an unchecked load)', () => {
  it('turns a missing package, or a file inside one, into a ConfigurationError naming the package', () => {
    expect(missingPackageError(notFound('pg'), 'suitebridge api-keys')).toMatchObject({ message: 'suitebridge api-keys needs the optional package pg, which is not installed.', remedy: 'Install it next to suitebridge: npm install pg' });
    expect(missingPackageError(notFound('@fastify/helmet/lib/x.js'))?.remedy).toBe('Install it next to suitebridge: npm install @fastify/helmet');
  });

  it('leaves relative and absolute paths (a broken installation) and other errors alone', () => {
    expect(missingPackageError(notFound('../../service/src/index'))).toBeUndefined();
    expect(missingPackageError(notFound('/opt/app/lib/x.js'))).toBeUndefined();
    expect(missingPackageError(new Error("Cannot find module 'pg'"))).toBeUndefined();
    expect(missingPackageError(undefined)).toBeUndefined();
  });
});
