// Real clients against a running switchboard-server.jar (started by run.sh): the npm `openai` SDK and
// the npm `portkey-ai` SDK with baseURL at the server. Exits non-zero on the first failed check.
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import { Portkey } from 'portkey-ai';

const BASE = process.env.SB_URL;            // http://127.0.0.1:<port>
const KEY = process.env.SB_KEY;             // a server API key
const STUB = process.env.SB_STUB_URL;       // http://127.0.0.1:<stub port>/v1
const UPSTREAM_KEY = process.env.SB_UPSTREAM_KEY;

async function last() {
  return (await fetch(STUB.replace(/\/v1$/, '') + '/__last')).json();
}

const checks = [];
function check(name, fn) {
  checks.push([name, fn]);
}

const messages = [{ role: 'user', content: 'Say hello' }];
const tools = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

// ---------------------------------------------------------------- npm openai
const openai = new OpenAI({ baseURL: `${BASE}/v1`, apiKey: KEY, maxRetries: 0 });

check('openai: chat', async () => {
  const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages });
  assert.equal(r.choices[0].message.content, 'Hello from the node stub');
  const up = await last();
  assert.equal(up.headers.authorization, `Bearer ${UPSTREAM_KEY}`, 'the gateway sends its own key upstream');
});

check('openai: stream', async () => {
  const s = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
  let text = '';
  for await (const chunk of s) {
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  assert.equal(text, 'Hello');
});

check('openai: embeddings', async () => {
  const r = await openai.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
  assert.deepEqual(r.data[0].embedding.map((x) => Math.round(x * 10) / 10), [0.1, 0.2, 0.3]);
});

check('openai: tools', async () => {
  const r = await openai.chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
  const call = r.choices[0].message.tool_calls[0];
  assert.equal(call.function.name, 'get_weather');
  assert.deepEqual(JSON.parse(call.function.arguments), { city: 'Paris' });
});

check('openai: a provider 429 is a RateLimitError', async () => {
  await assert.rejects(
    openai.chat.completions.create({ model: 'error-429', messages }),
    (e) => e instanceof OpenAI.RateLimitError && e.status === 429 && /rate limited by the stub/.test(e.message));
});

check('openai: a wrong server key is an AuthenticationError', async () => {
  const wrong = new OpenAI({ baseURL: `${BASE}/v1`, apiKey: 'sb-wrong-key-0000000000', maxRetries: 0 });
  await assert.rejects(
    wrong.chat.completions.create({ model: 'gpt-4o-mini', messages }),
    (e) => e instanceof OpenAI.AuthenticationError && e.status === 401 && !e.message.includes('sb-wrong-key'));
});

check('openai: metadata and trace id as extra headers', async () => {
  const { data, response } = await openai.chat.completions
    .create({ model: 'gpt-4o-mini', messages }, { headers: { 'x-portkey-trace-id': 'node-trace-1', 'x-portkey-metadata': '{"user":"u-1"}' } })
    .withResponse();
  assert.equal(data.object, 'chat.completion');
  assert.equal(response.headers.get('x-portkey-trace-id'), 'node-trace-1');
  assert.equal(response.headers.get('x-portkey-last-used-option-index'), 'config');
});

// ---------------------------------------------------------------- npm portkey-ai
const conditional = {
  strategy: { mode: 'conditional', conditions: [{ query: { 'metadata.plan': { $eq: 'paid' } }, then: 'paid' }], default: 'free' },
  targets: [
    { name: 'paid', provider: 'openai', api_key: 'sk-node-inline-1', custom_host: STUB, override_params: { model: 'gpt-4o' } },
    { name: 'free', provider: 'openai', api_key: 'sk-node-inline-1', custom_host: STUB },
  ],
};

check('portkey-ai: inline config and metadata route the request', async () => {
  const paid = new Portkey({ apiKey: KEY, baseURL: `${BASE}/v1`, config: conditional, metadata: { plan: 'paid' } });
  const r = await paid.chat.completions.create({ model: 'gpt-4o-mini', messages });
  assert.equal(r.choices[0].message.content, 'Hello from the node stub');
  let up = await last();
  assert.equal(JSON.parse(up.body).model, 'gpt-4o', 'metadata.plan=paid took the paid target');
  assert.equal(up.headers.authorization, 'Bearer sk-node-inline-1');
  const free = new Portkey({ apiKey: KEY, baseURL: `${BASE}/v1`, config: conditional, metadata: { plan: 'free' } });
  await free.chat.completions.create({ model: 'gpt-4o-mini', messages });
  up = await last();
  assert.equal(JSON.parse(up.body).model, 'gpt-4o-mini');
});

check('portkey-ai: a config id the server was started with', async () => {
  const p = new Portkey({ apiKey: KEY, baseURL: `${BASE}/v1`, config: 'saved' });
  await p.chat.completions.create({ model: 'gpt-4o-mini', messages });
  assert.equal((await last()).headers.authorization, 'Bearer sk-node-saved-1');
});

check('portkey-ai: provider + Authorization (config-less)', async () => {
  const p = new Portkey({ apiKey: KEY, baseURL: `${BASE}/v1`, provider: 'openai', Authorization: 'Bearer sk-node-provider-1', customHost: STUB });
  const r = await p.chat.completions.create({ model: 'gpt-4o-mini', messages });
  assert.equal(r.choices[0].message.content, 'Hello from the node stub');
  assert.equal((await last()).headers.authorization, 'Bearer sk-node-provider-1');
});

const portkey = new Portkey({ apiKey: KEY, baseURL: `${BASE}/v1`, config: conditional, metadata: { plan: 'free' } });

check('portkey-ai: stream', async () => {
  const s = await portkey.chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
  let text = '';
  for await (const chunk of s) {
    text += chunk.choices[0]?.delta?.content ?? '';
  }
  assert.equal(text, 'Hello');
});

check('portkey-ai: embeddings', async () => {
  const r = await portkey.embeddings.create({ model: 'text-embedding-3-small', input: 'hello' });
  assert.deepEqual(r.data[0].embedding, [0.1, 0.2, 0.3]);
});

check('portkey-ai: tools', async () => {
  const r = await portkey.chat.completions.create({ model: 'gpt-4o-mini', messages, tools });
  assert.equal(r.choices[0].message.tool_calls[0].function.name, 'get_weather');
});

check('portkey-ai: errors keep their status', async () => {
  await assert.rejects(portkey.chat.completions.create({ model: 'error-429', messages }), (e) => e.status === 429);
  const wrong = new Portkey({ apiKey: 'sb-wrong-key-0000000000', baseURL: `${BASE}/v1`, config: conditional });
  await assert.rejects(wrong.chat.completions.create({ model: 'gpt-4o-mini', messages }), (e) => e.status === 401);
});

let failed = 0;
for (const [name, fn] of checks) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${e && e.stack ? e.stack : e}`);
  }
}
console.log(`${checks.length - failed}/${checks.length} node client checks passed`);
process.exit(failed === 0 ? 0 : 1);
