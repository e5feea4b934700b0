// Checks GS1 Digital Link URIs with GS1's digital-link.js (its ABNF grammar, check digits
// and the compression prototype it embeds).
// stdin: {"validate": [uri, ...], "compress": [uri, ...]}
// stdout: {"validate": [{uri, valid, trace}], "compress": [{uri, optimised, plain}]}
const { DigitalLink, Utils } = require('digital-link.js');

const input = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const attempt = (f) => {
  try {
    return f();
  } catch (error) {
    return null;
  }
};
const out = {
  validate: (input.validate || []).map((uri) => {
    const link = attempt(() => DigitalLink(uri));
    const valid = Boolean(link && attempt(() => link.isValid()));
    const trace = valid ? undefined : attempt(() => link.getValidationTrace());
    return { uri, valid, trace };
  }),
  compress: (input.compress || []).map((uri) => ({
    uri,
    optimised: attempt(() => Utils.compressWebUri(uri, true, true)),
    plain: attempt(() => Utils.compressWebUri(uri, false, false)),
  })),
};
process.stdout.write(JSON.stringify(out));
