import { allowedCpus } from './pin-cpus.js'

/**
 * The end of a one-shot harness child (micro-benchmarks, memory run): sends its data, or why it failed,
 * with the CPUs it was allowed (where `--pin` put it), then lets the parent go.
 */
export function answerParent (work) {
  work.then(
    (data) => { process.send({ type: 'result', data, cpus: allowedCpus() }); process.disconnect() },
    (err) => { process.send({ type: 'failed', reason: String(err?.stack ?? err) }); process.disconnect() }
  )
}
