/**
 * Finds a library's private symbol on the objects it makes, by the symbol's description (Fastify's route
 * context, pino's bindings): neither library exports them. Looked up again when an object lacks the one
 * found before: another copy of the library in the process has symbols of its own.
 */
export function privateSymbol (description: string): (holder: object) => symbol | undefined {
  let known: symbol | undefined
  return (holder) => {
    if (known === undefined || !(known in holder)) known = Object.getOwnPropertySymbols(holder).find(key => key.description === description)
    return known
  }
}
