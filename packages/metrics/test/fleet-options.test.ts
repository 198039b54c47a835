import t from 'tap'
import { createMetrics } from '../src/create-metrics.js'

t.test('every fleet option rejects bad values with a TypeError naming it', async t => {
  const cases: Array<[unknown, RegExp]> = [
    ['http://prometheus:9090', /option "fleet" must be an object/],
    [{}, /option "fleet\.url" must be the http\(s\) URL/],
    [{ url: 'prometheus:9090' }, /option "fleet\.url" must use http or https/],
    [{ url: 'not a url' }, /option "fleet\.url" must be the http\(s\) URL/],
    [{ url: 'ftp://prometheus' }, /option "fleet\.url" must use http or https/],
    [{ url: 'http://user:pw@prometheus:9090' }, /option "fleet\.url" must not carry credentials; pass them in "fleet\.headers"/],
    [{ url: 'http://prometheus:9090/?x=1' }, /option "fleet\.url" must have no query/],
    [{ url: 'http://p', headers: 'Bearer x' }, /option "fleet\.headers" must be an object/],
    [{ url: 'http://p', headers: { 'bad name': 'x' } }, /option "fleet\.headers" has an invalid header name "bad name"/],
    [{ url: 'http://p', headers: { authorization: 'a\r\nx-evil: 1' } }, /option "fleet\.headers\.authorization" must be a string without line breaks/],
    [{ url: 'http://p', headers: { authorization: 5 } }, /option "fleet\.headers\.authorization"/],
    [{ url: 'http://p', selector: '{job="users"}' }, /option "fleet\.selector" must be PromQL label matchers without braces/],
    [{ url: 'http://p', selector: 'job=users' }, /option "fleet\.selector"/],
    [{ url: 'http://p', selector: 'job="users"} or vector(1) or {a="' }, /option "fleet\.selector"/],
    [{ url: 'http://p', selector: 'job="a" or up' }, /option "fleet\.selector"/],
    [{ url: 'http://p', selector: 5 }, /option "fleet\.selector"/],
    [{ url: 'http://p', timeout: 0 }, /option "fleet\.timeout" must be an integer from 100 to 60000/],
    [{ url: 'http://p', timeout: '2s' }, /option "fleet\.timeout"/],
    [{ url: 'http://p', maxBytes: 10 }, /option "fleet\.maxBytes" must be an integer from 1024/],
    [{ url: 'http://p', maxSeries: 0 }, /option "fleet\.maxSeries"/],
    [{ url: 'http://p', maxSeries: 1.5 }, /option "fleet\.maxSeries"/],
    [{ url: 'http://p', retry: 10 }, /option "fleet\.retry"/],
    [{ url: 'http://p', logger: {} }, /option "fleet\.logger" must have a warn\(message\) method/],
    [{ url: 'http://p', logger: { warn () {}, info: 1 } }, /option "fleet\.logger"/],
    [{ url: 'http://prometheus:9090/api/v1' }, /option "fleet\.url" must be the base URL of Prometheus, without \/api\/v1/],
    [{ url: 'https://ops.example.com/prometheus/api/v1/' }, /option "fleet\.url" must be the base URL/],
    [{ url: 'http://p', headers: { authorization: 'Bearer €uro' } }, /option "fleet\.headers\.authorization" must be a string without line breaks or control characters, only Latin-1 characters/],
    [{ url: 'http://p', headers: { 'x-a': 'a\u0007b' } }, /option "fleet\.headers\.x-a" must be a string without line breaks or control characters, only Latin-1/],
    [{ url: 'http://p', selector: '__name__="up"' }, /option "fleet\.selector" must not match __name__/],
    [{ url: 'http://p', selector: 'job="a", __name__ =~ "errcodes_.*"' }, /option "fleet\.selector" must not match __name__/],
    [{ url: 'http://p', limit: 5 }, /^createMetrics: unknown option "fleet.limit" \(valid: url, headers/],
    [{ url: 'http://p', headers: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`x-h${i}`, 'v'])) }, /^createMetrics: option "fleet\.headers" has more than 50 headers$/]
  ]
  for (const [fleet, message] of cases) {
    t.throws(() => createMetrics({ fleet: fleet as never }), { name: 'TypeError', message }, JSON.stringify(fleet))
  }
  t.throws(() => createMetrics({ exemplars: 'yes' as never }), { name: 'TypeError', message: /option "exemplars" must be a boolean/ })
})

t.test('good fleet options are accepted as a user writes them', async t => {
  const metrics = createMetrics({
    fleet: { url: 'https://ops.example.com/prometheus/', headers: { Authorization: 'Bearer x', 'X-Scope-OrgID': 'team-a' }, selector: ' job="users", env=~"prod|canary", instance!="" ', timeout: 5000, maxBytes: 2 << 20, maxSeries: 200, retry: 30_000, logger: console }
  })
  t.ok(metrics.fleet)
  t.equal(createMetrics({ fleet: { url: 'http://127.0.0.1:9090', selector: 'job="a"' } }).fleet !== undefined, true)
  // Latin-1 values, a label value that merely mentions __name__, and a path that only contains "api".
  t.ok(createMetrics({ fleet: { url: 'http://p/api/v1x', headers: { 'x-note': 'café\tok' }, selector: 'note="__name__=x",job="a"' } }).fleet)
})
