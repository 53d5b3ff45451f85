import { Tenant } from '../../constructs';
import { named, ofKind } from '../helpers/kinds';
import { errorOf, synth } from '../helpers/synth';
import { rendered } from '../helpers/stacks';

const kindPlatform = () => rendered('kind').contract;
const base = { name: 'team-a', environment: 'kind', namespaces: [{ name: 'team-a' }, { name: 'team-a-batch' }] };

describe('Tenant alerts', () => {
  test.each([
    ['slack', { slackConfigs: [{ apiURL: { name: 'tenant-alerts', key: 'url' }, sendResolved: true }] }, 'url', 'url'],
    [
      'webhook',
      { webhookConfigs: [{ urlSecret: { name: 'tenant-alerts', key: 'url' }, sendResolved: true }] },
      'url',
      'url',
    ],
    [
      'pagerduty',
      { pagerdutyConfigs: [{ routingKey: { name: 'tenant-alerts', key: 'routing-key' }, sendResolved: true }] },
      'routing-key',
      'routingKey',
    ],
  ] as const)(
    '%s: per namespace an AlertmanagerConfig reading the Secret an ExternalSecret makes from the tenant store',
    (receiver, config, key, property) => {
      // synth validates every object against its CRD schema and runs the hardening checks (no secret in output)
      const objs = synth(
        (c) =>
          new Tenant(c, 't', {
            ...base,
            platform: kindPlatform(),
            alerts: { receiver, secretStoreEntry: 'team-a/alerts' },
          }),
      );
      const configs = ofKind(objs, 'AlertmanagerConfig');
      expect(configs.map((o) => o.metadata?.namespace)).toEqual(['team-a', 'team-a-batch']);
      for (const o of configs) {
        expect(o.apiVersion).toBe('monitoring.coreos.com/v1alpha1');
        expect(o.metadata.name).toBe('tenant-alerts');
        expect(o.metadata.labels['groundwork.io/tenant']).toBe('team-a');
        expect(o.spec).toEqual({ route: { receiver: 'tenant' }, receivers: [{ name: 'tenant', ...config }] });
      }
      const secrets = ofKind(objs, 'ExternalSecret').filter((o) => o.metadata?.name === 'tenant-alerts');
      expect(secrets.map((o) => o.metadata?.namespace)).toEqual(['team-a', 'team-a-batch']);
      expect(named(secrets, 'tenant-alerts').spec).toEqual({
        refreshInterval: '1h',
        secretStoreRef: { kind: 'ClusterSecretStore', name: 'tenant-team-a' },
        target: { name: 'tenant-alerts', creationPolicy: 'Owner' },
        data: [{ secretKey: key, remoteRef: { key: 'team-a/alerts', property } }],
      });
    },
  );

  test('without alerts: no AlertmanagerConfig, no ExternalSecret', () => {
    const objs = synth((c) => new Tenant(c, 't', { ...base, platform: kindPlatform() }));
    expect(objs.filter((o) => o.kind === 'AlertmanagerConfig' || o.kind === 'ExternalSecret')).toEqual([]);
  });

  test('a URL as entry is refused, never echoed', () => {
    const url = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX';
    const msg = errorOf(
      (c) =>
        new Tenant(c, 't', { ...base, platform: kindPlatform(), alerts: { receiver: 'slack', secretStoreEntry: url } }),
    );
    expect(msg).toBe(
      `Tenant 'test/t': alerts.secretStoreEntry ("<redacted>") is a URL: name the secret-store entry holding it, never the URL`,
    );
    expect(msg).not.toContain('hooks.slack.com');
  });

  test('a key as entry, an unknown receiver and no secret store are refused', () => {
    const msg = errorOf(
      (c) =>
        new Tenant(c, 't', {
          ...base,
          platform: kindPlatform(),
          secretStore: false,
          alerts: { receiver: 'email' as never, secretStoreEntry: 'R0utingKeyAbcdef0123456789' },
        }),
    );
    expect(msg).toContain('alerts.receiver ("email") must be one of slack, webhook, pagerduty');
    expect(msg).toContain(
      'alerts.secretStoreEntry ("<redacted>") looks like the secret itself: name the secret-store entry holding it',
    );
    expect(msg).toContain('alerts ("email") needs the tenant\'s secret store (secretStore is false)');
    expect(msg).not.toContain('R0utingKey');
  });
});
