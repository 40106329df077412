import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '#functions/api/routes.ts';
import { synthesizedDeployment } from '../support/deployment.ts';

/**
 * Issue 18, sign-in in AWS: the Cognito app client allows authorization code (+ PKCE, in the pages) and
 * nothing implicit, as a public client with rotated, revocable, 12-hour refresh tokens; `/auth/config` says
 * which issuer and client the pages sign in with; and only the pages that sign in (the tablet app, the
 * widget's frame) may connect to Cognito. Asserted on the synthesized service template.
 */

/** The region the stacks synthesize for (deployment.ts). */
const REGION = process.env.CDK_DEFAULT_REGION ?? 'us-west-2';
const DOMAIN_PREFIX = 'screening-assistant';
const COGNITO_ORIGINS = [
  `https://${DOMAIN_PREFIX}.auth.${REGION}.amazoncognito.com`,
  `https://cognito-idp.${REGION}.amazonaws.com`,
];

type Resource = ReturnType<Template['findResources']>[string];

let deployment: Awaited<ReturnType<typeof synthesizedDeployment>>;
let service: Template;

beforeAll(async () => {
  deployment = await synthesizedDeployment();
  service = deployment.serviceTemplate();
}, 120_000);

function only(type: string): [string, Resource] {
  const found = Object.entries(service.findResources(type));
  expect(found, type).toHaveLength(1);
  return found[0]!;
}

/**
 * A template value as the string CloudFormation makes of it: `Fn::Join` joined, the sign-in domain's `Ref`
 * as its prefix, `AWS::URLSuffix` as in a commercial region, any other reference as `<logical id[.attr]>`.
 */
function rendered(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  if ('Fn::Join' in node) {
    const [separator, parts] = node['Fn::Join'] as [string, unknown[]];
    return parts.map(rendered).join(separator);
  }
  if ('Ref' in node) {
    const ref = node.Ref as string;
    if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
    const resource = service.findResources('AWS::Cognito::UserPoolDomain')[ref];
    return resource ? (resource.Properties.Domain as string) : `<${ref}>`;
  }
  if ('Fn::GetAtt' in node) return `<${(node['Fn::GetAtt'] as string[]).join('.')}>`;
  throw new Error(`unexpected template value ${JSON.stringify(value)}`);
}

describe('issue 18: the web client signs in with authorization code only', () => {
  it('allows the code flow and nothing implicit, as a public client (no secret)', () => {
    const [, client] = only('AWS::Cognito::UserPoolClient');
    const properties = client.Properties;
    expect(properties.AllowedOAuthFlows).toEqual(['code']);
    expect(properties.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(JSON.stringify(properties)).not.toMatch(/implicit/);
    expect(properties.GenerateSecret).toBe(false);
    expect([...properties.AllowedOAuthScopes].sort()).toEqual(['email', 'openid', 'profile']);
    expect(properties.SupportedIdentityProviders).toEqual(['COGNITO']);
  });

  it('returns only to the pages that sign in: the tablet app and the widget’s frame page, not the demo pages', () => {
    const [, client] = only('AWS::Cognito::UserPoolClient');
    const [distribution] = only('AWS::CloudFront::Distribution');
    const origin = `https://<${distribution}.DomainName>`;
    expect(client.Properties.CallbackURLs.map(rendered)).toEqual([
      `${origin}/tablet/`,
      `${origin}/widget/frame.html`,
    ]);
    expect(client.Properties.LogoutURLs.map(rendered)).toEqual([`${origin}/tablet/`]);
  });

  it('refresh tokens last 12 hours, rotate on every use (30 s retry grace) and are revoked at sign-out', () => {
    const [, client] = only('AWS::Cognito::UserPoolClient');
    const properties = client.Properties;
    expect(properties.EnableTokenRevocation).toBe(true);
    expect(properties.RefreshTokenValidity).toBe(12 * 60);
    expect(properties.TokenValidityUnits).toMatchObject({ RefreshToken: 'minutes', IdToken: 'minutes' });
    expect(properties.IdTokenValidity).toBe(60);
    expect(properties.RefreshTokenRotation).toEqual({ Feature: 'ENABLED', RetryGracePeriodSeconds: 30 });
    // Rotation refuses InitiateAuth's REFRESH_TOKEN_AUTH; the pages refresh at the token endpoint.
    expect(properties.ExplicitAuthFlows).not.toContain('ALLOW_REFRESH_TOKEN_AUTH');
  });

  it('a county’s own page outside the deployment may be added as a return address', async () => {
    const withPage = (
      await synthesizedDeployment({ signInCallbackUrls: 'https://intranet.county.example/chat/' })
    ).serviceTemplate();
    const [client] = Object.values(withPage.findResources('AWS::Cognito::UserPoolClient'));
    expect(client!.Properties.CallbackURLs).toHaveLength(3);
    expect(client!.Properties.CallbackURLs).toContain('https://intranet.county.example/chat/');
    expect(client!.Properties.AllowedOAuthFlows).toEqual(['code']);
  }, 120_000);
});

describe('issue 18: GET /auth/config names the issuer and the client', () => {
  it('is { issuer, clientId }: the user pool’s provider URL and this client’s id, resolved at deployment', () => {
    const [clientId] = only('AWS::Cognito::UserPoolClient');
    const [, config] = Object.entries(service.findResources('Custom::CDKBucketDeployment')).find(
      ([, resource]) => resource.Properties.DestinationBucketKeyPrefix === 'auth/',
    )!;
    expect(config.Properties.DistributionPaths).toEqual(['/auth/config']);
    expect(config.Properties.SystemMetadata).toMatchObject({ 'content-type': 'application/json' });
    const [key] = config.Properties.SourceObjectKeys as string[];
    const file = readFileSync(
      join(deployment.app.outdir, `asset.${key!.replace(/\.zip$/, '')}`, 'config'),
      'utf8',
    );
    // The file holds a marker for each token, which the deployment replaces with the resolved, quoted value.
    const markers = (config.Properties.SourceMarkers as Record<string, unknown>[])[0]!;
    const body = JSON.parse(file.replace(/<<marker:0xbaba:\d+>>/g, (marker) => JSON.stringify(marker)));
    expect(Object.keys(body).sort()).toEqual(['clientId', 'issuer']);
    const value = (marker: string) => {
      const [, [open, token, close]] = (markers[marker] as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
      expect([open, close]).toEqual(['"', '"']);
      return token;
    };
    expect(value(body.issuer)).toEqual({ 'Fn::ImportValue': expect.stringMatching(/Users.*ProviderURL/) });
    expect(value(body.clientId)).toEqual({ Ref: clientId });
  });

  it('the data stack exports the user pool’s provider URL (the issuer the API verifies against too)', () => {
    const exports = Object.values(deployment.dataTemplate().toJSON().Outputs ?? {}) as {
      Value: unknown;
      Export?: { Name: string };
    }[];
    const issuer = exports.find((output) => output.Export?.Name.includes('ProviderURL'));
    expect(issuer?.Value).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^Users/), 'ProviderURL'] });
  });
});

describe('issue 18: only the pages that sign in may connect to Cognito', () => {
  /** Each path's response headers policy's CSP, as its directives by name. */
  function cspOf(path: string | 'default'): Map<string, string> {
    const [, distribution] = only('AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    const behavior =
      path === 'default'
        ? config.DefaultCacheBehavior
        : config.CacheBehaviors.find((candidate: { PathPattern: string }) => candidate.PathPattern === path);
    expect(behavior, path).toBeDefined();
    const policy = service.findResources('AWS::CloudFront::ResponseHeadersPolicy')[
      behavior.ResponseHeadersPolicyId.Ref
    ]!;
    const csp = rendered(
      policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy
        .ContentSecurityPolicy,
    );
    return new Map(
      csp.split(';').map((directive) => {
        const [name, ...sources] = directive.trim().split(/\s+/);
        return [name!, sources.join(' ')];
      }),
    );
  }

  it('the tablet app and the widget’s frame page may connect to the hosted domain and the issuer’s host', () => {
    for (const path of ['/tablet/*', '/widget/frame.html'])
      expect(cspOf(path).get('connect-src'), path).toBe(["'self'", ...COGNITO_ORIGINS].join(' '));
  });

  it('everything else (API, widget script, demo pages, sign-in settings) still connects to itself only', () => {
    expect(cspOf('default').get('connect-src')).toBe("'self'");
    for (const route of routes)
      expect(cspOf(`/${route.path.split('/')[1]}*`).get('connect-src')).toBe("'self'");
  });

  it('the rest of those two policies is as tight as every page’s: only connect-src and framing differ', () => {
    const plain = cspOf('default');
    for (const path of ['/tablet/*', '/widget/frame.html']) {
      const csp = cspOf(path);
      expect([...csp.keys()], path).toEqual([...plain.keys()]);
      for (const [name, sources] of plain)
        if (name !== 'connect-src' && name !== 'frame-ancestors')
          expect(csp.get(name), `${path} ${name}`).toBe(sources);
    }
    expect(cspOf('/tablet/*').get('frame-ancestors')).toBe("'none'");
    expect(cspOf('/widget/frame.html').get('frame-ancestors')).toBe("'self'");
  });

  it('/tablet/* is the bucket, as the default behaviour: its folder still served as its index, no framing', () => {
    const [, distribution] = only('AWS::CloudFront::Distribution');
    const config = distribution.Properties.DistributionConfig;
    const tablet = config.CacheBehaviors.find(
      (candidate: { PathPattern: string }) => candidate.PathPattern === '/tablet/*',
    );
    expect(tablet.TargetOriginId).toBe(config.DefaultCacheBehavior.TargetOriginId);
    expect(tablet.ViewerProtocolPolicy).toBe('redirect-to-https');
    expect(tablet.FunctionAssociations).toEqual(config.DefaultCacheBehavior.FunctionAssociations);
    const policy = service.findResources('AWS::CloudFront::ResponseHeadersPolicy')[
      tablet.ResponseHeadersPolicyId.Ref
    ]!;
    const headers = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
    expect(headers.FrameOptions.FrameOption).toBe('DENY');
    expect(headers.StrictTransportSecurity).toMatchObject({ Preload: true, IncludeSubdomains: true });
    expect(headers.ReferrerPolicy.ReferrerPolicy).toBe('no-referrer');
  });
});
