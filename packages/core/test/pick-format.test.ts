import t from 'tap'
import { pickFormat } from '../src/pick-format.js'

// [Accept, result when configured json, result when configured problem]
const table: Array<[unknown, 'json' | 'problem', 'json' | 'problem']> = [
  [undefined, 'json', 'problem'],
  ['', 'json', 'problem'],
  ['*/*', 'json', 'problem'],
  ['application/*', 'json', 'problem'],
  ['text/html', 'json', 'problem'],
  ['text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'json', 'problem'],
  ['application/json', 'json', 'json'],
  ['application/problem+json', 'problem', 'problem'],
  ['APPLICATION/PROBLEM+JSON', 'problem', 'problem'],
  [' application/problem+json ', 'problem', 'problem'],
  ['application/problem+json; charset=utf-8', 'problem', 'problem'],
  ['application/problem+json, application/json;q=0.9', 'problem', 'problem'],
  ['application/json, application/problem+json;q=0.5', 'json', 'json'],
  ['application/problem+json;q=0.5, application/json;q=0.5', 'problem', 'problem'],
  ['application/problem+json;q=0', 'json', 'json'],
  ['application/json;q=0, */*', 'problem', 'problem'],
  ['application/problem+json;q=0, application/json', 'json', 'json'],
  ['application/problem+json;q=abc', 'json', 'problem'],
  ['application/problem+json;q=2', 'json', 'problem'],
  ['application/problem+json;q=-1', 'json', 'problem'],
  ['application/problem+json;q=', 'json', 'problem'],
  [',,,;;;', 'json', 'problem'],
  ['garbage;;;q=abc,,,', 'json', 'problem'],
  [';q=0.5', 'json', 'problem'],
  ['application/problem+json\u0000', 'json', 'problem'],
  ['__proto__, constructor', 'json', 'problem'],
  [['application/problem+json'], 'json', 'problem'],
  [42, 'json', 'problem'],
  [null, 'json', 'problem'],
  [{ toString () { return 'application/problem+json' } }, 'json', 'problem']
]

t.test('pickFormat table', async t => {
  for (const [accept, json, problem] of table) {
    t.equal(pickFormat(accept, 'json'), json, `json ← ${JSON.stringify(accept)}`)
    t.equal(pickFormat(accept, 'problem'), problem, `problem ← ${JSON.stringify(accept)}`)
  }
  t.equal(pickFormat('application/problem+json'), 'problem', 'configured defaults to json')
  t.equal(pickFormat('text/html'), 'json')
})

t.test('hostile headers are bounded', async t => {
  const cases = [
    'application/json, '.repeat(5000) + 'application/problem+json',
    'a'.repeat(16 * 1024),
    ';'.repeat(16 * 1024),
    ' '.repeat(16 * 1024),
    'application/problem+json;q=0.1,'.repeat(3000),
    '*/*;' + 'q=1;'.repeat(5000)
  ]
  for (const accept of cases) {
    const start = performance.now()
    const result = pickFormat(accept, 'json')
    t.ok(result === 'json' || result === 'problem', 'a valid format')
    t.ok(performance.now() - start < 200, 'finishes quickly')
  }
  t.equal(pickFormat('application/json, '.repeat(5000) + 'application/problem+json'), 'json', 'ranges past the cap are ignored')
  t.equal(pickFormat(' '.repeat(2000) + 'application/problem+json'), 'json', 'past 1 KiB is ignored')
})

t.test('remembered answers stay per configured format and survive the memo filling up', async t => {
  // Second and third passes are answered from the memo; the reversed order asks problem first.
  for (let pass = 0; pass < 3; pass++) {
    for (const [accept, json, problem] of pass === 1 ? [...table].reverse() : table) {
      if (pass === 1) t.equal(pickFormat(accept, 'problem'), problem, `pass ${pass}: problem ← ${JSON.stringify(accept)}`)
      t.equal(pickFormat(accept, 'json'), json, `pass ${pass}: json ← ${JSON.stringify(accept)}`)
      if (pass !== 1) t.equal(pickFormat(accept, 'problem'), problem, `pass ${pass}: problem ← ${JSON.stringify(accept)}`)
    }
    // More distinct values than the memo holds, alternating answers.
    for (let i = 0; i < 1000; i++) {
      const accept = i % 2 === 0 ? `application/problem+json;v=${i}` : `text/html;v=${i}`
      t.equal(pickFormat(accept, 'json'), i % 2 === 0 ? 'problem' : 'json')
    }
  }
})
