#!/usr/bin/env node
/**
 * `npm run make-test-models`: writes three tiny, deterministic ONNX models to test/fixtures/models/, each in
 * the folder layout Transformers.js loads (config.json, tokenizer.json, tokenizer_config.json,
 * onnx/model.onnx), each with a word-level tokenizer over one small vocabulary:
 *
 * - tiny-ner (BERT-style token classifier, `model_type: "bert"`): a lookup table from token to label logits.
 *   Person names (alice, bruno, chidi, dana), places (paris, lagos, oslo, lima) and organisations (acme,
 *   globex, initech) are tagged B-PER, B-LOC and B-ORG; every other token is O. Inputs input_ids,
 *   attention_mask, token_type_ids; output logits [batch, sequence, 7].
 * - tiny-embed (BERT-style feature extractor): a seeded 16-dimensional embedding per token; output
 *   last_hidden_state [batch, sequence, 16] (mean pooling and normalising are the pipeline's).
 * - tiny-gpt2 (GPT-2-style causal language model, one layer, two heads of size 4): next-token logits from a
 *   seeded bigram table; the key/value cache is the running concatenation of per-token vectors, so the
 *   past_key_values plumbing is exercised. Outputs logits [batch, sequence, vocab] and present.0.key|value.
 *
 * Weights come from a fixed-seed generator (no Math.random), so the files are the same byte for byte on
 * every run. Written with onnx-proto (IR 8, opset 14). Run directly, or import makeTestModels(dir).
 */
import { createRequire } from 'node:module';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { onnx } = require('onnx-proto');

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

export const SPECIAL = ['[PAD]', '[UNK]', '[CLS]', '[SEP]', '<|endoftext|>'];
export const PERSONS = ['alice', 'bruno', 'chidi', 'dana'];
export const LOCATIONS = ['paris', 'lagos', 'oslo', 'lima'];
export const ORGANISATIONS = ['acme', 'globex', 'initech'];
const WORDS = [
  'the', 'a', 'patient', 'customer', 'reported', 'called', 'about', 'pain', 'delay', 'refund', 'order', 'in', 'at',
  'from', 'with', 'and', 'was', 'is', 'not', 'very', 'late', 'again', 'today', 'service', 'staff', 'visit', 'after',
  'before', 'said', 'needs', 'follow', 'up', 'mild', 'severe', 'happy', 'unhappy', 'office', 'phone', 'email',
  '.', ',',
];
export const VOCAB = [...SPECIAL, ...PERSONS, ...LOCATIONS, ...ORGANISATIONS, ...WORDS];
export const LABELS = ['O', 'B-PER', 'I-PER', 'B-LOC', 'I-LOC', 'B-ORG', 'I-ORG'];
export const EMBED_DIM = 16;
const N_HEAD = 2;
const HEAD_SIZE = 4;

/** Mulberry32: a fixed-seed stream of floats in [0, 1). */
function stream(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function floatTensor(name, dims, values) {
  const data = new Float32Array(values);
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(data.buffer) };
}
function int64Tensor(name, values) {
  const data = new BigInt64Array(values.map((v) => BigInt(v)));
  return { name, dims: [values.length], dataType: INT64, rawData: new Uint8Array(data.buffer) };
}
function valueInfo(name, elemType, dims) {
  return {
    name,
    type: { tensorType: { elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) } } },
  };
}
const node = (opType, inputs, outputs, attribute = []) => ({ opType, input: inputs, output: outputs, name: outputs[0], attribute });
const intsAttr = (name, ints) => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints });
const intAttr = (name, i) => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });

function encodeModel(graph) {
  const model = onnx.ModelProto.create({
    irVersion: 8,
    producerName: 'facsimile make-test-models',
    opsetImport: [{ domain: '', version: 14 }],
    graph,
  });
  return onnx.ModelProto.encode(model).finish();
}

/** Nodes that add 0 × a [batch, n] int64 input to a float tensor, so every declared input is consumed. */
function consume(input, into, out, tag) {
  return [
    node('Cast', [input], [`${tag}_f`], [intAttr('to', FLOAT)]),
    node('ReduceSum', [`${tag}_f`, 'axis1'], [`${tag}_sum`], [intAttr('keepdims', 1)]),
    node('Mul', [`${tag}_sum`, 'zero'], [`${tag}_zero`]),
    node('Unsqueeze', [`${tag}_zero`, 'axisLast'], [`${tag}_zero3`]),
    node('Add', [into, `${tag}_zero3`], [out]),
  ];
}
const commonInits = () => [floatTensor('zero', [], [0]), int64Tensor('axis1', [1]), int64Tensor('axisLast', [-1])];

function bertGraph(name, table, width, outputName) {
  const nodes = [
    node('Gather', ['table', 'input_ids'], ['looked']),
    ...consume('attention_mask', 'looked', 'with_mask', 'mask'),
    ...consume('token_type_ids', 'with_mask', outputName, 'tt'),
  ];
  return {
    name,
    node: nodes,
    initializer: [floatTensor('table', [VOCAB.length, width], table), ...commonInits()],
    input: ['input_ids', 'attention_mask', 'token_type_ids'].map((n) => valueInfo(n, INT64, ['batch', 'sequence'])),
    output: [valueInfo(outputName, FLOAT, ['batch', 'sequence', width])],
  };
}

function nerModel() {
  const table = [];
  for (const w of VOCAB) {
    const row = new Array(LABELS.length).fill(0);
    const label = PERSONS.includes(w) ? 1 : LOCATIONS.includes(w) ? 3 : ORGANISATIONS.includes(w) ? 5 : 0;
    row[label] = 8;
    table.push(...row);
  }
  return encodeModel(bertGraph('tiny-ner', table, LABELS.length, 'logits'));
}

function embedModel() {
  const r = stream(17);
  const table = Array.from({ length: VOCAB.length * EMBED_DIM }, () => r() * 2 - 1);
  return encodeModel(bertGraph('tiny-embed', table, EMBED_DIM, 'last_hidden_state'));
}

function gpt2Model() {
  const r = stream(29);
  const V = VOCAB.length;
  const eos = VOCAB.indexOf('<|endoftext|>');
  const banned = new Set(['[PAD]', '[UNK]', '[CLS]', '[SEP]']);
  const logits = [];
  for (let i = 0; i < V; i++) {
    for (let j = 0; j < V; j++) logits.push(banned.has(VOCAB[j]) ? -30 : j === eos ? -1 : r() * 4 - 2);
  }
  const kv = Array.from({ length: V * N_HEAD * HEAD_SIZE }, () => r() * 2 - 1);
  const nodes = [
    node('Gather', ['bigram', 'input_ids'], ['raw_logits']),
    ...consume('attention_mask', 'raw_logits', 'logits_m', 'mask'),
    ...consume('position_ids', 'logits_m', 'logits', 'pos'),
    node('Gather', ['kv', 'input_ids'], ['kv_flat']),
    node('Reshape', ['kv_flat', 'kv_shape'], ['kv_heads']),
    node('Transpose', ['kv_heads'], ['kv_new'], [intsAttr('perm', [0, 2, 1, 3])]),
    node('Concat', ['past_key_values.0.key', 'kv_new'], ['present.0.key'], [intAttr('axis', 2)]),
    node('Concat', ['past_key_values.0.value', 'kv_new'], ['present.0.value'], [intAttr('axis', 2)]),
  ];
  const cache = (n, len) => valueInfo(n, FLOAT, ['batch', N_HEAD, len, HEAD_SIZE]);
  return encodeModel({
    name: 'tiny-gpt2',
    node: nodes,
    initializer: [
      floatTensor('bigram', [V, V], logits),
      floatTensor('kv', [V, N_HEAD * HEAD_SIZE], kv),
      int64Tensor('kv_shape', [0, 0, N_HEAD, HEAD_SIZE]),
      ...commonInits(),
    ],
    input: [
      valueInfo('input_ids', INT64, ['batch', 'sequence']),
      valueInfo('attention_mask', INT64, ['batch', 'total_sequence']),
      valueInfo('position_ids', INT64, ['batch', 'sequence']),
      cache('past_key_values.0.key', 'past_sequence'),
      cache('past_key_values.0.value', 'past_sequence'),
    ],
    output: [valueInfo('logits', FLOAT, ['batch', 'sequence', V]), cache('present.0.key', 'total_sequence'), cache('present.0.value', 'total_sequence')],
  });
}

function tokenizerJson(bert) {
  const vocab = Object.fromEntries(VOCAB.map((w, i) => [w, i]));
  return {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: SPECIAL.map((content) => ({
      id: VOCAB.indexOf(content), content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'Lowercase' },
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: bert
      ? {
          type: 'TemplateProcessing',
          single: [{ SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } }],
          pair: [
            { SpecialToken: { id: '[CLS]', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '[SEP]', type_id: 0 } },
            { Sequence: { id: 'B', type_id: 1 } }, { SpecialToken: { id: '[SEP]', type_id: 1 } },
          ],
          special_tokens: {
            '[CLS]': { id: '[CLS]', ids: [VOCAB.indexOf('[CLS]')], tokens: ['[CLS]'] },
            '[SEP]': { id: '[SEP]', ids: [VOCAB.indexOf('[SEP]')], tokens: ['[SEP]'] },
          },
        }
      : null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: { type: 'WordLevel', vocab, unk_token: '[UNK]' },
  };
}

const json = (x) => JSON.stringify(x, null, 2) + '\n';

/** The three model folders: name → { relative path → bytes or text }. */
export function testModelFiles() {
  const bertTokConfig = {
    tokenizer_class: 'BertTokenizer', do_lower_case: true, model_max_length: 128,
    cls_token: '[CLS]', sep_token: '[SEP]', pad_token: '[PAD]', unk_token: '[UNK]', mask_token: '[UNK]',
  };
  const bertConfig = (extra) => ({
    model_type: 'bert', vocab_size: VOCAB.length, hidden_size: EMBED_DIM, num_hidden_layers: 1, num_attention_heads: 2,
    max_position_embeddings: 128, pad_token_id: 0, ...extra,
  });
  const eos = VOCAB.indexOf('<|endoftext|>');
  return {
    'tiny-ner': {
      'config.json': json(bertConfig({
        architectures: ['BertForTokenClassification'],
        id2label: Object.fromEntries(LABELS.map((l, i) => [String(i), l])),
        label2id: Object.fromEntries(LABELS.map((l, i) => [l, i])),
      })),
      'tokenizer.json': json(tokenizerJson(true)),
      'tokenizer_config.json': json(bertTokConfig),
      'onnx/model.onnx': nerModel(),
    },
    'tiny-embed': {
      'config.json': json(bertConfig({ architectures: ['BertModel'] })),
      'tokenizer.json': json(tokenizerJson(true)),
      'tokenizer_config.json': json(bertTokConfig),
      'onnx/model.onnx': embedModel(),
    },
    'tiny-gpt2': {
      'config.json': json({
        model_type: 'gpt2', architectures: ['GPT2LMHeadModel'], vocab_size: VOCAB.length, n_layer: 1, n_head: N_HEAD,
        n_embd: N_HEAD * HEAD_SIZE, n_positions: 256, n_ctx: 256, bos_token_id: eos, eos_token_id: eos,
      }),
      'generation_config.json': json({ bos_token_id: eos, eos_token_id: eos, pad_token_id: eos }),
      'tokenizer.json': json(tokenizerJson(false)),
      'tokenizer_config.json': json({
        tokenizer_class: 'GPT2Tokenizer', model_max_length: 256, bos_token: '<|endoftext|>', eos_token: '<|endoftext|>',
        pad_token: '<|endoftext|>', unk_token: '[UNK]', padding_side: 'left',
      }),
      'onnx/model.onnx': gpt2Model(),
    },
  };
}

/** Writes the models under dir (test/fixtures/models by default); returns the folders written. */
export function makeTestModels(dir) {
  const written = [];
  for (const [name, files] of Object.entries(testModelFiles())) {
    for (const [rel, content] of Object.entries(files)) {
      const file = path.join(dir, name, rel);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, content);
    }
    written.push(path.join(dir, name));
  }
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  const dir = process.argv[2] ?? path.join(root, 'test/fixtures/models');
  for (const d of makeTestModels(dir)) process.stdout.write(`wrote ${path.relative(process.cwd(), d)}\n`);
}
