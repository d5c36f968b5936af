/** The HTML 503 NetSuite's edge serves during maintenance; the `tokenEndpoint503` fault returns it. */
export function serviceUnavailablePage(): string {
  return `<!DOCTYPE html>
<html><head><title>503 Service Unavailable</title></head>
<body><h1>Service Unavailable</h1><p>NetSuite is temporarily unavailable. Please try again later.</p>
<p><small>SuiteBridge emulator fault: tokenEndpoint503</small></p></body></html>`;
}
