import t from 'tap'
import { MAX_DEPTH, flatten, parseLocaleJson } from '../src/parse-locale-json.js'

const parse = (text: string): ReturnType<typeof parseLocaleJson> => parseLocaleJson(text, 'x.json')

t.test('nested objects flatten to dot keys; dotted keys are kept', async (t) => {
  const { messages, problems } = parse('{"errors":{"auth":{"required":"Login"},"a.b":"dotted"},"top":"T"}')
  t.same(problems, [])
  t.same(Object.fromEntries(messages), { 'errors.auth.required': 'Login', 'errors.a.b': 'dotted', top: 'T' })
})

t.test('prototype keys are rejected at any depth and never pollute', async (t) => {
  for (const text of [
    '{"__proto__":{"polluted":"yes"}}',
    '{"a":{"b":{"constructor":{"prototype":{"polluted":"yes"}}}}}',
    '{"a":{"prototype":"x"}}',
    '{"a.__proto__.polluted":"yes"}',
    '{"ok":"x","deep":{"deeper":{"__proto__":"x"}}}'
  ]) {
    const { messages, problems } = parse(text)
    t.ok(problems.some(p => p.severity === 'error' && /reserved/.test(p.problem)), text)
    t.notOk([...messages.keys()].some(k => /__proto__|constructor|prototype/.test(k)))
  }
  t.equal(({} as Record<string, unknown>).polluted, undefined, 'Object.prototype is clean')
})

t.test('collisions, duplicates and non-string leaves are reported', async (t) => {
  const collide = parse('{"a.b":"x","a":{"b":"y"}}')
  t.match(collide.problems, [{ severity: 'error', key: 'a.b', problem: /defined twice/ }])
  const dup = parse('{"a":"first","a":"second"}')
  t.match(dup.problems, [{ severity: 'error', problem: /duplicate key "a"/ }])
  t.equal(dup.messages.size, 0, 'a file with duplicates is rejected whole')
  const nested = parse('{"x":{"a":"1","b":{"c":"2"},"b":"3"}}')
  t.match(nested.problems, [{ problem: /duplicate key "b"/ }])
  const leaves = parse('{"n":42,"b":true,"z":null,"arr":["x"],"ok":"fine","empty":{}}')
  t.same(leaves.problems.map(p => p.key), ['n', 'b', 'z', 'arr'])
  t.match(leaves.problems[0], { problem: 'message must be a string (got number)' })
  t.same([...leaves.messages.keys()], ['ok'])
  t.same(parse('{"s":"\\"a\\":1, \\"a\\":2"}').problems, [], 'keys inside string values are not keys')
})

t.test('non-strict JSON: a BOM is fine, comments and trailing commas are not', async (t) => {
  t.same(Object.fromEntries(parse('\ufeff{"a":"b"}').messages), { a: 'b' })
  t.match(parse('{"a":"b",}').problems, [{ severity: 'error', problem: /invalid JSON/ }])
  t.match(parse('{ // c\n "a":"b"}').problems, [{ severity: 'error', problem: /comments and trailing commas/ }])
  t.match(parse('[]').problems, [{ problem: 'the file must hold one JSON object' }])
  t.match(parse('"str"').problems, [{ problem: 'the file must hold one JSON object' }])
  t.match(parse('').problems, [{ problem: /invalid JSON/ }])
})

t.test('deep nesting is refused without recursion', async (t) => {
  const deep = '{"a":'.repeat(10_000) + '"x"' + '}'.repeat(10_000)
  const r = parse(deep)
  t.match(r.problems, [{ severity: 'error', problem: `nested deeper than ${MAX_DEPTH} levels` }])
  const arrays = '['.repeat(100_000) + ']'.repeat(100_000)
  t.match(parse(arrays).problems, [{ problem: /nested deeper/ }])
  // In-memory objects skip the scanner: flatten itself is iterative and capped.
  let obj: Record<string, unknown> = { leaf: 'x' }
  for (let i = 0; i < 10_000; i++) obj = { a: obj }
  const problems: Array<{ problem: string }> = []
  const flat = flatten(obj, 'mem', problems as never)
  t.equal(flat.size, 0)
  t.match(problems, [{ problem: /nested deeper/ }])
  const cyclic: Record<string, unknown> = { m: 'x' }
  cyclic.self = cyclic
  const cp: Array<{ problem: string }> = []
  t.equal(flatten(cyclic, 'mem', cp as never).size, MAX_DEPTH, 'a cycle stops at the depth cap')
})
