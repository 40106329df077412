import { dirname } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildTablet } from '../scripts/build-tablet.ts';
import { buildWidget } from '../scripts/build-widget.ts';
import { deploymentConfig } from './config.ts';
import { defineDeployment } from './deployment.ts';

const app = new App();
// The web apps are built first, so what is uploaded is exactly what this checkout's tests ran against; the
// tablet gets the county's duty rules too, so its offline outcomes match the server's.
const { county } = deploymentConfig(app);
const [widget, tablet] = await Promise.all([
  buildWidget(),
  buildTablet(county.dutyRules ? { dutyRules: county.dutyRules } : {}),
]);
defineDeployment(app, { widgetDir: dirname(widget.file), tabletDir: tablet.dir });
