import { Registry, type RegistryContentType } from 'prom-client'

/** The content type of the OpenMetrics text (with exemplars). */
export const OPENMETRICS_CONTENT_TYPE = Registry.OPENMETRICS_CONTENT_TYPE

/**
 * Whether an `Accept` value prefers the OpenMetrics text to Prometheus text 0.0.4. Prometheus asks
 * `application/openmetrics-text;version=1.0.0,…,text/plain;version=0.0.4;q=0.5,…`; curl and browsers
 * do not name it and get the classic text.
 */
export function wantsOpenMetrics (accept: unknown): boolean {
  if (typeof accept !== 'string' || accept.length > 1024) return false
  let open = 0
  let text = 0
  for (const range of accept.split(',', 32)) {
    const [type, ...params] = range.split(';')
    const media = type.trim().toLowerCase()
    let q = 1
    for (const p of params) {
      const m = /^\s*q\s*=\s*([01](?:\.\d{0,3})?)\s*$/i.exec(p)
      if (m !== null) q = Number(m[1])
    }
    if (media === 'application/openmetrics-text') open = Math.max(open, q)
    else if (media === 'text/plain') text = Math.max(text, q)
  }
  return open > 0 && open >= text
}

/**
 * The registry in OpenMetrics text. prom-client switches formats per registry and, when a registry
 * serves OpenMetrics, renames its counters in place (`errors_total` → `errors`), which would break
 * the classic text served from the same registry. Each metric is read through a renamed view instead,
 * so one registry answers both formats.
 */
export async function openMetricsText (registry: Registry<RegistryContentType>): Promise<string> {
  const out = new Registry() as unknown as Registry<RegistryContentType> & { getMetricsAsString: (metric: { get: () => Promise<MetricData> }) => Promise<string> }
  out.setContentType(OPENMETRICS_CONTENT_TYPE)
  // The registry's default labels (`setDefaultLabels`) have no getter in prom-client 15.
  const defaults = (registry as unknown as { _defaultLabels?: Record<string, string> })._defaultLabels
  if (defaults !== undefined && Object.keys(defaults).length > 0) out.setDefaultLabels(defaults)
  const parts = await Promise.all(registry.getMetricsAsArray().map(async metric => {
    // Histograms render through getForPromString(); get() splays their buckets differently.
    const source = metric as unknown as { get: () => Promise<MetricData>, getForPromString?: () => Promise<MetricData> }
    return await out.getMetricsAsString({
      get: async () => {
        const data = typeof source.getForPromString === 'function' ? await source.getForPromString() : await source.get()
        return data.type === 'counter' ? { ...data, name: data.name.replace(/_total$/, '') } : data
      }
    })
  }))
  return `${parts.join('\n')}\n# EOF\n`
}

interface MetricData {
  readonly name: string
  readonly type: string
  readonly help: string
  readonly values: unknown[]
}
