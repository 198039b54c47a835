import t from 'tap'
import { DiagLogLevel, diag, trace } from '@opentelemetry/api'
import { hasContextManager } from '../src/ensure-context-manager.js'
import { errors } from './fixtures/errors.js'
import { memoryTracing } from './fixtures/memory-tracing.js'

// Runs in its own process (tap forks per file), so the global context API starts empty here.
const diagErrors: string[] = []
diag.setLogger({ error: m => diagErrors.push(m), warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.ERROR)

t.test('contextManager: false touches no global; the error path still works', async t => {
  t.equal(hasContextManager(), false, 'a fresh process has no working context manager')
  const { tracing, spans } = memoryTracing({ contextManager: false })
  t.equal(tracing.contextPropagation, false)
  t.equal(hasContextManager(), false, 'still none')
  const scope = tracing.startRequest({ method: 'GET', path: '/', route: '/', headers: {} })!
  let active: unknown = 'unset'
  tracing.withScope(scope, () => { active = trace.getActiveSpan() })
  t.equal(active, undefined, 'without a manager handlers cannot see the span')
  tracing.recordError(scope, errors.DB_DOWN.create({ host: 'h', email: 'e' }), 503)
  tracing.finishRequest(scope, 503, '/')
  const [span] = await spans()
  t.equal(span.attributes['errcodes.code'], 501, 'the scope carries the span, not the context')
})

t.test('the default registers an AsyncLocalStorage manager once, only when none works', async t => {
  const first = memoryTracing()
  t.equal(first.tracing.contextPropagation, true)
  t.equal(hasContextManager(), true)
  const second = memoryTracing()
  t.equal(second.tracing.contextPropagation, true)
  t.same(diagErrors, [], 'no duplicate registration attempted')
  const scope = second.tracing.startRequest({ method: 'GET', path: '/', headers: {} })!
  second.tracing.withScope(scope, () => {
    t.equal(trace.getActiveSpan()?.spanContext().spanId, scope.spanId)
  })
  second.tracing.finishRequest(scope, 200, undefined)
})
