// Is the esbuild bundle (lib/bundle/) older than anything it is built from? Used by
// scripts/synth.js so that `npm run synth` rebuilds only when an input changed.
//
// The check compares modification times, the way make does: the build stamp
// (lib/bundle/.build-stamp, whose mtime scripts/bundle.mjs sets to the moment the build STARTED,
// so a file saved while esbuild runs still counts as newer) against every input:
//   - every file under the folders tsconfig.json "include"s (all the TypeScript the bundle is
//     made of; a new file only matters once an existing file imports it, which touches that file),
//   - package-lock.json and node_modules/.package-lock.json (npm writes the latter on every
//     install, so a changed dependency is seen even when the lock file is not edited),
//   - tsconfig.json and scripts/bundle.mjs (how the bundle is made).
// A git checkout or pull writes the files it changes, so their mtimes move forward too.
// Costs ~5 ms for ~250 stat calls; the build it saves costs 5-40 s.
const fs = require('node:fs');
const path = require('node:path');

/** lib/bundle/<name>.js <- source: the bundle's entry points (scripts/bundle.mjs builds these). */
const BUNDLE_ENTRIES = Object.freeze({ synth: 'bin/synth.ts', 'cdktf-app': 'bin/cdktf-app.ts', new: 'bin/new.ts' });
const STAMP = path.join('lib', 'bundle', '.build-stamp');
const FIXED_INPUTS = ['package-lock.json', path.join('node_modules', '.package-lock.json'), 'tsconfig.json', path.join('scripts', 'bundle.mjs')];

/** The files the bundle is built from, relative to root (missing optional ones left out). */
function bundleInputs(root) {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(rel);
      else files.push(rel);
    }
  };
  for (const dir of tsconfig.include ?? []) if (fs.existsSync(path.join(root, dir))) walk(dir);
  for (const f of FIXED_INPUTS) if (fs.existsSync(path.join(root, f))) files.push(f);
  return files;
}

/**
 * Why the bundle must be rebuilt, or undefined when it is up to date: the stamp or a bundle file
 * is missing, or the first input found that is newer than the stamp.
 */
function staleReason(root) {
  let built;
  try {
    built = fs.statSync(path.join(root, STAMP)).mtimeMs;
  } catch {
    return 'no build yet';
  }
  for (const f of Object.keys(BUNDLE_ENTRIES).flatMap((name) => [`${name}.js`, `${name}.main.js`])) {
    if (!fs.existsSync(path.join(root, 'lib', 'bundle', f))) return `lib/bundle/${f} is missing`;
  }
  for (const f of bundleInputs(root)) {
    if (fs.statSync(path.join(root, f)).mtimeMs > built) return `${f.split(path.sep).join('/')} changed`;
  }
  return undefined;
}

module.exports = { BUNDLE_ENTRIES, STAMP, bundleInputs, staleReason };
