import type { StemRegisterHook } from '@stem/core';
import { ProbeAnalyzer } from '../probe-analyzer.js';
import {
  ATTENTION_PROBE_ID,
  CENTROID_PROBE_ID,
  attentionProbeSchema,
  centroidProbeSchema,
  type AttentionProbeConfig,
  type CentroidProbeConfig,
} from '../probe-config.js';

/** The `stem:register` hook: two analyzers, tf handed in by core. */
const register: StemRegisterHook = async () => ({
  register(stem) {
    stem.registerAnalyzer<AttentionProbeConfig>({
      id: ATTENTION_PROBE_ID,
      description:
        'Parameter-free attention probe: per head, pi(i) = argmax_j A(i,j) on word-level attention; DEP arcs and SRL arguments found per label.',
      configSchema: attentionProbeSchema,
      create: (config, context) => new ProbeAnalyzer(context.tf, { probe: 'attention', ...config }),
    });
    stem.registerAnalyzer<CentroidProbeConfig>({
      id: CENTROID_PROBE_ID,
      description:
        'Parameter-free centroid probe: per head, nearest label centroid (cosine) of context vectors; POS tags, NER spans, CON lowest phrases.',
      configSchema: centroidProbeSchema,
      create: (config, context) => new ProbeAnalyzer(context.tf, { probe: 'centroid', ...config }),
    });
  },
});

export default register;
