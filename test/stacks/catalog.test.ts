import * as fs from 'fs';
import * as http from 'http';
import type { AddressInfo } from 'net';
import * as path from 'path';
import { CATALOG } from '../../constructs';
import { formatFreshness, newestFor, outdated, statusOf } from '../../stacks/catalog';

/**
 * A chart repository and an OCI registry on 127.0.0.1: the stored index file, and a tag list
 * behind the registry token flow, paged in two.
 */
function fixtureServer(): Promise<{ url: string; requests: string[]; close: () => void }> {
  const index = fs.readFileSync(path.join(__dirname, '../fixtures/catalog/index.yaml'), 'utf8');
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    requests.push(url);
    const host = `http://${req.headers.host ?? ''}`;
    if (url === '/charts/index.yaml') {
      res.end(index);
      return;
    }
    if (url.startsWith('/token?')) {
      const q = new URL(url, host).searchParams;
      {
        res.end(
          JSON.stringify({
            token:
              q.get('scope') === 'repository:acme/gateway:pull' && q.get('service') === 'fixture' ? 'granted' : 'wrong',
          }),
        );
        return;
      }
    }
    if (url.startsWith('/v2/acme/gateway/tags/list')) {
      if (req.headers.authorization !== 'Bearer granted') {
        res.writeHead(401, {
          'www-authenticate': `Bearer realm="${host}/token",service="fixture",scope="repository:acme/gateway:pull"`,
        });
        {
          res.end();
          return;
        }
      }
      if (url.includes('last=')) {
        res.end(JSON.stringify({ name: 'acme/gateway', tags: ['v1.8.0', 'v1.7.9', 'latest'] }));
        return;
      }
      res.writeHead(200, { link: '</v2/acme/gateway/tags/list?n=3&last=v1.7.2>; rel="next"' });
      {
        res.end(JSON.stringify({ name: 'acme/gateway', tags: ['v1.7.0', 'v1.7.2', 'v1.8.0-rc.1'] }));
        return;
      }
    }
    res.writeHead(404);
    res.end();
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `127.0.0.1:${port}`, requests, close: () => server.close() });
    }),
  );
}

describe('npm run catalog -- outdated', () => {
  test('newest patch, minor and release relative to a pin; pre-releases and other tags ignored', () => {
    expect(newestFor('2.3.1', ['2.3.4', '2.4.0-rc.1', '2.3.1', '2.2.9', 'latest'])).toEqual({
      patch: '2.3.4',
      minor: '2.3.4',
      latest: '2.3.4',
    });
    expect(newestFor('v1.7.0', ['v1.7.0', 'v1.7.9', 'v1.8.0', 'v2.0.0'])).toEqual({
      patch: 'v1.7.9',
      minor: 'v1.8.0',
      latest: 'v2.0.0',
    });
    expect(newestFor('2025.11.2', ['2025.11.3', '2025.12.1', '2026.8.3'])).toEqual({
      patch: '2025.11.3',
      minor: '2025.12.1',
      latest: '2026.8.3',
    });
  });

  test('reads a Helm repository index and an OCI registry (token flow, paged tags) served on 127.0.0.1', async () => {
    // GIVEN a catalog pointing at the fixture server
    const server = await fixtureServer();
    try {
      const catalog = {
        'web-ui': { repository: `http://${server.url}/charts`, chart: 'web-ui', version: '2.3.1' },
        queue: { repository: `http://${server.url}/charts/`, chart: 'queue', version: '1.0.0' },
        gateway: { repository: `oci://${server.url}/acme`, chart: 'gateway', version: 'v1.7.0' },
        current: { repository: `http://${server.url}/charts`, chart: 'web-ui', version: '2.3.4' },
        missing: { repository: `http://${server.url}/charts`, chart: 'nothing', version: '1.0.0' },
        gone: { repository: `http://${server.url}/elsewhere`, chart: 'x', version: '1.0.0' },
      };
      // WHEN
      const rows = await outdated(catalog);
      // THEN each pin is compared with what the repository offers
      expect(rows.map((r) => [r.id, r.patch, r.minor, r.latest, statusOf(r)])).toEqual([
        ['web-ui', '2.3.4', '2.3.4', '2.3.4', 'patch behind'],
        ['queue', '1.0.0', '1.1.3', '3.0.2', 'minor behind'],
        ['gateway', 'v1.7.9', 'v1.8.0', 'v1.8.0', 'patch behind'],
        ['current', '2.3.4', '2.3.4', '2.3.4', 'current'],
        [
          'missing',
          undefined,
          undefined,
          undefined,
          `unreadable: http://${server.url}/charts/index.yaml: no chart named nothing`,
        ],
        ['gone', undefined, undefined, undefined, `unreadable: http://${server.url}/elsewhere/index.yaml: HTTP 404`],
      ]);
      // the registry was asked anonymously, then with the token, then for the next page
      expect(server.requests.filter((r) => r.startsWith('/v2/'))).toEqual([
        '/v2/acme/gateway/tags/list',
        '/v2/acme/gateway/tags/list',
        '/v2/acme/gateway/tags/list?n=3&last=v1.7.2',
      ]);
      expect(formatFreshness(rows).split('\n')[2]).toBe(
        '| web-ui | web-ui | 2.3.1 | 2.3.4 | 2.3.4 | 2.3.4 | patch behind |',
      );
    } finally {
      server.close();
    }
  });

  test('a major behind is reported as such', () => {
    expect(statusOf({ id: 'x', chart: 'x', pin: '1.2.3', patch: '1.2.3', minor: '1.2.3', latest: '2.0.0' })).toBe(
      'major behind',
    );
  });

  test('every catalog pin is a release version the comparison understands', () => {
    for (const [id, ref] of Object.entries(CATALOG))
      expect([id, newestFor(ref.version, [ref.version])]).toEqual([
        id,
        { patch: ref.version, minor: ref.version, latest: ref.version },
      ]);
  });
});
