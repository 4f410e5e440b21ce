import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFile, stat } from 'node:fs/promises';
import { describeError } from '../base-command.js';
import { sentenceWords } from '../attention/attention-model.js';
import { headRecord, type HeadExplorer, type ViewSetting } from './head-explorer.js';
import { PathRefused, insideDirectory, relativeId } from './inside-directory.js';
import type { RunAttention } from './run-attention.js';
import { attentionGrid, settingGrid } from './view-grids.js';
import { VIEW_PAGE } from './view-page.js';

/** `stem view` binds here unless told otherwise: nothing beyond this machine can reach it. */
export const LOOPBACK = '127.0.0.1';
/** A typed sentence longer than this is refused: the page draws one cell per word pair. */
export const MAX_SENTENCE_WORDS = 64;
/** Files the file endpoint hands out whole. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

export interface ViewServerOptions {
  explorer: HeadExplorer;
  attention: RunAttention;
  /** 0: any free port. */
  port: number;
}

export interface RunningViewServer {
  url: string;
  close(): Promise<void>;
}

/** An API failure: its HTTP status and a JSON body `{ error: { code, message, hint } }`. */
class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  // The page loads nothing from anywhere: its script and style are inline, its data same-origin.
  'content-security-policy':
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'",
};

function send(response: ServerResponse, status: number, type: string, body: string | Buffer) {
  response.writeHead(status, { 'content-type': type, ...SECURITY_HEADERS });
  response.end(body);
}

const sendJson = (response: ServerResponse, status: number, value: unknown) =>
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));

function integerParameter(url: URL, name: string, below: number): number {
  const text = url.searchParams.get(name);
  const value = text === null || !/^\d+$/.test(text) ? NaN : Number(text);
  if (!Number.isInteger(value) || value >= below)
    throw new ApiError(
      400,
      'INPUT_INVALID',
      `?${name}=${text ?? ''} is not a ${name} of this encoder (0..${below - 1})`,
      `pass ${name} as a whole number from 0`,
    );
  return value;
}

/** The setting named by `?setting=`: a path inside the directory that holds a known setting. */
async function settingParameter(explorer: HeadExplorer, url: URL): Promise<ViewSetting> {
  const given = url.searchParams.get('setting') ?? '';
  const real = await insideDirectory(explorer.directory.root, given);
  const id = relativeId(explorer.directory.root, real);
  const setting = explorer.settings.find((s) => s.id === id);
  if (!setting)
    throw new ApiError(
      404,
      'RUN_INVALID',
      `${given} is not a run or probe folder of ${explorer.directory.name}`,
      'GET /api/study lists the settings',
    );
  return setting;
}

/**
 * The head explorer's HTTP server: the page at `/` and its JSON API under `/api/`. Every path
 * it is asked for is resolved inside the viewed directory (403 otherwise), it answers only
 * requests addressed to the loopback name it listens on (so a web page elsewhere cannot reach
 * it by rebinding a DNS name), and it takes no request body.
 */
export async function startViewServer(options: ViewServerOptions): Promise<RunningViewServer> {
  const { explorer } = options;
  let allowedHosts: Set<string> = new Set();

  const routes: Record<string, (url: URL, response: ServerResponse) => Promise<void>> = {
    '/': async (_, response) => send(response, 200, 'text/html; charset=utf-8', VIEW_PAGE),
    '/api/study': async (_, response) =>
      sendJson(response, 200, {
        kind: explorer.directory.kind,
        name: explorer.directory.name,
        layers: explorer.layers,
        heads: explorer.heads,
        tasks: explorer.tasks,
        settings: explorer.settings,
        problems: explorer.study.problems.map((p) =>
          p.replaceAll(`${explorer.directory.root}/`, ''),
        ),
      }),
    '/api/grid': async (url, response) => {
      const setting = await settingParameter(explorer, url);
      sendJson(response, 200, { setting: setting.id, ...settingGrid(explorer, setting) });
    },
    '/api/head': async (url, response) => {
      const layer = integerParameter(url, 'layer', explorer.layers);
      const head = integerParameter(url, 'head', explorer.heads);
      sendJson(response, 200, headRecord(explorer, layer, head));
    },
    '/api/attention': async (url, response) => {
      const setting = await settingParameter(explorer, url);
      const layer = integerParameter(url, 'layer', explorer.layers);
      const head = integerParameter(url, 'head', explorer.heads);
      const words = sentenceWords(url.searchParams.get('text') ?? '');
      if (words.length === 0 || words.length > MAX_SENTENCE_WORDS)
        throw new ApiError(
          400,
          'INPUT_INVALID',
          `the sentence has ${words.length} words`,
          `type 1 to ${MAX_SENTENCE_WORDS} words separated by spaces`,
        );
      if (setting.kind === 'static' || !setting.checkpoint)
        throw new ApiError(
          404,
          'RUN_INVALID',
          setting.kind === 'static'
            ? `${setting.id} holds probe results only, no model: its attention cannot be computed here`
            : `${setting.id} has no checkpoint (checkpoints/best): its attention cannot be computed`,
          setting.kind === 'static'
            ? 'pick a trained run, or run `stem model attend <model directory> --text "..."` on the static encoder'
            : 'a committed study keeps results only; view a study or run that still has its checkpoints',
        );
      const real = await insideDirectory(explorer.directory.root, setting.id);
      const view = await options.attention.attend(real, words, { layer, head });
      const shown = view.heads[0];
      if (!shown) throw new ApiError(500, 'INTERNAL_ERROR', 'no head came back', '');
      sendJson(response, 200, {
        setting: setting.id,
        layer,
        head,
        units: view.units,
        subwords: view.subwords,
        attention: shown.attention,
        ...attentionGrid(view.units, shown),
      });
    },
    '/api/file': async (url, response) => {
      const file = await insideDirectory(
        explorer.directory.root,
        url.searchParams.get('path') ?? '',
      );
      const info = await stat(file);
      if (!info.isFile())
        throw new ApiError(400, 'INPUT_INVALID', 'not a file', 'pass ?path= of a file');
      if (info.size > MAX_FILE_BYTES)
        throw new ApiError(
          413,
          'INPUT_INVALID',
          `the file has ${info.size} bytes`,
          'read it from disk',
        );
      const type = file.endsWith('.json')
        ? 'application/json; charset=utf-8'
        : file.endsWith('.svg')
          ? 'image/svg+xml'
          : 'text/plain; charset=utf-8';
      send(response, 200, type, await readFile(file));
    },
  };

  const handle = async (request: IncomingMessage, response: ServerResponse) => {
    try {
      if (!allowedHosts.has(request.headers.host ?? ''))
        throw new ApiError(
          403,
          'INPUT_INVALID',
          `requests must be addressed to ${[...allowedHosts][0]}`,
          'open the URL stem view printed',
        );
      if (request.method !== 'GET' && request.method !== 'HEAD')
        throw new ApiError(405, 'USAGE', `${request.method} is not served`, 'use GET');
      const url = new URL(request.url ?? '/', 'http://localhost');
      const route = routes[url.pathname === '/index.html' ? '/' : url.pathname];
      if (!route)
        throw new ApiError(404, 'INPUT_INVALID', `nothing at ${url.pathname}`, 'the page is at /');
      await route(url, response);
    } catch (error) {
      if (error instanceof ApiError)
        sendJson(response, error.status, {
          error: { code: error.code, message: error.message, hint: error.hint },
        });
      else if (error instanceof PathRefused)
        sendJson(response, error.status, {
          error: {
            code: error.status === 403 ? 'INPUT_INVALID' : 'FILE_UNREADABLE',
            message: error.message,
            hint: 'name a path inside the viewed directory, relative to it',
          },
        });
      else {
        // A StemError (a run that cannot be loaded, say) keeps its code and hint.
        const described = describeError(error);
        sendJson(response, described.code === 'INTERNAL_ERROR' ? 500 : 422, {
          error: described,
        });
      }
    }
  };

  const server = createServer((request, response) => void handle(request, response));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  allowedHosts = new Set([`${LOOPBACK}:${port}`, `localhost:${port}`]);
  return {
    url: `http://${LOOPBACK}:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive connections of an open page would hold close() forever.
        server.closeAllConnections();
      }),
  };
}
