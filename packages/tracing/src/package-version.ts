import { createRequire } from 'node:module'

/**
 * This package's version, for the tracer's instrumentation scope. A bundle moves the code away from its
 * package.json: the file found one folder up is then someone else's (or none), and the version is left out.
 */
export function packageVersion (from: string): string | undefined {
  try {
    const manifest = createRequire(from)('../package.json') as { name?: unknown, version?: unknown }
    return manifest.name === '@errcodes/tracing' && typeof manifest.version === 'string' ? manifest.version : undefined
  } catch {
    return undefined
  }
}
