#!/usr/bin/env node
import { register } from 'node:module';
import { execute } from '@oclif/core';
import { workspaceLoadOptions } from './workspace-plugins.js';

// Plugins added with `stem plugins:add` live in their own folder, without @stem/core or
// @stem/data (optional peers): this hook lets their imports of those fall back to the CLI's
// own copies, so every plugin shares one core, one zod and one TensorFlow.js.
register('./host-packages.js', import.meta.url);

await execute({ dir: import.meta.url, loadOptions: await workspaceLoadOptions(import.meta.url) });
