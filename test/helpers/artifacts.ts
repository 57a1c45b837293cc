import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { unzipSync } from 'fflate';

/** Every text the run left behind, looking inside zips (traces) and the HTML report's embedded zip. */
export function* textsUnder(dir: string): Generator<{ file: string; text: string; bytes: Buffer }> {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8', withFileTypes: false }).map((f) => path.join(dir, f));
  for (const file of files) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(file);
    } catch {
      continue;
    }
    yield* textsOf(file, bytes);
  }
}

function* textsOf(name: string, bytes: Buffer): Generator<{ file: string; text: string; bytes: Buffer }> {
  if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) {
    for (const [entry, content] of Object.entries(unzipSync(bytes))) yield* textsOf(`${name}!${entry}`, Buffer.from(content));
    return;
  }
  const text = bytes.toString('latin1');
  yield { file: name, text, bytes };
  const embedded = /playwrightReportBase64">data:application\/zip;base64,([A-Za-z0-9+/=]+)/.exec(text)?.[1];
  if (embedded !== undefined) yield* textsOf(`${name}!report-data`, Buffer.from(embedded, 'base64'));
}
