import 'reflect-metadata';

/**
 * Lists constructor parameters of `injectable` that lack an explicit `@inject(Symbol.for(..))`.
 * Bundlers such as esbuild and tsx emit no decorator metadata, so a parameter without an
 * explicit token would be resolved as `undefined` at run time instead of failing loudly.
 */
export function missingInjectionTokens(
  injectable: abstract new (...args: never[]) => unknown,
): string[] {
  const descriptors = (Reflect.getOwnMetadata('injectionTokens', injectable) ?? {}) as Record<
    number,
    { token?: unknown }
  >;
  const problems: string[] = [];
  for (let index = 0; index < injectable.length; index++) {
    const token = descriptors[index]?.token;
    if (token === undefined)
      problems.push(`${injectable.name}: constructor parameter ${index} has no @inject token`);
    else if (typeof token !== 'symbol' || Symbol.keyFor(token) === undefined) {
      problems.push(
        `${injectable.name}: constructor parameter ${index} is injected by ${String(token)}, not a Symbol.for(...) token`,
      );
    }
  }
  return problems;
}
