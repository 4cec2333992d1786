// Decodes and encodes Sparkplug B payloads with Eclipse Tahu's JavaScript
// library (npm sparkplug-payload), for interop_test.go in package
// twin/sparkplug/host.
//
// Reads one JSON request on stdin:
//   {"decode": [{"name": "...", "payload": "<base64>"}],
//    "encode": [{"name": "...", "payload": <Tahu payload object>}]}
// and writes one JSON answer on stdout:
//   {"version": "<sparkplug-payload version>",
//    "decoded": [{"name": "...", "payload": <Tahu payload object>}],
//    "encoded": [{"name": "...", "payload": "<base64>"}]}
//
// JSON has no 64-bit integers, so 64-bit numbers travel as decimal strings
// both ways: Long values in decoded payloads become strings, and strings
// given for timestamps, seq, aliases and Int64, UInt64 and DateTime values
// become Long before encoding. A decoded metric also says whether Tahu
// produced a value other than null ("hasValue"): it reads a value only
// through the metric's datatype, and gives null without one.
"use strict";

const Long = require("long");
const sparkplug = require("sparkplug-payload").get("spBv1.0");
const version = require("sparkplug-payload/package.json").version;

function isLong(v) {
  return v !== null && typeof v === "object" && typeof v.low === "number" &&
    typeof v.high === "number" && typeof v.unsigned === "boolean";
}

// plain returns v with Long values as decimal strings and bytes as base64.
function plain(v) {
  if (isLong(v)) {
    return v.toString();
  }
  if (v instanceof Uint8Array) {
    return Buffer.from(v).toString("base64");
  }
  if (Array.isArray(v)) {
    return v.map(plain);
  }
  if (v !== null && typeof v === "object") {
    const out = {};
    for (const k of Object.keys(v)) {
      out[k] = plain(v[k]);
    }
    return out;
  }
  return v;
}

function decoded(b64) {
  const p = sparkplug.decodePayload(Buffer.from(b64, "base64"));
  const out = plain(p);
  (out.metrics || []).forEach((m, i) => {
    const v = p.metrics[i].value;
    m.hasValue = v !== undefined && v !== null;
  });
  return out;
}

// toLong turns a decimal string into a Long; other values pass through.
function toLong(v, unsigned) {
  return typeof v === "string" ? Long.fromString(v, unsigned) : v;
}

const longTypes = { Int64: false, UInt64: true, DateTime: true };

function encoded(p) {
  const q = Object.assign({}, p);
  q.timestamp = toLong(p.timestamp, true);
  q.seq = toLong(p.seq, true);
  q.metrics = (p.metrics || []).map((m) => {
    const n = Object.assign({}, m);
    n.timestamp = toLong(m.timestamp, true);
    n.alias = toLong(m.alias, true);
    if (m.type in longTypes) {
      n.value = toLong(m.value, longTypes[m.type]);
    }
    return n;
  });
  return Buffer.from(sparkplug.encodePayload(q)).toString("base64");
}

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const req = JSON.parse(input);
  const answer = {
    version: version,
    decoded: (req.decode || []).map((c) => ({ name: c.name, payload: decoded(c.payload) })),
    encoded: (req.encode || []).map((c) => ({ name: c.name, payload: encoded(c.payload) })),
  };
  process.stdout.write(JSON.stringify(answer) + "\n");
});
