/**
 * Seeded mutations of a file's bytes. Each one models a way real files go wrong: bit rot
 * (byte flips), interrupted copies (truncation), hand edits (deleted columns, duplicated or
 * shuffled lines), runaway generators (huge fields), wrong encodings (invalid UTF-8),
 * Windows editors (CRLF, BOM) and binary files passed by mistake (NUL bytes).
 */

const NEWLINE = 0x0a;

function lines(bytes) {
  const text = bytes.toString('latin1');
  return text.split('\n');
}
function joinLines(parts) {
  return Buffer.from(parts.join('\n'), 'latin1');
}

const MUTATIONS = {
  byteFlip(bytes, random) {
    if (bytes.length === 0) return bytes;
    const out = Buffer.from(bytes);
    const flips = 1 + random.int(4);
    for (let i = 0; i < flips; i++) out[random.int(out.length)] ^= 1 + random.int(255);
    return out;
  },
  truncate(bytes, random) {
    return bytes.subarray(0, random.int(bytes.length + 1));
  },
  deleteColumn(bytes, random) {
    const parts = lines(bytes);
    const k = random.int(parts.length);
    const separator = parts[k].includes('\t') ? '\t' : ' ';
    const fields = parts[k].split(separator);
    fields.splice(random.int(fields.length), 1);
    parts[k] = fields.join(separator);
    return joinLines(parts);
  },
  duplicateLines(bytes, random) {
    const parts = lines(bytes);
    const start = random.int(parts.length);
    const count = 1 + random.int(Math.min(5, parts.length - start));
    parts.splice(start, 0, ...parts.slice(start, start + count));
    return joinLines(parts);
  },
  shuffleLines(bytes, random) {
    const parts = lines(bytes);
    const start = random.int(parts.length);
    const count = Math.min(2 + random.int(8), parts.length - start);
    const window = random.shuffle(parts.slice(start, start + count));
    parts.splice(start, count, ...window);
    return joinLines(parts);
  },
  deleteLines(bytes, random) {
    const parts = lines(bytes);
    parts.splice(random.int(parts.length), 1 + random.int(3));
    return joinLines(parts);
  },
  hugeField(bytes, random) {
    const at = random.int(bytes.length + 1);
    const unit = ['x', '(', '\t', '-', '9', '#'][random.int(6)];
    const huge = Buffer.from(unit.repeat(4_096 + random.int(60_000)), 'latin1');
    return Buffer.concat([bytes.subarray(0, at), huge, bytes.subarray(at)]);
  },
  invalidUtf8(bytes, random) {
    const bad = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80]][
      random.int(5)
    ];
    const at = random.int(bytes.length + 1);
    return Buffer.concat([bytes.subarray(0, at), Buffer.from(bad), bytes.subarray(at)]);
  },
  crlf(bytes) {
    const out = [];
    for (const byte of bytes) {
      if (byte === NEWLINE) out.push(0x0d);
      out.push(byte);
    }
    return Buffer.from(out);
  },
  bom(bytes) {
    return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
  },
  nulBytes(bytes, random) {
    const at = random.int(bytes.length + 1);
    const nul = Buffer.alloc(1 + random.int(16));
    return Buffer.concat([bytes.subarray(0, at), nul, bytes.subarray(at)]);
  },
  noise(bytes, random) {
    const parts = lines(bytes);
    const k = random.int(parts.length);
    const noise = ['(', ')', '*', '\t', ' ', '-', '_', '0', '#', '|', '=', ':', '{', '[', '"'];
    const at = random.int(parts[k].length + 1);
    parts[k] = parts[k].slice(0, at) + noise[random.int(noise.length)] + parts[k].slice(at);
    return joinLines(parts);
  },
};

export const MUTATION_NAMES = Object.keys(MUTATIONS);

/** One to three mutations in a row; returns the mutated bytes and the names applied. */
export function mutate(bytes, random) {
  const applied = [];
  let out = bytes;
  const count = 1 + random.int(3);
  for (let i = 0; i < count; i++) {
    const name = MUTATION_NAMES[random.int(MUTATION_NAMES.length)];
    out = MUTATIONS[name](out, random);
    applied.push(name);
  }
  return { bytes: out, applied };
}
