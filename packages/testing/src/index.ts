export { checkRegistration, type RegistrationCheckInput, type RegistrationReport } from './check-registration.js';
export { pluginManifestProblems, type PluginPackageJson } from './plugin-manifest-problems.js';
export { ConformanceError } from './conformance-error.js';
