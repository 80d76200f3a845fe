// Prints the closing line CI reads: "N passed, N failed" (", N skipped" when any were skipped).
export default class CountReporter {
  onRunComplete(_contexts, results) {
    const skipped = results.numPendingTests + results.numTodoTests
    const failed = results.numFailedTests + results.numRuntimeErrorTestSuites
    let line = `${results.numPassedTests} passed, ${failed} failed`
    if (skipped > 0) line += `, ${skipped} skipped`
    process.stdout.write(`\n${line}\n`)
  }
}
