#!/usr/bin/env node
// `npm run licenses`: writes THIRD-PARTY-NOTICES.md, the licences of what Pinokio ships that others
// made: every production dependency of every workspace as installed (read by license-checker-rseidelsohn,
// with each package's licence and NOTICE text), then the assets kept by hand below (font, photos,
// model weights).
// `npm run licenses:check` (CI): fails when a production dependency's licence is not in ALLOWED (nor
// reviewed in EXCEPTIONS), or when an installed production dependency is missing from the notices,
// so that a new dependency is looked at before it ships. Dev dependencies ship nothing and are not checked.
import fs from 'node:fs';
import path from 'node:path';
import * as checker from 'license-checker-rseidelsohn';

const root = path.resolve(import.meta.dirname, '..');
const noticesFile = path.join(root, 'THIRD-PARTY-NOTICES.md');

/** permissive licences (and the OFL for fonts): fine to ship inside an Apache-2.0 product with their notices */
const ALLOWED = new Set([
  'MIT',
  'MIT-0',
  'ISC',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'Apache-2.0',
  '0BSD',
  'BlueOak-1.0.0',
  'Zlib',
  'Unlicense',
  'CC0-1.0',
  'CC-BY-3.0',
  'CC-BY-4.0',
  'Python-2.0',
  'OFL-1.1',
]);

/** licences outside ALLOWED, looked at for the packages they name: name pattern -> further terms allowed, and why */
const EXCEPTIONS = [
  {
    name: /^@img\/sharp-/,
    terms: ['LGPL-3.0-or-later'],
    why: "sharp's prebuilt binaries hold libvips (LGPL-3.0-or-later) as a shared library loaded at run time, shipped unmodified as published; its source is at https://github.com/libvips/libvips",
  },
  {
    name: /^espeak-ng$/,
    terms: ['GPL-3.0-or-later'],
    why: 'eSpeak NG, the embedded text-to-speech engine: the espeak-ng program compiled to WebAssembly, shipped unmodified as published. The server runs it only as a separate program in child processes of its own (server/src/platform/speech/espeak-process.ts), passing it arguments and reading the WAV file it writes over the IPC channel, as it would run the espeak-ng command: an aggregate beside Pinokio, not linked into it, so Pinokio stays Apache-2.0. Its source: https://github.com/espeak-ng/espeak-ng (program and voice data) and https://github.com/ianmarmour/espeak-ng.js (the build)',
  },
];

/** what ships that no package.json describes; kept by hand */
const ASSETS = `## Assets

| what | where | licence |
|---|---|---|
| Noto Sans KR (variable), the web app's typeface | \`@fontsource-variable/noto-sans-kr\` (bundled into web/dist by Vite) | OFL-1.1 (SIL Open Font License 1.1); its text is among the package licences below |
| Face models: BlazeFace (detection), FaceMesh (refinement), FaceRes (age, gender, embedding) weights | \`@vladmandic/human/models\`, read from node_modules by face/ | shipped under the package's MIT licence; the models' upstream authors are credited at https://github.com/vladmandic/human/wiki/Models |
| Test photographs | fixtures/faces/ (see fixtures/faces/SOURCES.md) | public domain (NASA), OpenCV documentation (BSD/Apache-2.0), BSD-3-Clause (tracking.js), per file in SOURCES.md |
| Test photograph | server/test/fixtures/notebook.jpg (see server/test/fixtures/SOURCES.md) | OpenCV documentation (BSD/Apache-2.0) |

Test photographs are used by the tests and benches only; they are not part of a built server or web app.
`;

/** production packages from package-lock.json (workspace links excluded): "name@version" -> lock entry */
function productionPackages() {
  const lock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
  const packages = new Map();
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (!location.includes('node_modules/') || entry.dev || entry.link) continue;
    const name = entry.name ?? location.slice(location.lastIndexOf('node_modules/') + 'node_modules/'.length);
    packages.set(`${name}@${entry.version}`, { name, version: entry.version, license: entry.license, installed: fs.existsSync(path.join(root, location)) });
  }
  return packages;
}

/** what license-checker finds installed: "name@version" -> {licenses, repository, licenseFile, path} */
function installedLicences() {
  return new Promise((resolve, reject) => {
    checker.init({ start: root, excludePrivatePackages: true }, (error, found) => (error ? reject(error) : resolve(found)));
  });
}

/** an SPDX expression is allowed when one of its OR alternatives has only allowed AND terms */
function licenceAllowed(name, expression) {
  const extra = EXCEPTIONS.filter((exception) => exception.name.test(name)).flatMap((exception) => exception.terms);
  const allowed = (term) => ALLOWED.has(term) || extra.includes(term);
  const alternatives = String(expression)
    .replace(/[()]/g, '')
    .split(/\s+OR\s+/);
  return alternatives.some((alternative) => alternative.split(/\s+AND\s+/).every((term) => allowed(term.trim())));
}

function readText(file) {
  return file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8').replace(/\r\n/g, '\n').trim() : undefined;
}

function noticeTextOf(packageDir) {
  const notice = fs.readdirSync(packageDir).find((file) => /^notice(\.(md|txt))?$/i.test(file));
  return notice ? readText(path.join(packageDir, notice)) : undefined;
}

async function collect() {
  const production = productionPackages();
  const installed = await installedLicences();
  const rows = [];
  for (const [id, entry] of production) {
    const found = installed[id];
    const licence = [].concat(found?.licenses ?? entry.license ?? 'UNKNOWN').join(' OR ');
    rows.push({
      id,
      ...entry,
      licence,
      repository: found?.repository,
      licenseText: found ? readText(found.licenseFile) : undefined,
      noticeText: found?.path ? noticeTextOf(found.path) : undefined,
    });
  }
  return rows.sort((a, b) => a.id.localeCompare(b.id));
}

function render(rows) {
  const shipped = rows.filter((row) => row.installed);
  const lines = [
    '# Third-party notices',
    '',
    'Pinokio is licensed under the Apache License 2.0 (LICENSE). It ships software and material made by',
    'others, listed here with their licences. Generated by `npm run licenses` (scripts/third-party-notices.mjs)',
    'from the production dependencies installed on Linux x64; do not edit by hand.',
    '',
    ASSETS,
    `## Packages (${shipped.length})`,
    '',
    '| package | version | licence | repository |',
    '|---|---|---|---|',
    ...shipped.map((row) => `| ${row.name} | ${row.version} | ${row.licence} | ${row.repository ?? ''} |`),
    '',
    '## Licence and notice texts',
    '',
    'Packages whose licence files are identical are listed together.',
    '',
  ];
  const byText = new Map();
  for (const row of shipped) {
    const text = [
      row.licenseText ?? `(no licence file in the package; its package.json says ${row.licence})`,
      row.noticeText ? `NOTICE:\n\n${row.noticeText}` : '',
    ]
      .filter(Boolean)
      .join('\n\n');
    byText.set(text, [...(byText.get(text) ?? []), row.id]);
  }
  for (const [text, ids] of byText) {
    lines.push(`### ${ids.join(', ')}`, '', '```text', text.replace(/```/g, "'''"), '```', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

const rows = await collect();

if (process.argv.includes('--check')) {
  const problems = [];
  for (const row of rows) {
    if (!licenceAllowed(row.name, row.licence)) {
      problems.push(`${row.id}: licence ${row.licence} is not allowed (scripts/third-party-notices.mjs ALLOWED / EXCEPTIONS)`);
    }
  }
  const notices = fs.existsSync(noticesFile) ? fs.readFileSync(noticesFile, 'utf8') : '';
  const listed = new Set([...notices.matchAll(/^\| (\S+) \| \S+ \| /gm)].map((match) => match[1]));
  for (const row of rows) {
    if (row.installed && !listed.has(row.name)) problems.push(`${row.id} is not in THIRD-PARTY-NOTICES.md: run \`npm run licenses\``);
  }
  const unique = [...new Set(problems)];
  for (const problem of unique) console.error(problem);
  const installedCount = rows.filter((row) => row.installed).length;
  console.log(
    `${rows.length} production packages (${installedCount} installed here): ${unique.length === 0 ? 'licences allowed, notices complete' : `${unique.length} problems`}`,
  );
  process.exitCode = unique.length === 0 ? 0 : 1;
} else {
  fs.writeFileSync(noticesFile, render(rows));
  console.log(`wrote THIRD-PARTY-NOTICES.md (${rows.filter((row) => row.installed).length} packages)`);
}
