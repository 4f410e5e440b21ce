import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export type Nested = number | Nested[];

export interface Reference {
  arch: string;
  inputIds: number[][];
  attentionMask: number[][];
  lastHidden: number[][][];
  attentions: number[][][][][];
  /** Per layer [batch][heads][tokens][headSize]: attention x V before W_O. */
  headContexts: number[][][][][];
  gates: number[][];
  gatedLastHidden: number[][][];
  sentence?: { words: string[]; inputIds: number[]; wordAttention: number[][][][] };
}

export function fixtureDir(name: string): string {
  return `${FIXTURES}${name}`;
}

export function reference(name: string): Reference {
  return JSON.parse(readFileSync(`${FIXTURES}${name}.reference.json`, 'utf8')) as Reference;
}

/** Largest absolute difference between two equally shaped nested arrays. */
export function maxAbsDiff(a: Nested, b: Nested): number {
  if (typeof a === 'number' || typeof b === 'number') {
    if (typeof a !== 'number' || typeof b !== 'number') throw new Error('shape mismatch');
    return Math.abs(a - b);
  }
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let max = 0;
  for (let i = 0; i < a.length; i++)
    max = Math.max(max, maxAbsDiff(a[i] as Nested, b[i] as Nested));
  return max;
}
