/** The parts of a plugin's package.json that decide whether `stem plugins:add` can load it. */
export interface PluginPackageJson {
  name?: string;
  version?: string;
  oclif?: { hooks?: Record<string, string | string[]> };
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Packages a plugin must not install itself: core hands it tfjs, and @stem/* is not on the registry. */
const RUNTIME_PACKAGES =
  /^@tensorflow\/tfjs(-node|-node-gpu|-backend-wasm|-backend-cpu|-backend-webgl|-core)?$/;

/**
 * Problems that would stop the CLI from loading the plugin or make it load a second copy of
 * something core owns. Each message says what to change.
 */
export function pluginManifestProblems(pjson: PluginPackageJson): string[] {
  const problems: string[] = [];
  const where = pjson.name ?? 'package.json';
  if (!pjson.name) problems.push('package.json: "name" is missing');
  if (!pjson.version) problems.push(`${where}: "version" is missing`);
  if (!pjson.oclif?.hooks?.['stem:register']) {
    problems.push(
      `${where}: declare the registration hook: "oclif": { "hooks": { "stem:register": "./dist/<hook>.js" } }`,
    );
  }
  const coreRange = pjson.peerDependencies?.['@stem/core'];
  if (!coreRange) {
    problems.push(
      `${where}: declare "@stem/core" in "peerDependencies" with the core range the plugin was built for (e.g. "^0.1.0")`,
    );
  } else if (!pjson.peerDependenciesMeta?.['@stem/core']?.optional) {
    problems.push(
      `${where}: mark the @stem/core peer optional ("peerDependenciesMeta": { "@stem/core": { "optional": true } }); stem plugins:add installs from the npm registry and core reaches the plugin at run time`,
    );
  }
  for (const name of Object.keys(pjson.dependencies ?? {})) {
    if (name.startsWith('@stem/')) {
      problems.push(
        `${where}: "${name}" is a hard dependency; plugins reach stem only through the registration facade (make it an optional peer or a devDependency)`,
      );
    }
    if (RUNTIME_PACKAGES.test(name)) {
      problems.push(
        `${where}: "${name}" is a dependency; plugins must use the tf that core hands them (stem.tf / context.tf), never their own runtime`,
      );
    }
  }
  return problems;
}
