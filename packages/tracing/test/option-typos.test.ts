import t from 'tap'
import { recordError } from '../src/index.js'
import { errors } from './fixtures/errors.js'
import { memoryTracing } from './fixtures/memory-tracing.js'

t.test('recordError refuses a misspelled option instead of ignoring it', async t => {
  const { tracing, spans } = memoryTracing()
  const span = tracing.tracer.startSpan('job')
  const error = errors.USER_NOT_FOUND.create({ userId: '42' })
  t.throws(() => recordError(span, error, { stauts: 500 } as never), { name: 'TypeError', message: /^recordError: unknown option "stauts"; did you mean "status"\?/ })
  recordError(span, error, { status: 503, recordClientErrors: false })
  span.end()
  const [recorded] = await spans()
  t.equal(recorded.attributes['errcodes.code'], 301)
  await tracing.shutdown()
})
