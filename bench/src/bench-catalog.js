import { Type, defineErrors } from '@errcodes/core'

const definitions = {
  USER_NOT_FOUND: {
    code: 301,
    domain: 'RESOURCE',
    status: 404,
    message: 'User {userId} not found',
    params: Type.Object({ userId: Type.String() }),
    description: 'No user has this id.'
  }
}

/**
 * The one application error every error-path variant throws: a not-found with one param. Defined
 * without a `stackTraces` option, so under the harness's `NODE_ENV=production` a 404 captures no stack
 * (core's default policy), as in a user's production service.
 */
export const errors = defineErrors(definitions)

/** The same catalog keeping every stack (`stackTraces: 'all'`, the development policy): what the policy saves. */
export const errorsWithStacks = defineErrors(definitions, { stackTraces: 'all' })

/** Locale messages for the i18n variants and micro-benchmarks (in memory: no disk reads in the timings). */
export const messages = {
  en: { errors: { user_not_found: 'User {userId} not found' } },
  ko: { errors: { user_not_found: '사용자 {userId}을(를) 찾을 수 없습니다' } }
}

/** The request every variant answers with an error (404), and the one it answers with 200. */
export const PATHS = Object.freeze({ error: '/users/42', happy: '/ok/42' })

/** Status each path must answer with; anything else marks the measurement invalid. */
export const EXPECTED_STATUS = Object.freeze({ error: 404, happy: 200 })

/** Headers of every load request: a Korean browser. Sent to every variant so the wire work is equal. */
export const HEADERS = Object.freeze({ 'accept-language': 'ko-KR,ko;q=0.9,en-US;q=0.8,en;q=0.7', accept: 'application/json' })
