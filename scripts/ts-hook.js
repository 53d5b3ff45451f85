'use strict';
/**
 * Runs the repository's TypeScript commands (`node -r ./scripts/ts-hook.js stacks/synth.ts`): each
 * `.ts` file is turned into CommonJS by Sucrase with the transforms `sucrase/register/ts` uses, and
 * the result is kept in `node_modules/.cache/k8s-groundwork/ts/` under the SHA-1 of the source (with
 * Sucrase's version and options): the same text anywhere (a `git worktree` of the repository, a
 * clone) reads the same entry, and an edited file gets a new one. A run whose files are all cached
 * does not load Sucrase at all. When the folder holds more than {@link MAX_ENTRIES} entries, the
 * older half (by when they were written) is removed.
 *
 * No source map is appended: Sucrase keeps every line where it was, so stack traces already point
 * at the right line (`sucrase/register/ts` builds and inlines a map for every file, which Node reads
 * only under `--enable-source-maps`). Type checking is `npm test`'s job, not this hook's.
 * Unlike `sucrase/register/ts`, it reads no `SUCRASE_OPTIONS` and also transpiles `.ts` files under
 * `node_modules`. Where the cache cannot be written (a read-only tree), files are transpiled on every
 * run. `GROUNDWORK_TS_CACHE` names another cache folder (the tests use a temporary one).
 */
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');
const { threadId } = require('worker_threads');

const OPTIONS = { transforms: ['imports', 'typescript'] };
const CACHE =
  process.env.GROUNDWORK_TS_CACHE ?? path.join(__dirname, '..', 'node_modules', '.cache', 'k8s-groundwork', 'ts');
const SALT = `${require('sucrase/package.json').version}\0${JSON.stringify(OPTIONS)}\0`;
/** About five times the repository's TypeScript files. */
const MAX_ENTRIES = 2000;

let transform;

function compiled(source, filename) {
  const entry = path.join(CACHE, `${crypto.createHash('sha1').update(SALT).update(source).digest('hex')}.js`);
  try {
    return fs.readFileSync(entry, 'utf8');
  } catch {
    // not cached yet
  }
  transform ??= require('sucrase').transform;
  const code = transform(source, { ...OPTIONS, filePath: filename }).code;
  store(entry, code);
  return code;
}

/** Writes `code` to `entry` through a file of this thread's own, renamed into place (readers never see half an entry). */
function store(entry, code) {
  const tmp = `${entry}.${process.pid}.${threadId}.${crypto.randomBytes(4).toString('hex')}.tmp`;
  try {
    fs.mkdirSync(CACHE, { recursive: true });
    fs.writeFileSync(tmp, code, { flag: 'wx' });
    fs.renameSync(tmp, entry);
    prune();
  } catch {
    // a read-only tree: transpile again next time (and leave no half-written file behind)
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // nothing was written
    }
  }
}

/** Entries in the folder, counted once per process and kept up to date by this process's writes. */
let entries;

/** Keeps the folder bounded: past MAX_ENTRIES, the older half goes. */
function prune() {
  // the first write of a process counts the folder (its own entry included), later ones add one
  entries = entries === undefined ? fs.readdirSync(CACHE).filter((n) => n.endsWith('.js')).length : entries + 1;
  if (entries <= MAX_ENTRIES) return;
  const names = fs.readdirSync(CACHE).filter((n) => n.endsWith('.js'));
  const byAge = names
    .map((n) => ({ n, t: fs.statSync(path.join(CACHE, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
    .sort((a, b) => a.t - b.t);
  const gone = byAge.slice(0, byAge.length - MAX_ENTRIES / 2);
  for (const { n } of gone) fs.rmSync(path.join(CACHE, n), { force: true });
  entries = names.length - gone.length;
}

Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(compiled(fs.readFileSync(filename, 'utf8'), filename), filename);
};
