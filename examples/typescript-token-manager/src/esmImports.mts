// The same packages from an ES module: `import` resolves to the ESM entries and their .d.mts declarations.
import { MemoryTokenStore, TokenManager, type TokenKey } from 'suitebridge';
import { SqliteTokenStore } from 'suitebridge/sqlite';
import { startEmulator } from '@suitebridge/emulator';

const key: TokenKey = { tenant: 'acme', grant: 'client_credentials', scopes: ['restlets'] };
const manager = new TokenManager({ store: new MemoryTokenStore() });
const emulator = await startEmulator({ port: 0, quiet: true });
console.log(`ESM imports: TokenManager ${typeof manager.getAccessToken}, SqliteTokenStore ${typeof SqliteTokenStore}, key ${key.tenant}, emulator ${emulator.url.startsWith('http://127.0.0.1:') ? 'up' : 'down'}`);
await emulator.stop();
