// Validates Kubernetes manifests (multi-document YAML files) against the Kubernetes schemas of
// the npm package kubernetes-models, and custom resources against the CRDs among the inputs
// (their openAPIV3Schema, with ajv). Any document it cannot check is an error, never a pass.
//   node validate-manifests.mjs rendered.yaml crds/*.yml charts/examples/*.yaml
// MOON_K8S_TOOLS names the directory where charts/tools/install.sh put the packages.
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const tools = process.env.MOON_K8S_TOOLS;
if (!tools) {
  console.error('validate-manifests: set MOON_K8S_TOOLS (charts/tools/install.sh prints it)');
  process.exit(2);
}
const require = createRequire(path.join(tools, 'node_modules', 'x.js'));
const YAML = require('yaml');
const Ajv = require('ajv');

const docs = [];
for (const file of process.argv.slice(2)) {
  YAML.parseAllDocuments(readFileSync(file, 'utf8')).forEach((d, i) => {
    if (d.errors.length) throw new Error(`${file} document ${i}: ${d.errors[0].message}`);
    const obj = d.toJS();
    if (obj) docs.push({ file, index: i, obj });
  });
}

// Custom resource schemas from the CRDs given.
const crds = new Map();
for (const { obj } of docs) {
  if (obj.kind !== 'CustomResourceDefinition') continue;
  for (const v of obj.spec.versions) {
    const schema = closed(v.schema.openAPIV3Schema);
    // apiVersion, kind and metadata are the API server's, not the CRD's to describe.
    schema.properties = { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...schema.properties };
    crds.set(`${obj.spec.group}/${v.name}/${obj.spec.names.kind}`, schema);
  }
}
// The API server prunes fields a structural schema does not name; in a file we check, such a
// field is a typo, so objects that name their properties get additionalProperties: false.
function closed(schema) {
  if (!schema || typeof schema !== 'object') return schema;
  const s = { ...schema };
  if (s.properties) {
    s.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, closed(v)]));
    if (s.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) s.additionalProperties = false;
  }
  if (s.items) s.items = closed(s.items);
  if (s.additionalProperties && typeof s.additionalProperties === 'object') s.additionalProperties = closed(s.additionalProperties);
  return s;
}
// The x-kubernetes-* keywords are the API server's; ajv need not know them.
const ajv = new Ajv({ strict: false, allErrors: true });

let failures = 0;
let checked = 0;
for (const { file, index, obj } of docs) {
  const where = `${file}#${index} ${obj.kind}/${obj.metadata?.name}`;
  try {
    if (!obj.apiVersion || !obj.kind) throw new Error('apiVersion and kind are required');
    const [group, version] = obj.apiVersion.includes('/') ? obj.apiVersion.split('/') : ['', obj.apiVersion];
    const schema = crds.get(`${group}/${version}/${obj.kind}`);
    if (schema) {
      const validate = ajv.compile(schema);
      if (!validate(obj)) throw new Error(ajv.errorsText(validate.errors));
    } else {
      const mod = require(group ? `kubernetes-models/${group}/${version}` : `kubernetes-models/${version}`);
      const Model = mod[obj.kind];
      if (!Model) throw new Error(`no schema for ${obj.apiVersion} ${obj.kind}`);
      new Model(obj).validate();
    }
    checked++;
  } catch (e) {
    failures++;
    console.error(`INVALID ${where}: ${e.message}`);
  }
}
console.log(`validate-manifests: ${checked} valid, ${failures} invalid`);
process.exit(failures === 0 && checked > 0 ? 0 : 1);
