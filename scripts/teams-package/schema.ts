import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import Ajv04 from 'ajv-draft-04';
import { MANIFEST_VERSION } from './manifest.ts';

/*
 * Microsoft's own copies of the Teams schemas, as published at developer.microsoft.com/json-schemas, shipped
 * inside @microsoft/app-manifest so validation needs no network. Only the JSON files are used: the package's
 * entry point requires fs-extra, which it does not declare, so it cannot be loaded. The Ajv setup mirrors the
 * package's own validateAgainstSchema (draft-04, all errors, no strict types).
 */
const schemaPath = (file: string) =>
  createRequire(import.meta.url).resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${MANIFEST_VERSION}/${file}`,
  );

type Validate = (value: unknown) => string[];

function compile(file: string): Validate {
  // Without the `u` flag, as draft-04 patterns are plain ECMA-262: the localization schema's
  // `activityTypes\[…\b]` patterns leave a `]` unescaped, which only unicode mode rejects.
  const ajv = new Ajv04.default({ allErrors: true, strictTypes: false, unicodeRegExp: false });
  // The schemas use one format, `uri`, and only for `$schema`; a URL parse is as strict as Teams is.
  ajv.addFormat('uri', (value: string) => URL.canParse(value));
  const validate = ajv.compile(JSON.parse(readFileSync(schemaPath(file), 'utf8')));
  return (value) =>
    validate(value)
      ? []
      : (validate.errors ?? []).map(
          (error) =>
            `${error.instancePath || '/'} ${error.message ?? 'is invalid'} ${JSON.stringify(error.params)}`,
        );
}

let manifestValidator: Validate | undefined;
let localizationValidator: Validate | undefined;

/** Problems with a manifest against the official v1.17 schema; empty when it is valid. */
export function manifestSchemaErrors(manifest: unknown): string[] {
  manifestValidator ??= compile('MicrosoftTeams.schema.json');
  return manifestValidator(manifest);
}

/** Problems with a localization file against the official v1.17 localization schema. */
export function localizationSchemaErrors(file: unknown): string[] {
  localizationValidator ??= compile('MicrosoftTeams.Localization.schema.json');
  return localizationValidator(file);
}
