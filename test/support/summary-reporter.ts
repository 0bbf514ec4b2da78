import type { Reporter, RunnerTask, RunnerTestFile } from 'vitest/node';

function count(tasks: RunnerTask[], totals: { passed: number; failed: number; skipped: number }): void {
  for (const task of tasks) {
    if (task.type === 'suite') {
      count(task.tasks, totals);
    } else if (task.mode === 'skip' || task.mode === 'todo') {
      totals.skipped += 1;
    } else if (task.result?.state === 'pass') {
      totals.passed += 1;
    } else if (task.result?.state === 'fail') {
      totals.failed += 1;
    }
  }
}

/** Prints the plain closing line CI reads: "tests: N passed, N failed, N skipped". */
export default class SummaryReporter implements Reporter {
  onFinished(files: RunnerTestFile[] = [], errors: unknown[] = []): void {
    const totals = { passed: 0, failed: 0, skipped: 0 };
    count(files, totals);
    const failed = totals.failed + (errors.length > 0 && totals.failed === 0 ? errors.length : 0);
    process.stdout.write(`\ntests: ${totals.passed} passed, ${failed} failed, ${totals.skipped} skipped\n`);
  }
}
