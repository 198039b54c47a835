import type { FastifyBaseLogger } from 'fastify'
import { maskedErrView } from './masked-err-view.js'

/**
 * Logs each kind of internal fault (a translator, recorder, tracer, logger or serializer that
 * throws) once per plugin instance, so a broken port cannot flood the logs at request rate.
 */
export class FaultLog {
  readonly #seen = new Map<string, number>()

  /** Reports a fault of `where`; only the first one of each kind is written. `outcome` says what the plugin did instead. */
  report (log: FastifyBaseLogger | undefined, where: string, fault: unknown, outcome = 'the response fell back safely'): void {
    const count = this.#seen.get(where)
    if (count !== undefined) {
      if (count < Number.MAX_SAFE_INTEGER) this.#seen.set(where, count + 1)
      return
    }
    if (this.#seen.size >= 64) return
    this.#seen.set(where, 1)
    try {
      log?.error({ err: maskedErrView(fault), errcodes_fault: where }, `@errcodes/fastify: ${where} failed; ${outcome} and later failures of ${where} are not logged`)
    } catch {
      // The logger itself is broken: nothing left to tell.
    }
  }

  /**
   * A port answered with a promise where none is expected (a sync port made async): its rejection is
   * reported here once instead of becoming an unhandled rejection; one that never settles costs nothing.
   */
  settle (log: FastifyBaseLogger | undefined, where: string, value: unknown): void {
    try {
      if (typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function') {
        (value as PromiseLike<unknown>).then(undefined, (fault: unknown) => this.report(log, where, fault))
      }
    } catch (fault) {
      this.report(log, where, fault)
    }
  }

  /** Calls a port method that answers nothing: a throw, or the rejection of a promise it returned, is reported. */
  call (log: FastifyBaseLogger | undefined, where: string, method: () => unknown): void {
    try {
      const result = method()
      if (result !== undefined) this.settle(log, where, result)
    } catch (fault) {
      this.report(log, where, fault)
    }
  }

  /** How many faults of `where` happened (logged or not). */
  count (where: string): number {
    return this.#seen.get(where) ?? 0
  }
}
