import { readFileSync } from 'node:fs';
import { type DcConnection } from '@syncready/samba-dc';
import { Client } from 'ldapts';

/** Runs `work` with an ldapts client bound to the test DC as its administrator (LDAPS), and unbinds. */
export async function withDcClient<T>(dc: DcConnection, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: dc.ldapsUrl, tlsOptions: { ca: [readFileSync(dc.caFile)] } });
  try {
    await client.bind(dc.bindDn, dc.password);
    return await work(client);
  } finally {
    await client.unbind();
  }
}
