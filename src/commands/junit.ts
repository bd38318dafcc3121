/** JUnit XML for `check --junit`, the format CI systems read. */
export interface CaseResult {
  readonly suite: string;
  readonly name: string;
  readonly failure: string | null;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function junitXml(results: readonly CaseResult[]): string {
  const suites = new Map<string, CaseResult[]>();
  for (const r of results) suites.set(r.suite, [...(suites.get(r.suite) ?? []), r]);
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="meshdbg check" tests="${results.length}" failures="${results.filter((r) => r.failure).length}">`,
  ];
  for (const [suite, cases] of suites) {
    out.push(
      `  <testsuite name="${esc(suite)}" tests="${cases.length}" failures="${cases.filter((c) => c.failure).length}">`,
    );
    for (const c of cases) {
      if (c.failure)
        out.push(
          `    <testcase classname="${esc(suite)}" name="${esc(c.name)}"><failure message="${esc(c.failure)}"/></testcase>`,
        );
      else out.push(`    <testcase classname="${esc(suite)}" name="${esc(c.name)}"/>`);
    }
    out.push('  </testsuite>');
  }
  out.push('</testsuites>');
  return `${out.join('\n')}\n`;
}
