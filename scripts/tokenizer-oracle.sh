#!/usr/bin/env bash
# Regenerates the expected ids of compiler's TokenizerOracleTest from two implementations that are
# not oclc's (not run by CI; needs node and npm, installs into a scratch folder under /tmp):
#  - Hugging Face tokenizers (the npm package "tokenizers": the Rust library's Node binding) on
#    ../shared/models/ort-genai-gpt2-fp32/tokenizer.json: ids and decoded text -> HF_CASES;
#  - js-tiktoken's "gpt2" encoding (OpenAI's GPT-2 ranks, no added tokens beyond <|endoftext|>)
#    -> TIKTOKEN_CASES, what GPT-2's plain vocab.json + merges.txt give;
#  - Hugging Face tokenizers on a variant of that file (TokenizerOracleTest.variant builds the same):
#    an NFC normalizer, Llama 3's Split regex then ByteLevel without its regex, <|endoftext|> with
#    lstrip and rstrip, an added single-word [MASK], a template that puts <|endoftext|> first
#    -> VARIANT_CASES.
# Paste the printed lines over the two lists in
# compiler/src/test/java/oclc/compiler/generate/tokenizer/TokenizerOracleTest.java. The texts are
# listed once, below.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
tokenizer="${1:-$root/../shared/models/ort-genai-gpt2-fp32/tokenizer.json}"
scratch="${TMPDIR:-/tmp}/oclc-tokenizer-oracle"
mkdir -p "$scratch"
if [ ! -d "$scratch/node_modules/tokenizers" ] || [ ! -d "$scratch/node_modules/js-tiktoken" ]; then
  (cd "$scratch" && npm init -y >/dev/null && npm install --no-audit --no-fund tokenizers@0.23.2 js-tiktoken@1.0.21 >&2)
fi
cat > "$scratch/oracle.js" <<'EOF'
const { Tokenizer } = require('tokenizers');
const { getEncoding } = require('js-tiktoken');
const LLAMA3 = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
function variant(json) {
  json.normalizer = { type: 'NFC' };
  json.pre_tokenizer = { type: 'Sequence', pretokenizers: [
    { type: 'Split', pattern: { Regex: LLAMA3 }, behavior: 'Isolated', invert: false },
    { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false }] };
  const eos = json.added_tokens.find((t) => t.content === '<|endoftext|>');
  eos.lstrip = true;
  eos.rstrip = true;
  json.added_tokens.push({ id: 50295, content: '[MASK]', single_word: true, lstrip: false,
    rstrip: false, normalized: false, special: true });
  json.post_processor = { type: 'TemplateProcessing',
    single: [{ SpecialToken: { id: '<|endoftext|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
    pair: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'B', type_id: 1 } }],
    special_tokens: { '<|endoftext|>': { id: '<|endoftext|>', ids: [50256], tokens: ['<|endoftext|>'] } } };
  return json;
}
const variantTexts = [
  "Hello world, I'M SURE it's 1234567 and 89",
  "x <|endoftext|> y  <|endoftext|>z",
  "[MASK] word[MASK] [MASK]x ([MASK])",
  "combining e\u0301 and precomposed \u00e9",
  "lines\n\n\n  indented\r\n\ttab   three",
  "日本語 😀 naïve",
];
const texts = [
  "Hello world",
  "The quick brown fox jumps over the lazy dog.",
  "I'm sure it's what they've said: we'll, you'd, I'd've, she's, don't",
  "I'M SURE IT'S DON'T WE'LL",
  "héllo wörld, naïve café, Ærøskøbing, Straße",
  "日本語のテキストと中文和한국어",
  "Привет, мир! Γειά σου κόσμε",
  "emoji 😀🎉 and 👨‍👩‍👧 family, flag 🇫🇷, ✓ ★ €",
  "two  spaces, three   spaces,    four and          ten",
  "   leading and trailing   ",
  "tabs\there\t\tand\t\t\tthree",
  "line one\nline two\n\nafter a blank line\r\nwindows\n",
  "def f(x):\n    return x * 2\n\tindented\n        eight",
  "digits 0 12 345 6789 1234567890 3.14159 -42 1,000,000",
  "<|endoftext|>",
  "before<|endoftext|>after <|endoftext|> spaced <|endoftext|>",
  "not special: <|endoftext| and <|end",
  "non-breaking\u00a0space, ideographic\u3000space, em\u2003space, next\u0085line",
  "control \u0001\u001f chars and zero\u200bwidth",
  "combining e\u0301 and precomposed \u00e9",
  "",
  " ",
  "\n",
  "\t",
  "                                          many spaces",
  "a\u00a0\u00a0b",
  "punctuation!!! ??? ... --- ((()))[]{} @#$%^&*",
  "URL https://example.com/path?q=1&r=two#frag and user@mail.org",
];
(async () => {
  const hf = Tokenizer.fromFile(process.argv[2]);
  const gpt2 = getEncoding('gpt2');
  const quote = (s) =>
    JSON.stringify(s).replace(/[\u007f-\u00a0\u00ad\u0300-\u036f\u2000-\u206f\u3000\ufeff]/g,
      (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
  const line = (text, decoded, ids) =>
    `      new Case(${quote(text)}, ${quote(decoded)}, "${[...ids].join(',')}"),`;
  const hfLines = [];
  const tiktokenLines = [];
  for (const text of texts) {
    const encoding = await hf.encode(text);
    const ids = encoding.getIds();
    const decoded = await hf.decode(ids, false);
    hfLines.push(line(text, decoded, ids));
    tiktokenLines.push(line(text, text, gpt2.encode(text, 'all')));
  }
  console.log('  // HF_CASES: Hugging Face tokenizers 0.23.2 (npm "tokenizers") on ort-genai-gpt2-fp32/tokenizer.json');
  console.log(hfLines.join('\n'));
  const fs = require('fs');
  const variantTokenizer = Tokenizer.fromString(
    JSON.stringify(variant(JSON.parse(fs.readFileSync(process.argv[2], 'utf8')))));
  const variantLines = [];
  for (const text of variantTexts) {
    const ids = (await variantTokenizer.encode(text)).getIds();
    variantLines.push(line(text, await variantTokenizer.decode(ids, false), ids));
  }
  console.log('  // VARIANT_CASES: Hugging Face tokenizers 0.23.2 on variant(tokenizer.json)');
  console.log(variantLines.join('\n'));
  console.log('  // TIKTOKEN_CASES: js-tiktoken 1.0.21, encoding "gpt2", allowed special "all"');
  console.log(tiktokenLines.join('\n'));
})();
EOF
(cd "$scratch" && node oracle.js "$(realpath "$tokenizer")")
