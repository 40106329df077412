import { App } from 'aws-cdk-lib';
import { buildTablet } from '../scripts/build-tablet.ts';
import { buildWidget } from '../scripts/build-widget.ts';
import { defineDeployment } from './deployment.ts';

// The web apps are built first, so what is uploaded is exactly what this checkout's tests ran against.
const [widget, tablet] = await Promise.all([buildWidget(), buildTablet()]);
const { dirname } = await import('node:path');
defineDeployment(new App(), { widgetDir: dirname(widget.file), tabletDir: tablet.dir });
