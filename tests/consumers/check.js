// tests/consumers/check.js JUNIT RESULTS_JSON -- reads a JUnit file with the
// parsers CI users rely on (test-results-parser, as used by testbeats and
// many GitHub/GitLab reporters; junit2json) and fails unless each of them
// counts what apiconform's own JSON results say: passed, failed, errors and
// skipped. Known failures of a baseline are passing test cases in JUnit.
'use strict';
const fs = require('fs');
const trp = require('test-results-parser');
const { parse: junit2json } = require('junit2json');

async function main() {
  const [junit, results] = process.argv.slice(2);
  const s = JSON.parse(fs.readFileSync(results, 'utf8')).summary;
  const want = {
    passed: s.passed + s.known,
    failed: s.failed - s.known,
    errors: s.errors,
    skipped: s.skipped,
  };
  const problems = [];

  const r = trp.parse({ type: 'junit', files: [junit] });
  // test-results-parser's total leaves skipped tests out.
  const got1 = { passed: r.passed, failed: r.failed, errors: r.errors, skipped: r.skipped };
  for (const k of Object.keys(want))
    if (got1[k] !== want[k])
      problems.push(`test-results-parser: ${k} = ${got1[k]}, expected ${want[k]}`);
  if (r.total !== want.passed + want.failed + want.errors)
    problems.push(`test-results-parser: total = ${r.total}, expected ${want.passed + want.failed + want.errors}`);

  const j = await junit2json(fs.readFileSync(junit, 'utf8'));
  const sum = { tests: 0, failures: 0, errors: 0, skipped: 0 };
  for (const suite of j.testsuite || [])
    for (const k of Object.keys(sum)) sum[k] += suite[k] || 0;
  const got2 = { passed: sum.tests - sum.failures - sum.errors - sum.skipped, failed: sum.failures,
                 errors: sum.errors, skipped: sum.skipped };
  for (const k of Object.keys(want))
    if (got2[k] !== want[k]) problems.push(`junit2json: ${k} = ${got2[k]}, expected ${want[k]}`);

  if (problems.length) {
    console.error(`${junit}:\n  ` + problems.join('\n  '));
    process.exit(1);
  }
  console.log(`${junit}: both parsers count ${JSON.stringify(want)}`);
}
main().catch(e => { console.error(`${process.argv[2]}: ${e.message}`); process.exit(1); });
