// Prints how many tests each part of the repository ran, then one plain closing line that CI can read.
class PartSummaryReporter {
  onRunComplete(_contexts, results) {
    const parts = new Map();
    for (const file of results.testResults) {
      const name = typeof file.displayName === 'object' && file.displayName ? file.displayName.name : file.displayName || 'default';
      const part = parts.get(name) || { passed: 0, failed: 0, skipped: 0, files: 0 };
      part.passed += file.numPassingTests;
      part.failed += file.numFailingTests + (file.testExecError ? 1 : 0);
      part.skipped += file.numPendingTests + file.numTodoTests;
      part.files += 1;
      parts.set(name, part);
    }
    const lines = ['', 'Tests by part:'];
    for (const [name, p] of [...parts.entries()].sort()) {
      lines.push(`  ${name.padEnd(12)} ${String(p.files).padStart(3)} files  ${String(p.passed).padStart(4)} passed  ${p.failed} failed  ${p.skipped} skipped`);
    }
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
    const skipped = results.numPendingTests + results.numTodoTests;
    lines.push('', `${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
    process.stdout.write(lines.join('\n') + '\n');
  }
}
module.exports = PartSummaryReporter;
