// Reads and writes VietQR / VNPAY-QR payloads with the npm `vietnam-qr-pay` library, for
// langso/economy/tests/test_vietqr_conformance.py. Input on stdin (JSON):
//   {"parse": [payload, ...], "build": [{"kind": "vietqr"|"vnpay", ...options}, ...]}
// Output on stdout (JSON): {"parsed": [fields, ...], "built": [payload, ...]}
'use strict';
const { QRPay } = require('vietnam-qr-pay');

function read(content) {
  const qr = new QRPay(content);
  const extra = qr.additionalData || {};
  return {
    isValid: qr.isValid,
    provider: qr.provider ? qr.provider.name || '' : '',
    guid: qr.provider ? qr.provider.guid || '' : '',
    service: qr.provider ? qr.provider.service || '' : '',
    initMethod: qr.initMethod || '',
    bankBin: qr.consumer ? qr.consumer.bankBin || '' : '',
    bankNumber: qr.consumer ? qr.consumer.bankNumber || '' : '',
    merchantId: qr.merchant ? qr.merchant.id || '' : '',
    merchantName: qr.merchant ? qr.merchant.name || '' : '',
    amount: qr.amount || '',
    currency: qr.currency || '',
    nation: qr.nation || '',
    city: qr.city || '',
    billNumber: extra.billNumber || '',
    mobileNumber: extra.mobileNumber || '',
    store: extra.store || '',
    terminal: extra.terminal || '',
    reference: extra.reference || '',
    purpose: extra.purpose || '',
    unreserved: qr.unreserved || {},
  };
}

function build(options) {
  let qr;
  if (options.kind === 'vnpay') {
    qr = QRPay.initVNPayQR(options);
  } else {
    qr = QRPay.initVietQR(options);
    if (options.billNumber) qr.additionalData.billNumber = options.billNumber;
    if (options.reference) qr.additionalData.reference = options.reference;
  }
  for (const [tag, value] of Object.entries(options.unreserved || {})) {
    qr.setUnreservedField(tag, value);
  }
  return qr.build();
}

let input = '';
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => { input += chunk; });
process.stdin.on('end', () => {
  const request = JSON.parse(input || '{}');
  const out = {
    parsed: (request.parse || []).map(read),
    built: (request.build || []).map(build),
  };
  process.stdout.write(JSON.stringify(out));
});
