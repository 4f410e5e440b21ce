import { Args, Flags } from '@oclif/core';
import { StemCommand } from '../../base-command.js';
import { buildNativePackage, type NativeBuildResult } from '../../backend/build-native-package.js';

export default class BackendInstall extends StemCommand<typeof BackendInstall> {
  static override summary =
    'Build a native TensorFlow backend (tfjs-node-gpu or tfjs-node): download libtensorflow and its binding.';
  static override description =
    'The install skips these optional packages’ build step, which downloads libtensorflow (hundreds of MB) and fails without that network; stem runs on wasm until one is built. Run this where the download works; `stem info` then says whether the device is used (gpu also needs an NVIDIA GPU with CUDA 11.2 and cuDNN 8).';
  static override examples = [
    '<%= config.bin %> backend install gpu',
    '<%= config.bin %> backend install cpu --verbose',
  ];
  static override args = {
    device: Args.string({
      description: 'gpu: @tensorflow/tfjs-node-gpu; cpu: @tensorflow/tfjs-node',
      options: ['gpu', 'cpu'],
      required: true,
    }),
  };
  static override flags = {
    verbose: Flags.boolean({ description: "Show the package's build output (on stderr)." }),
  };

  async run(): Promise<NativeBuildResult> {
    const { args, flags } = await this.parse(BackendInstall);
    const device = args.device as 'gpu' | 'cpu';
    this.progress(
      `building ${device === 'gpu' ? 'tfjs-node-gpu' : 'tfjs-node'} (downloads libtensorflow)`,
    );
    const result = await buildNativePackage(
      device,
      flags.verbose ? (chunk) => process.stderr.write(chunk) : undefined,
    );
    if (!this.jsonEnabled())
      this.log(`built ${result.package}: ${result.binding}\n\`stem info\` says whether it is used`);
    return result;
  }
}
