import { types } from 'node:util'
import { isErrorLike } from '@errcodes/core'

/** The exception type of the event for a thrown value that is not an error (`throw undefined`, `throw 'text'`). */
export const NON_ERROR_TYPE = 'NonErrorThrown'

/** How many frames of the stack make an unknown error's key. */
export const KEY_FRAMES = 5

/**
 * The rate-limit key of an unknown error: its type and its top KEY_FRAMES frames (`file:line:col`,
 * in-app or not), close to Sentry's default grouping (type and frames). Two bugs thrown through one
 * helper (`function fail (m) { throw new Error(m) }` called from two places) differ below the helper's
 * frame, so they are two keys, capped separately; the same bug thrown again is the same key, whatever
 * its message says (a driver's message quoting user input does not make a new key per request). Only a
 * value without any frame is keyed by the shape of its message. Computed from the thrown value, so the
 * reporter and the processor (for errors Sentry's own integration captured) agree on it. A thrown
 * non-error has no frames: its kind and the route (when given) are its key.
 */
export function unknownKeyOf (thrown: unknown, route?: string): string {
  try {
    if (typeof thrown === 'object' && thrown !== null && !types.isProxy(thrown) && isErrorLike(thrown)) {
      const e = thrown as { name?: unknown, message?: unknown, stack?: unknown }
      const type = String(e.name).slice(0, 64)
      const frames = typeof e.stack === 'string' ? topFrames(e.stack) : ''
      return frames !== '' ? `${type}@${frames}` : `${type}:${shapeOf(String(e.message))}`
    }
  } catch {}
  return `${NON_ERROR_TYPE}:${kindOf(thrown)}:${route ?? ''}`
}

/** `undefined`, `null`, `string`, `object`, ...: what was thrown, for a value that is not an error. */
export function kindOf (thrown: unknown): string {
  return thrown === null ? 'null' : typeof thrown
}

/**
 * The stand-in sent for a thrown value that is not a usable error: always the same shape, an
 * exception of type `NonErrorThrown` whose value says what was thrown (`undefined was thrown`,
 * `a string was thrown: <text>`), without frames (a primitive has no stack; frames of the reporter
 * would point at the wrong place). It is grouped per kind and route (see the reporter's fingerprint).
 */
export function nonErrorOf (thrown: unknown): Error {
  const kind = kindOf(thrown)
  let message: string
  if (thrown === undefined || thrown === null) message = `${kind} was thrown`
  else if (kind === 'string' || kind === 'number' || kind === 'boolean' || kind === 'bigint') message = `${article(kind)} ${kind} was thrown: ${String(thrown as string).slice(0, 1024)}`
  else message = `${article(kind)} ${kind} was thrown`
  const standIn = new Error(message)
  standIn.name = NON_ERROR_TYPE
  standIn.stack = `${NON_ERROR_TYPE}: ${message}`
  return standIn
}

function article (kind: string): string {
  return kind === 'object' ? 'an' : 'a'
}

function topFrames (stack: string): string {
  const frames: string[] = []
  let at = stack.indexOf('\n    at ')
  for (let seen = 0; at !== -1 && seen < 50 && frames.length < KEY_FRAMES; seen++) {
    const end = stack.indexOf('\n', at + 1)
    const line = stack.slice(at + 8, end === -1 ? stack.length : end)
    // A frame with a location: `fn (file:line:col)` or a bare `file:line:col`; the location alone.
    if (/:\d+:\d+\)?$/.test(line)) {
      const open = line.lastIndexOf('(')
      frames.push((line.endsWith(')') && open !== -1 ? line.slice(open + 1, -1) : line).slice(-200))
    }
    at = end === -1 ? -1 : stack.indexOf('\n    at ', end)
  }
  return frames.join('|')
}

function shapeOf (message: string): string {
  // Ids and counts vary between occurrences of one bug: digits are not part of its shape.
  return message.slice(0, 128).replace(/\d+/g, '#')
}
