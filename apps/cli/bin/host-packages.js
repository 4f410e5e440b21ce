// Module resolution hook (node:module register) of the stem CLI. A plugin installed by
// `stem plugins:add` declares @stem/core and @stem/data as optional peers, so npm installs
// neither next to it; when its import of one of them cannot be resolved from where it lives,
// it is resolved from the CLI instead: the host provides its peers, as a peer dependency means.
const HOST_PACKAGES = new Set(['@stem/core', '@stem/data']);
const hostParent = new URL('./run.js', import.meta.url).href;

function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export async function resolve(specifier, context, nextResolve) {
  if (!HOST_PACKAGES.has(packageOf(specifier))) return nextResolve(specifier, context);
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND') throw error;
    return nextResolve(specifier, { ...context, parentURL: hostParent });
  }
}
