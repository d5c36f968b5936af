/** One request as the emulator served it: which Host it came to (tests prove the client picked the right host). */
export interface ServedRequest {
  at: string;
  method: string;
  host: string;
  path: string;
  status: number;
}

const CAPACITY = 500;

/** The last few hundred NetSuite requests (admin API excluded), oldest first; never holds headers or bodies. */
export class RequestLog {
  private readonly entries: ServedRequest[] = [];

  add(entry: ServedRequest): void {
    this.entries.push(entry);
    if (this.entries.length > CAPACITY) this.entries.shift();
  }

  list(): ServedRequest[] {
    return [...this.entries];
  }
}
