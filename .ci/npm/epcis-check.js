// Checks EPCIS 2.0 documents with the independent epcis2.js SDK (EVRYTHNG/Zebra):
// stdin: a JSON array of documents; stdout: for each, {valid, errors, hashes} where hashes
// are epcis2.js's CBV 2.0 event hashes of its events (null where it cannot compute one).
const { validateEpcisDocument, eventToHashedId } = require('epcis2.js');

function namespaces(context) {
  const out = {};
  for (const item of [].concat(context || [])) {
    if (item && typeof item === 'object') {
      for (const [key, value] of Object.entries(item)) {
        if (typeof value === 'string') out[key] = value;
      }
    }
  }
  return out;
}

function events(doc) {
  const body = doc.epcisBody || {};
  return body.queryResults ? body.queryResults.resultsBody.eventList : body.eventList || [];
}

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const results = input.map((doc) => {
  const verdict = validateEpcisDocument(JSON.parse(JSON.stringify(doc)), false);
  const hashes = events(doc).map((event) => {
    const own = event['@context'] ? namespaces(event['@context']) : {};
    const body = { ...event };
    delete body['@context'];
    try {
      return eventToHashedId(body, { ...namespaces(doc['@context']), ...own });
    } catch (error) {
      return null;
    }
  });
  return { valid: verdict.success, errors: verdict.errors || [], hashes };
});
process.stdout.write(JSON.stringify(results));
