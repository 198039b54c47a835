import type { ErrorEntry, ErrorFormat } from '@errcodes/core'

/** Static, always-valid 500 bodies of each format, used when the error path itself fails. */
export function staticBodies (internal: ErrorEntry, typeBaseUrl: string): (format: ErrorFormat, requestId: string | undefined) => string {
  const json = `{"error_code":${internal.code},"error_name":${JSON.stringify(internal.name)},"message":${JSON.stringify(internal.message)},"status_code":500,"timestamp":`
  const problem = `{"type":${JSON.stringify(typeBaseUrl + internal.name)},"title":${JSON.stringify(internal.title)},"status":500,"detail":${JSON.stringify(internal.message)},"error_code":${internal.code},"error_name":${JSON.stringify(internal.name)},"timestamp":`
  return (format, requestId) => {
    const tail = `"${new Date().toISOString()}"${requestId === undefined ? '' : `,"request_id":${JSON.stringify(requestId)}`}}`
    return (format === 'problem' ? problem : json) + tail
  }
}
