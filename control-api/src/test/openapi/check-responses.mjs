// Validates bodies the server answered against the response schemas of openapi.json.
// Usage: node check-responses.mjs <openapi.json> <samples.json>
// samples.json: [{"name": "...", "pointer": "/paths/.../schema", "body": <JSON>}, ...]
// Prints one line per sample; exits 1 if any body does not match its schema.
import { readFileSync } from "node:fs";
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

const [documentFile, samplesFile] = process.argv.slice(2);
const document = JSON.parse(readFileSync(documentFile, "utf8"));
const samples = JSON.parse(readFileSync(samplesFile, "utf8"));

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ $id: "urn:atrium:openapi", components: document.components, paths: document.paths });

let failed = 0;
for (const s of samples) {
  const validate = ajv.compile({ $ref: "urn:atrium:openapi#" + s.pointer });
  if (validate(s.body)) {
    console.log(`ok   ${s.name}`);
  } else {
    failed++;
    console.log(`FAIL ${s.name} against ${s.pointer}`);
    for (const e of validate.errors) console.log(`       ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
    console.log(`       body: ${JSON.stringify(s.body).slice(0, 600)}`);
  }
}
console.log(`${samples.length - failed} of ${samples.length} bodies match their schemas`);
process.exit(failed === 0 ? 0 : 1);
