import { ConfigurationError, RecordClient, RestletClient, resolveEndpoints } from '../../client/src';

// Validation happens before any request, so no transport or token provider is needed.
const options = { endpoints: resolveEndpoints('1234567'), http: undefined, auth: undefined } as never;

async function rejection(p: Promise<unknown>): Promise<ConfigurationError> {
  const err = await p.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ConfigurationError);
  return err as ConfigurationError;
}

describe('audit: resource clients with bad input', () => {
  it('a RESTlet body that cannot be JSON (circular) names the body', async () => {
    const body: Record<string, unknown> = { a: 1 };
    body.self = body;
    const err = await rejection(new RestletClient(options).post('customscript_x', 'customdeploy_x', body));
    expect(err.field).toBe('body');
    expect(err.remedy).toEqual(expect.any(String));
  });

  it('a RESTlet body with a BigInt names the body', async () => {
    const err = await rejection(new RestletClient(options).put('customscript_x', 'customdeploy_x', { n: 10n }));
    expect(err.field).toBe('body');
  });

  it.each([
    ['type', 'not a type!', 1],
    ['id', 'customer', 'abc'],
  ])('a record %s that is wrong gets a remedy', async (field, type, id) => {
    const err = await rejection(new RecordClient(options).get(type as string, id as string));
    expect(err.field).toBe(field);
    expect(err.remedy).toEqual(expect.any(String));
  });
});
