export const COMPONENT_KINDS = ['encoder', 'task', 'analyzer', 'dataset', 'training'] as const;
export type ComponentKind = (typeof COMPONENT_KINDS)[number];
