// The shape Sentry's SDK parses (`protocol://publicKey[:secret]@host[:port]/[path/]projectId`), with
// nothing around it. A DSN the SDK cannot parse is printed whole by the SDK (`Invalid Sentry Dsn: …`),
// public key included, so anything looser (a space, a control character, a missing project id) is
// refused at start by whoever takes one, with a message that never quotes it.
const DSN = /^https?:\/\/\w+(?::\w*)?@[\w.-]+(?::\d{1,5})?\/(?:[\w.~%-]+\/)*\d+$/

/** True for a Sentry DSN of the strict shape the SDK accepts (http(s), public key, host, numeric project id). */
export function isSentryDsn (text: unknown): text is string {
  return typeof text === 'string' && text.length <= 2048 && DSN.test(text)
}
