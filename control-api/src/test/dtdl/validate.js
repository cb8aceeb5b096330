// Validates DTDL interfaces with Microsoft's DTDL parser. Usage: node validate.js interfaces.json
// Prints "valid N" (N = elements parsed) and exits 0, or prints the parser's errors and exits 1.
const fs = require('fs');
const { createParser, ModelParsingOption } = require('@azure/dtdl-parser');

(async () => {
  const interfaces = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
  const parser = createParser(ModelParsingOption.PermitAnyTopLevelElement);
  try {
    const model = await parser.parse(interfaces.map((i) => JSON.stringify(i)));
    console.log('valid ' + Object.keys(model).length);
  } catch (e) {
    console.log(JSON.stringify(e._parsingErrors || String(e), null, 1));
    process.exit(1);
  }
})();
