import type { ChildProcessWithoutNullStreams } from 'node:child_process';

/** Reads a child's stdout line by line; `next()` rejects with its stderr if it exits before the line comes. */
export function childLines(child: ChildProcessWithoutNullStreams): { next(): Promise<string> } {
  const lines: string[] = [];
  const waiters: Array<(line: string) => void> = [];
  let buffer = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    let index: number;
    while ((index = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, index);
      buffer = buffer.slice(index + 1);
      const waiter = waiters.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  return {
    next: () =>
      new Promise<string>((resolveLine, reject) => {
        const line = lines.shift();
        if (line !== undefined) return resolveLine(line);
        waiters.push(resolveLine);
        child.once('exit', (code) => setImmediate(() => reject(new Error(`child exited ${code}: ${stderr.slice(0, 2000)}`))));
      }),
  };
}
