import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { defineDeployment, type WebBuild } from '#infra/deployment.ts';
import { buildTablet } from '../../scripts/build-tablet.ts';
import { buildWidget } from '../../scripts/build-widget.ts';

/** The web apps, built once per test file into a temporary folder, as `cdk synth` builds them. */
let web: Promise<WebBuild> | undefined;
export function builtWeb(): Promise<WebBuild> {
  web ??= (async () => {
    const root = mkdtempSync(join(tmpdir(), 'web-build-'));
    const [widget, tablet] = await Promise.all([
      buildWidget({ outdir: join(root, 'widget') }),
      buildTablet({ outdir: join(root, 'tablet') }),
    ]);
    return { widgetDir: dirname(widget.file), tabletDir: tablet.dir };
  })();
  return web;
}

export const TEAMS_CONTEXT = {
  teamsBotAppId: '00000000-0000-4000-8000-00000000b0b1',
  teamsBotTenantId: '11111111-2222-4333-8444-555555555555',
};

/**
 * The deployment as `cdk synth` defines it, with Lambda bundling skipped (the assets are placeholders; the
 * templates are what is under test) and the given context.
 */
export async function synthesizedDeployment(context: Record<string, unknown> = {}) {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
    outdir: mkdtempSync(join(tmpdir(), 'cdk-out-')),
  });
  const deployment = defineDeployment(app, await builtWeb());
  return {
    app,
    ...deployment,
    dataTemplate: () => Template.fromStack(deployment.data),
    serviceTemplate: () => Template.fromStack(deployment.service),
  };
}
