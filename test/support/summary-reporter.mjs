// Prints the closing `N passed, N failed` line; a test file that fails to load or errors counts as one failure.
function count(suite, acc) {
  if (!suite) return acc;
  for (const t of suite.tests ?? []) {
    if (t.skipped) acc.skipped++;
    else if (t.passed) acc.passed++;
    else acc.failed++;
  }
  for (const s of suite.suites ?? []) count(s, acc);
  return acc;
}

export function summaryReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const acc = { passed: 0, failed: 0, skipped: 0 };
      for (const s of sessions) {
        const before = acc.passed + acc.failed + acc.skipped;
        count(s.testResults, acc);
        const ran = acc.passed + acc.failed + acc.skipped - before;
        if ((s.errors?.length ?? 0) > 0 || (!s.passed && ran === 0)) acc.failed++;
      }
      const line = `${acc.passed} passed, ${acc.failed} failed${acc.skipped ? `, ${acc.skipped} skipped` : ''}`;
      // The default reporter keeps drawing until the process ends; print ours after everything else.
      process.once('exit', () => process.stdout.write(`\n${line}\n`));
    },
  };
}
