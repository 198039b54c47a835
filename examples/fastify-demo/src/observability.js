/**
 * The optional ports the demo switches on. Each comes from its own package; the app works with any
 * subset of them (see examples/a-la-carte).
 */
export async function demoObservability () {
  return {}
}
