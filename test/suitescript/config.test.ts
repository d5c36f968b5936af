import { mockNetSuiteModules, scriptOnFreshAccount } from './helpers/fakeAccountScript';
import { COST, FakeNetSuite, thrownBy } from './helpers/fakeNetSuite';

mockNetSuiteModules();

interface ConfigScript {
  get: (params?: Record<string, unknown>) => { entries: Record<string, string> };
  put: (body?: unknown) => { created: string[]; updated: string[]; unchanged: string[] };
}

const CREATE = COST.customRecordCreate + COST.customRecordSave;

describe('sbr_rl_config (built AMD)', () => {
  let ns: FakeNetSuite;
  let config: ConfigScript;

  beforeEach(() => {
    ({ ns, script: config } = scriptOnFreshAccount<ConfigScript>('sbr_rl_config'));
  });

  it('exports GET and PUT only', () => {
    expect(Object.keys(config).sort()).toEqual(['get', 'put']);
  });

  describe('GET', () => {
    beforeEach(() => {
      ns.addConfig('app.mode', 'live');
      ns.addConfig('cert.max_active', '5');
      ns.addConfig('old.key', 'gone', 'T');
      ns.addConfig('empty.value', null);
    });

    it('returns every active entry (null CLOB values read as empty strings)', () => {
      expect(config.get({ script: '12', deploy: '1' })).toEqual({
        entries: { 'app.mode': 'live', 'cert.max_active': '5', 'empty.value': '' },
      });
      expect(ns.remaining).toBe(5000 - COST.runSuiteQL);
    });

    it('returns one entry by key, or none', () => {
      expect(config.get({ key: 'app.mode' })).toEqual({ entries: { 'app.mode': 'live' } });
      expect(config.get({ key: 'old.key' })).toEqual({ entries: {} });
      expect(config.get({ key: 'no.such' })).toEqual({ entries: {} });
    });

    it('treats an empty key parameter as absent', () => {
      expect(Object.keys(config.get({ key: '' }).entries)).toHaveLength(3);
    });

    it('keeps the oldest row when a key is duplicated', () => {
      ns.addConfig('app.mode', 'duplicate');
      expect(config.get({ key: 'app.mode' }).entries['app.mode']).toBe('live');
    });

    it.each(['App.Mode', '1abc', 'a b', 'a'.repeat(65), 'ключ'])('rejects the key %p naming the parameter', (key) => {
      const error = thrownBy(() => config.get({ key }));
      expect(error.name).toBe('SBR_INVALID_KEY');
      expect(error.message).toContain("URL parameter 'key'");
      expect(ns.query.runSuiteQL).not.toHaveBeenCalled();
    });
  });

  describe('PUT', () => {
    it('creates new entries and reports them', () => {
      const result = config.put({ entries: { 'app.mode': 'live', 'a.b-c_d': '' } });
      expect(result).toEqual({ created: ['app.mode', 'a.b-c_d'], updated: [], unchanged: [] });
      expect(ns.activeConfig()).toEqual({ 'app.mode': 'live', 'a.b-c_d': '' });
      expect(ns.remaining).toBe(5000 - COST.runSuiteQL - 2 * CREATE);
    });

    it('updates changed values, leaves equal ones, and is idempotent', () => {
      ns.addConfig('app.mode', 'test');
      ns.addConfig('cert.max_active', '5');
      expect(config.put({ entries: { 'app.mode': 'live', 'cert.max_active': '5', 'new.key': 'x' } })).toEqual({
        created: ['new.key'],
        updated: ['app.mode'],
        unchanged: ['cert.max_active'],
      });
      const before = ns.remaining;
      expect(config.put({ entries: { 'app.mode': 'live', 'cert.max_active': '5', 'new.key': 'x' } })).toEqual({
        created: [],
        updated: [],
        unchanged: ['app.mode', 'cert.max_active', 'new.key'],
      });
      expect(before - ns.remaining).toBe(COST.runSuiteQL);
      expect(ns.configRows).toHaveLength(3);
    });

    it('reactivates an inactive entry instead of creating a duplicate', () => {
      ns.addConfig('app.mode', 'live', 'T');
      expect(config.put({ entries: { 'app.mode': 'live' } })).toEqual({ created: [], updated: ['app.mode'], unchanged: [] });
      expect(ns.configRows).toEqual([expect.objectContaining({ key: 'app.mode', isinactive: 'F' })]);
      expect(ns.remaining).toBe(5000 - COST.runSuiteQL - COST.customRecordSubmitFields);
    });

    it('accepts an empty entries object and a JSON string body', () => {
      expect(config.put({ entries: {} })).toEqual({ created: [], updated: [], unchanged: [] });
      expect(config.put('{"entries":{"k":"v"}}')).toEqual({ created: ['k'], updated: [], unchanged: [] });
    });

    it('accepts values of exactly 4000 characters and 100 entries per call within governance', () => {
      const entries = Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`key.${i}`, 'v'.repeat(4000)]));
      expect(config.put({ entries }).created).toHaveLength(100);
      expect(5000 - ns.remaining).toBe(COST.runSuiteQL + 100 * CREATE);
    });

    it.each([
      ['a non-JSON string', 'entries', 'SBR_INVALID_BODY', /not valid JSON/],
      ['an array body', [], 'SBR_INVALID_BODY', /JSON object/],
      ['no body', undefined, 'SBR_INVALID_BODY', /JSON object/],
      ['an unknown field', { entries: {}, mode: 'x' }, 'SBR_UNKNOWN_FIELD', /'mode'/],
      ['missing entries', {}, 'SBR_INVALID_ENTRIES', /'entries'/],
      ['entries as an array', { entries: [['k', 'v']] }, 'SBR_INVALID_ENTRIES', /'entries'/],
      ['entries as a string', { entries: 'k=v' }, 'SBR_INVALID_ENTRIES', /'entries'/],
      ['an upper-case key', { entries: { Bad: 'v' } }, 'SBR_INVALID_KEY', /entries key 'Bad'/],
      ['a key starting with a digit', { entries: { '9lives': 'v' } }, 'SBR_INVALID_KEY', /'9lives'/],
      ['a 65-character key', { entries: { ['k'.repeat(65)]: 'v' } }, 'SBR_INVALID_KEY', /entries key/],
      ['a numeric value', { entries: { k: 5 } }, 'SBR_INVALID_VALUE', /entries\["k"\] must be a string; got number/],
      ['a null value', { entries: { k: null } }, 'SBR_INVALID_VALUE', /entries\["k"\] must be a string; got null/],
      ['an object value', { entries: { k: { a: 1 } } }, 'SBR_INVALID_VALUE', /entries\["k"\]/],
      ['a 4001-character value', { entries: { k: 'v'.repeat(4001) } }, 'SBR_INVALID_VALUE', /entries\["k"\] is 4001 characters/],
      [
        '101 entries',
        { entries: Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, 'v'])) },
        'SBR_TOO_MANY_ENTRIES',
        /101 keys; send at most 100/,
      ],
    ])('rejects %s without writing anything', (_label, body, code, message) => {
      const error = thrownBy(() => config.put(body));
      expect(error.name).toBe(code);
      expect(error.message).toMatch(message);
      expect(ns.record.create).not.toHaveBeenCalled();
      expect(ns.record.submitFields).not.toHaveBeenCalled();
      expect(ns.remaining).toBe(5000);
    });

    it('validates every entry before writing any', () => {
      const error = thrownBy(() => config.put({ entries: { good: 'v', BAD: 'v' } }));
      expect(error.name).toBe('SBR_INVALID_KEY');
      expect(ns.configRows).toHaveLength(0);
    });

    it('reports a missing record type as SBR_INTERNAL, without platform details', () => {
      ns.missingTables.add('customrecord_sbr_config');
      const error = thrownBy(() => config.put({ entries: { k: 'v' } }));
      expect(error.name).toBe('SBR_INTERNAL');
      expect(error.message).not.toMatch(/Search error/);
    });
  });
});
