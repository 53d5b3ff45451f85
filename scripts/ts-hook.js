'use strict';
/**
 * Runs the repository's TypeScript commands (`node -r ./scripts/ts-hook.js stacks/synth.ts`): each
 * `.ts` file is turned into CommonJS by Sucrase, as `sucrase/register/ts` does, and the result is
 * kept in `node_modules/.cache/k8s-groundwork/ts/`, one file per source path, reused while the
 * source is byte-for-byte the same (its SHA-1, with Sucrase's version and options, heads the entry).
 * A run whose files are all cached does not load Sucrase at all.
 *
 * No source map is appended: Sucrase keeps every line where it was, so stack traces already point
 * at the right line (`sucrase/register/ts` builds and inlines a map for every file, which Node reads
 * only under `--enable-source-maps`). Type checking is `npm test`'s job, not this hook's.
 * Where the cache cannot be written (a read-only tree), files are transpiled on every run.
 * `GROUNDWORK_TS_CACHE` names another cache folder (the tests use a temporary one).
 */
const crypto = require('crypto');
const fs = require('fs');
const Module = require('module');
const path = require('path');

const OPTIONS = { transforms: ['imports', 'typescript'] };
const CACHE =
  process.env.GROUNDWORK_TS_CACHE ?? path.join(__dirname, '..', 'node_modules', '.cache', 'k8s-groundwork', 'ts');
const SUCRASE_VERSION = require('sucrase/package.json').version;

let transform;

function hash(text) {
  return crypto.createHash('sha1').update(text).digest('hex');
}

function compiled(source, filename) {
  const key = `// ${hash(`${SUCRASE_VERSION}\0${JSON.stringify(OPTIONS)}\0${source}`)}\n`;
  const entry = path.join(CACHE, `${hash(filename)}.js`);
  try {
    const cached = fs.readFileSync(entry, 'utf8');
    if (cached.startsWith(key)) return cached.slice(key.length);
  } catch {
    // not cached yet
  }
  transform ??= require('sucrase').transform;
  const code = transform(source, { ...OPTIONS, filePath: filename }).code;
  try {
    fs.mkdirSync(CACHE, { recursive: true });
    const tmp = `${entry}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, key + code);
    fs.renameSync(tmp, entry);
  } catch {
    // a read-only tree: transpile again next time
  }
  return code;
}

Module._extensions['.ts'] = function loadTypeScript(module, filename) {
  module._compile(compiled(fs.readFileSync(filename, 'utf8'), filename), filename);
};
