/**
 * A disk cache for the default classifier: the model trained on the shipped corpus is written
 * once, under `node_modules/.cache/lapor-chat/` (or LAPOR_MODEL_CACHE_DIR), and later processes
 * load it in a few tens of milliseconds instead of re-training for seconds. Every test file,
 * `lapor route`, `lapor chat` and the server start a process that needs the model.
 *
 * The file name carries a hash of everything the model depends on: the corpus files, the
 * classifier's own source files and the category list. Any edit to one of them gives a new name,
 * so a stale model is never loaded. Set LAPOR_MODEL_CACHE=off to always train.
 *
 * Why hand-written: no package caches a derived artefact keyed by its inputs in a few lines; the
 * general build caches (e.g. `find-cache-dir` + hand-rolled hashing) would add a dependency for
 * the directory name alone.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CORPUS_DIR, corpusFiles } from '../corpus/index.ts';
import type { ClassifierModel, SerializedModel } from './types.ts';

/**
 * Where the classifier's sources are. Compiled into dist/ (what `npm start` runs), this module
 * still hashes the TypeScript sources beside the build, so the compiled service and the test
 * suite share one cached model; a build without its sources hashes its compiled files.
 */
const HERE = fileURLToPath(new URL('./', import.meta.url));
const BESIDE_BUILD = fileURLToPath(new URL('../../../dialogs/classifier/', import.meta.url));
const CLASSIFIER_DIR = existsSync(join(HERE, 'cache.ts'))
  ? HERE
  : existsSync(join(BESIDE_BUILD, 'cache.ts'))
    ? BESIDE_BUILD
    : HERE;
const SOURCE_EXT = existsSync(join(CLASSIFIER_DIR, 'cache.ts')) ? '.ts' : '.js';
const CATEGORIES_FILE = join(CLASSIFIER_DIR, `../categories${SOURCE_EXT}`);
const DEFAULT_CACHE_DIR = join(CLASSIFIER_DIR, '../../node_modules/.cache/lapor-chat/');
const PREFIX = 'default-classifier-';

/** Hash of every input of the default model; see the module comment. */
export function defaultModelKey(): string {
  const hash = createHash('sha256');
  const add = (path: string) => {
    hash.update(path.slice(path.lastIndexOf('/') + 1));
    hash.update(readFileSync(path));
  };
  for (const f of corpusFiles()) add(join(CORPUS_DIR, f));
  for (const f of readdirSync(CLASSIFIER_DIR)
    .filter((n) => n.endsWith(SOURCE_EXT))
    .sort())
    add(join(CLASSIFIER_DIR, f));
  add(CATEGORIES_FILE);
  return hash.digest('hex').slice(0, 24);
}

/**
 * The cached default model, or a freshly trained one that is then written to the cache. Any
 * cache trouble (unreadable, corrupt, read-only disk) falls back to training: the cache only
 * ever saves time.
 */
export function cachedModel(
  train: () => ClassifierModel,
  load: (json: SerializedModel) => ClassifierModel,
): ClassifierModel {
  if (process.env.LAPOR_MODEL_CACHE === 'off') return train();
  const dir = process.env.LAPOR_MODEL_CACHE_DIR || DEFAULT_CACHE_DIR;
  let file: string;
  try {
    file = join(dir, `${PREFIX}${defaultModelKey()}.json`);
  } catch {
    return train();
  }
  try {
    return load(JSON.parse(readFileSync(file, 'utf8')) as SerializedModel);
  } catch {
    // Not cached yet (or unreadable): train below.
  }
  const model = train();
  try {
    mkdirSync(dir, { recursive: true });
    // Write then rename, so a process reading concurrently never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(model.toJSON()));
    renameSync(tmp, file);
    // Older models of this cache are dead weight now.
    for (const old of readdirSync(dir)) {
      if (old.startsWith(PREFIX) && join(dir, old) !== file && old.endsWith('.json'))
        rmSync(join(dir, old), { force: true });
    }
  } catch {
    // A read-only or full disk only costs the next process a re-train.
  }
  return model;
}
