// Counts a cache-tests results file the way cache-tests.fyi does
// (determineTestResult, honouring depends_on), per kind of test.
//
//	node summarize.mjs <cache-tests checkout> <results.json> [--fails]
//
// A test whose prerequisite failed is a dependency failure, one that could
// not be set up a setup failure; an exception that is neither an assertion
// nor a setup error counts as harness_fail. "untested" are the browser-only
// tests, which the command-line client does not run.
import fs from 'fs'
import path from 'path'

const [dir, file] = process.argv.slice(2)
if (!dir || !file) {
  console.error('usage: node summarize.mjs <cache-tests checkout> <results.json> [--fails]')
  process.exit(2)
}
const { default: tests } = await import(path.resolve(dir, 'tests/index.mjs'))
const results = JSON.parse(fs.readFileSync(file, 'utf8'))
const byId = {}
for (const s of tests) for (const t of s.tests) byId[t.id] = { ...t, suite: s.id }

function classify (id) {
  const t = byId[id]
  const r = results[id]
  if (r === undefined) return 'untested'
  for (const d of t.depends_on || []) {
    const c = classify(d)
    if (!(c === 'pass' || c === 'yes')) return 'dependency_fail'
  }
  if (r !== true && r[0] === 'Setup') return r[1] === 'retry' ? 'retry' : 'setup_fail'
  if (r !== true && r[0] !== 'Assertion') return 'harness_fail'
  const kind = t.kind || 'required'
  if (kind === 'required') return r === true ? 'pass' : 'fail'
  if (kind === 'optimal') return r === true ? 'pass' : 'optional_fail'
  return r === true ? 'yes' : 'no'
}

const counts = {}
const fails = []
for (const id of Object.keys(byId)) {
  const kind = byId[id].kind || 'required'
  const c = classify(id)
  counts[kind] = counts[kind] || {}
  counts[kind][c] = (counts[kind][c] || 0) + 1
  if (!['pass', 'yes', 'no', 'untested'].includes(c)) fails.push(`[${c}] ${kind} ${id}: ${byId[id].name}\n      -> ${JSON.stringify(results[id])}`)
}
for (const k of ['required', 'optimal', 'check']) console.log(`${k.padEnd(9)} ${JSON.stringify(counts[k])}`)
if (process.argv.includes('--fails')) console.log(fails.join('\n'))
