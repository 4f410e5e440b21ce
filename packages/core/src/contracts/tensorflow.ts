import type * as tfjs from '@tensorflow/tfjs';

/**
 * The one TensorFlow.js namespace of a process. Core picks the backend and hands this
 * object to every plugin: two tfjs engines cannot share tensors, so plugins never import
 * a runtime of their own (type imports are fine).
 */
export type TensorFlow = typeof tfjs;

export type Tensor = tfjs.Tensor;
export type Scalar = tfjs.Scalar;
export type Tensor1D = tfjs.Tensor1D;
export type Tensor2D = tfjs.Tensor2D;
export type Tensor3D = tfjs.Tensor3D;
export type Tensor4D = tfjs.Tensor4D;
export type Variable = tfjs.Variable;
export type NamedTensorMap = tfjs.NamedTensorMap;
