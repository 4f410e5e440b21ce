/**
 * What the campaign fuzzes: each target has real seed files and a `read` that runs the
 * project's code on mutated bytes the way the project itself would read them (decoded as
 * UTF-8, parsed, converted to sentences/trees/spans, or loaded as a config or run).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CheckpointStore,
  ComponentRegistry,
  CORE_VERSION,
  createManifest,
  createRegistrationFacade,
  initialTrainingState,
  parseExperimentConfig,
  parseSafetensors,
  readJsonFile,
  RunDirectory,
  serializeSafetensors,
} from '@stem/core';
import {
  bioToSentence,
  conll2012ToSentence,
  conll2012Tree,
  conlluToSentence,
  gumNamedEntities,
  parseBio,
  parseConll2012,
  parseConllu,
  parsePlainText,
  parsePtb,
  spansToBio,
  udFile,
  writePtb,
} from '@stem/data';

const require = createRequire(import.meta.url);
const PLUGINS = [
  '@stem/data',
  '@stem/encoder-transformer',
  '@stem/task-con',
  '@stem/task-dep',
  '@stem/task-ner',
  '@stem/task-pos',
];

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../..');
const CONLL2012 = join(ROOT, 'packages/data/test/fixtures/conll2012');

function firstSentences(file, count) {
  return readFileSync(file, 'utf8').split('\n\n').slice(0, count).join('\n\n') + '\n\n';
}

function conll2012Seeds() {
  return [
    'train/data/english/annotations/nw/wsj/00/wsj_0001.v4_gold_conll',
    'development/data/english/annotations/nw/wsj/00/wsj_0002.v4_gold_conll',
    'test/data/english/annotations/pt/nt/40/nt_4001.v4_gold_conll',
  ].map((path) => readFileSync(join(CONLL2012, path)));
}

/** Real trees in bracketed form: the OntoNotes fixture's parse bits written as PTB. */
function ptbSeed() {
  const trees = [];
  for (const bytes of conll2012Seeds()) {
    for (const document of parseConll2012(bytes.toString('utf8'), 'seed').documents)
      for (const sentence of document.sentences) {
        const tree = conll2012Tree(sentence, 'seed');
        if (tree) trees.push(tree);
      }
  }
  return Buffer.from(writePtb(trees.slice(0, 12)));
}

/** GUM's named entities as a BIO file (word, XPOS, tag), with a -DOCSTART- line. */
function bioSeed() {
  const file = udFile('en_gum', 'dev');
  const document = parseConllu(firstSentences(file, 25), file);
  const blocks = document.sentences.map((sentence) => {
    const tags = spansToBio(gumNamedEntities(sentence, file), sentence.words.length);
    return sentence.words.map((w, i) => `${w.form}\t${w.xpos}\t${tags[i]}`).join('\n');
  });
  return Buffer.from(`-DOCSTART- -X- O O\n\n${blocks.join('\n\n')}\n`);
}

/** Running text: the forms of EWT dev sentences, one sentence per line, paragraphs of five. */
function plainTextSeed() {
  const file = udFile('en_ewt', 'dev');
  const document = parseConllu(firstSentences(file, 60), file);
  const lines = document.sentences.map(
    (s, i) => `${s.words.map((w) => w.form).join(' ')}\n${i % 5 === 4 ? '\n' : ''}`,
  );
  return Buffer.from(lines.join(''));
}

async function fullRegistry() {
  const registry = new ComponentRegistry();
  for (const name of PLUGINS) {
    // The hook module the package declares for oclif, loaded as the CLI would.
    const packageFile = require.resolve(`${name}/package.json`);
    const hookPath = JSON.parse(readFileSync(packageFile, 'utf8')).oclif.hooks['stem:register'];
    const { default: hook } = await import(
      pathToFileURL(join(dirname(packageFile), hookPath)).href
    );
    const plugin = await hook({ coreVersion: CORE_VERSION });
    // Config validation never touches tf; the facade's slot stays empty.
    await plugin.register(
      createRegistrationFacade(registry, { name, version: '0.0.0' }, CORE_VERSION, undefined),
    );
  }
  return registry;
}

/** A run directory's JSON files as `stem train` writes them (config from the example). */
function runSeeds(registry) {
  const configFile = join(ROOT, 'examples/pos-ewt-tiny.yaml');
  const config = parseExperimentConfig(readFileSync(configFile, 'utf8'), configFile, registry);
  const manifest = createManifest({
    name: config.name,
    seed: config.seed,
    config,
    command: ['stem', 'train', '-c', 'examples/pos-ewt-tiny.yaml'],
    packages: [{ name: '@stem/core', version: CORE_VERSION }],
    plugins: [],
    backend: { name: 'cpu', device: 'cpu' },
  });
  const state = { ...initialTrainingState(), weightsFile: 'weights-50.safetensors' };
  const labels = { pos: { tags: ['NN', 'VB', 'DT', 'JJ', 'IN', '.'] } };
  return [
    ['manifest.json', manifest],
    ['checkpoints/last/state.json', state],
    ['labels.json', labels],
  ].map(([name, value]) => ({ name, text: `${JSON.stringify(value, null, 2)}\n` }));
}

/** The shape every target shares: `read(bytes, file)` may return anything or throw. */
export async function createTargets() {
  const registry = await fullRegistry();
  const runFiles = runSeeds(registry);
  const decode = (bytes) => bytes.toString('utf8');
  const scratch = mkdtempSync(join(tmpdir(), 'stem-fuzz-run-'));
  return {
    targets: {
      conllu: {
        seeds: [
          Buffer.from(firstSentences(udFile('en_ewt', 'dev'), 30)),
          Buffer.from(firstSentences(udFile('en_gum', 'dev'), 15)),
        ],
        read: (bytes, file) => {
          const document = parseConllu(decode(bytes), file);
          return document.sentences.map((s) => [
            conlluToSentence(s, file),
            gumNamedEntities(s, file),
          ]);
        },
      },
      conll2012: {
        seeds: [
          ...conll2012Seeds(),
          readFileSync(join(ROOT, 'packages/data/test/fixtures/propbank/weblog-sample.gold_skel')),
        ],
        read: (bytes, file, seedIndex) => {
          const layout = seedIndex === 3 ? 'propbank' : 'conll2012';
          const parsed = parseConll2012(decode(bytes), file, { layout });
          return parsed.documents.flatMap((d) =>
            d.sentences.map((s) =>
              layout === 'conll2012' ? [conll2012ToSentence(s, file), conll2012Tree(s, file)] : s,
            ),
          );
        },
      },
      ptb: {
        seeds: [ptbSeed()],
        read: (bytes, file) => parsePtb(decode(bytes), file),
      },
      bio: {
        seeds: [bioSeed()],
        read: (bytes, file) =>
          parseBio(decode(bytes), file).map((s, i) => bioToSentence(s, `${file}#${i}`)),
      },
      'plain-text': {
        seeds: [plainTextSeed()],
        read: (bytes, file) => parsePlainText(decode(bytes), file),
      },
      config: {
        seeds: [
          'pos-ewt-tiny.yaml',
          'ner-gum-tiny.yaml',
          'dep-ewt-tiny.yaml',
          'pos-ewt-hf.yaml',
        ].map((name) => readFileSync(join(ROOT, 'examples', name))),
        read: (bytes, file) => parseExperimentConfig(decode(bytes), file, registry),
      },
      safetensors: {
        // A small file of every stored dtype (mutations land in its header often) and a
        // real model's weights; decoding must succeed or name the file (WEIGHTS_INVALID).
        seeds: [
          ...['F32', 'F16', 'BF16'].map((float) =>
            serializeSafetensors(
              new Map([
                [
                  'embeddings.weight',
                  { shape: [3, 2], data: Float32Array.from([1, -2, 0.5, 3, 1e-3, 7]) },
                ],
                ['layer.0.bias', { shape: [2], data: Float32Array.from([0.25, -4]) }],
                ['steps', { shape: [1], data: Int32Array.from([42]) }],
              ]),
              { float, metadata: { format: 'pt' } },
            ),
          ),
          readFileSync(
            join(ROOT, 'plugins/encoder-transformer/test/fixtures/tiny-bert/model.safetensors'),
          ),
        ],
        read: (bytes, file) => parseSafetensors(bytes, file),
      },
      'run-directory': {
        // One JSON file of a run damaged at a time, read the way resume, evaluate and
        // predict read it; errors must name a file of the run.
        seeds: runFiles.map((f) => Buffer.from(f.text)),
        read: async (bytes, _file, seedIndex) => {
          const root = join(scratch, 'run');
          rmSync(root, { recursive: true, force: true });
          mkdirSync(join(root, 'checkpoints/last'), { recursive: true });
          runFiles.forEach((f, i) =>
            writeFileSync(join(root, f.name), i === seedIndex ? bytes : f.text),
          );
          const directory = new RunDirectory(root);
          const manifest = await directory.readManifest();
          const labels = await readJsonFile(join(root, 'labels.json'));
          // The weights file is absent on purpose: once state.json is parsed and checked,
          // loading must stop with a project error naming the missing file.
          await new CheckpointStore(directory.checkpoint('last')).load({});
          return { manifest, labels };
        },
        mentions: () => join(scratch, 'run'),
      },
    },
    cleanup: () => rmSync(scratch, { recursive: true, force: true }),
  };
}
