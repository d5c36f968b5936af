import type { OffsetClock } from './clock';
import type { ResolvedConfig } from './config/types';
import type { SqliteAccountDirectory } from './data/directory';
import type { SystemStore } from './data/systemStore';
import type { FaultState } from './faults/faultState';
import type { SigningKey } from './oauth/signingKey';
import type { TokenIssuer } from './oauth/tokenIssuer';
import type { ConcurrencyGate } from './resource/concurrency';
import type { RequestLog } from './requestLog';
import type { RestletSeam } from './restletSeam';
import type { SeedInfo } from './seed';

/** Everything the routes share; built once per emulator. */
export interface EmulatorServices {
  config: ResolvedConfig;
  clock: OffsetClock;
  store: SystemStore;
  directory: SqliteAccountDirectory;
  signingKey: SigningKey;
  issuer: TokenIssuer;
  faults: FaultState;
  concurrency: ConcurrencyGate;
  restlets: RestletSeam;
  /** Method, Host and path of recent NetSuite requests (`GET /__emulator/requests`). */
  requests: RequestLog;
  /** Base URL once listening (`http://127.0.0.1:<port>`). */
  baseUrl(): string;
  seed(): SeedInfo;
}
