import { hostFetch, type Harness } from './emulator';

export const certificatesPath = (clientId: string) => `/services/rest/auth/oauth2/v1/clients/${clientId}/certificates`;

export async function uploadCertificate(h: Harness, accessToken: string, clientId: string, body: unknown): Promise<{ status: number; body: any; contentType: string | null }> {
  const res = await hostFetch(new URL(certificatesPath(clientId), h.hosts.restlets), {
    method: 'POST', headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try { parsed = JSON.parse(text); } catch { /* plain text */ }
  return { status: res.status, body: parsed, contentType: res.headers.get('content-type') };
}

export async function listCertificates(h: Harness, accessToken: string, clientId: string): Promise<{ status: number; body: any }> {
  const res = await hostFetch(new URL(certificatesPath(clientId), h.hosts.restlets), { headers: { authorization: `Bearer ${accessToken}` } });
  return { status: res.status, body: await res.json() };
}

export async function revokeCertificate(h: Harness, accessToken: string, clientId: string, certificateId: string): Promise<{ status: number; text: string; contentType: string | null }> {
  const res = await hostFetch(new URL(`${certificatesPath(clientId)}/${certificateId}/revoke`, h.hosts.restlets), { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } });
  return { status: res.status, text: await res.text(), contentType: res.headers.get('content-type') };
}
