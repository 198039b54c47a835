import { createHash, timingSafeEqual } from 'node:crypto'
import { rejectUnknownKeys } from './option-keys.js'

/** Options of createTokenCheck (and of @errcodes/fastify's createTokenGuard). */
export interface TokenCheckOptions {
  /** The secret, at least 16 characters (e.g. `process.env.OPS_TOKEN`). Required: there is no check without it. */
  readonly token: string | undefined
  /** With HTTP Basic, the user name that must come with the token. Default: any user name. */
  readonly username?: string
  /** The realm named in `WWW-Authenticate` (a browser shows it in its login prompt). Default `errcodes`. */
  readonly realm?: string
}

/** A compiled token check for the ops routes. */
export interface TokenCheck {
  /** True when an `Authorization` header value carries the token (Bearer, or Basic with it as password). */
  allows (authorization: unknown): boolean
  /** The `WWW-Authenticate` value of a 401: Basic first (browsers prompt for it), then Bearer. */
  readonly challenge: string
}

const KNOWN: ReadonlyArray<keyof TokenCheckOptions> = ['token', 'username', 'realm']
// Shorter secrets can be guessed over the network; "undefined"/"null" are what a missing variable
// becomes inside a template string, the fail-open the security review found.
const MIN_TOKEN = 16
// (`${A}${B}` with both unset is `undefinedundefined`.)
const PLACEHOLDERS = /^(?:undefined|null|false|true|none|nan)+$/i
const REALM = /^[\x20-\x21\x23-\x5b\x5d-\x7e]{1,64}$/
// Far longer than any Bearer or Basic value a client sends; longer ones are refused unread.
const MAX_AUTHORIZATION = 4096

/**
 * Checks `Authorization` headers against a secret for the ops routes (metrics, dashboard). Refuses to
 * be created without a real secret (a `TypeError` naming the option); accepts `Bearer <token>` and
 * HTTP Basic with the token as password, so a browser can open a guarded page; compares SHA-256
 * digests in constant time, so neither the secret's length nor a matching prefix shows in timing.
 */
export function createTokenCheck (options: TokenCheckOptions): TokenCheck {
  if (options === null || typeof options !== 'object') {
    throw new TypeError('createTokenCheck: the token guard needs an options object with "token"')
  }
  rejectUnknownKeys('createTokenCheck', options, KNOWN)
  const { token, username, realm = 'errcodes' } = options
  if (typeof token !== 'string' || token.trim().length < MIN_TOKEN || PLACEHOLDERS.test(token.trim())) {
    throw new TypeError(`createTokenCheck: option "token" must be a secret of at least ${MIN_TOKEN} characters (got ${describe(token)}); the guarded routes are not started without it`)
  }
  // A token a header can never carry (a newline read from a secret file, spaces around it, control
  // characters) would shut everyone out silently: refuse it at start instead.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new TypeError('createTokenCheck: option "token" must be printable ASCII without spaces (a header cannot carry it otherwise; a trailing newline from a secret file is the usual cause)')
  }
  if (new Set(token).size < 4) {
    throw new TypeError('createTokenCheck: option "token" must not repeat one or a few characters; use a random secret such as `openssl rand -hex 24`')
  }
  if (username !== undefined && (typeof username !== 'string' || username === '' || username.includes(':'))) {
    throw new TypeError('createTokenCheck: option "username" must be a non-empty string without ":"')
  }
  if (typeof realm !== 'string' || !REALM.test(realm)) {
    throw new TypeError('createTokenCheck: option "realm" must be 1-64 printable ASCII characters without quotes or backslashes')
  }
  const wanted = digest(token)
  const wantedUser = username === undefined ? undefined : digest(username)

  return {
    challenge: `Basic realm="${realm}", charset="UTF-8", Bearer realm="${realm}"`,
    allows (authorization: unknown): boolean {
      if (typeof authorization !== 'string' || authorization.length > MAX_AUTHORIZATION) return false
      const space = authorization.indexOf(' ')
      if (space === -1) return false
      const scheme = authorization.slice(0, space).toLowerCase()
      const value = authorization.slice(space + 1).trim()
      if (scheme === 'bearer') return timingSafeEqual(digest(value), wanted)
      if (scheme !== 'basic') return false
      const decoded = Buffer.from(value, 'base64').toString('utf8')
      const colon = decoded.indexOf(':')
      if (colon === -1) return false
      // Both comparisons always run, so the time does not tell which part was wrong.
      const userOk = wantedUser === undefined || timingSafeEqual(digest(decoded.slice(0, colon)), wantedUser)
      const tokenOk = timingSafeEqual(digest(decoded.slice(colon + 1)), wanted)
      return userOk && tokenOk
    }
  }
}

// Digests have one length whatever was sent, so timingSafeEqual never sees different lengths.
function digest (text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

function describe (value: unknown): string {
  if (typeof value !== 'string') return value === null ? 'null' : typeof value
  return value.trim() === '' ? 'an empty string' : `${value.trim().length} characters`
}
