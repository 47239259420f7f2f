// A tiny OpenAI-compatible upstream for run.sh: prints its port, answers chat (JSON, SSE, tools,
// a 429 for model "error-429"), embeddings, file upload (keeps the file part) and file download,
// and shows the last request it received at GET /__last (headers and body, for the checks).
import http from 'node:http';

let last = null;
let uploaded = Buffer.alloc(0);

function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function filePart(body, contentType) {
  const boundary = /boundary="?([^";]+)"?/.exec(contentType || '')[1];
  const delimiter = Buffer.from('\r\n--' + boundary);
  const raw = Buffer.concat([Buffer.from('\r\n'), body]);
  let at = raw.indexOf(delimiter);
  while (at >= 0) {
    const headEnd = raw.indexOf('\r\n\r\n', at);
    const head = raw.subarray(at, headEnd).toString('latin1');
    const next = raw.indexOf(delimiter, headEnd + 4);
    if (/filename=/.test(head)) {
      return raw.subarray(headEnd + 4, next);
    }
    at = next;
  }
  return null;
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks);
    const url = new URL(req.url, 'http://stub');
    if (url.pathname === '/__last') {
      return json(res, 200, last);
    }
    last = { method: req.method, path: url.pathname, headers: req.headers, body: body.toString('utf8').slice(0, 10000) };
    if (url.pathname === '/v1/chat/completions') {
      const r = JSON.parse(body.toString('utf8'));
      if (r.model === 'error-429') {
        return json(res, 429, { error: { message: 'rate limited by the stub', type: 'rate_limit_error', param: null, code: 'rate_limit_exceeded' } });
      }
      const base = { id: 'chatcmpl-node', created: 1767225600, model: r.model };
      if (r.stream) {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const send = (o) => res.write('data: ' + JSON.stringify(o) + '\n\n');
        send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
        for (const t of ['Hel', 'lo']) {
          send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: t }, finish_reason: null }] });
        }
        send({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] });
        if (r.stream_options && r.stream_options.include_usage) {
          send({ ...base, object: 'chat.completion.chunk', choices: [], usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 } });
        }
        res.end('data: [DONE]\n\n');
        return;
      }
      const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
      if (r.tools) {
        return json(res, 200, { ...base, object: 'chat.completion', usage, choices: [{ index: 0, finish_reason: 'tool_calls',
          message: { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function',
            function: { name: r.tools[0].function.name, arguments: '{"city":"Paris"}' } }] } }] });
      }
      return json(res, 200, { ...base, object: 'chat.completion', usage, choices: [{ index: 0, finish_reason: 'stop',
        message: { role: 'assistant', content: 'Hello from the node stub' } }] });
    }
    if (url.pathname === '/v1/embeddings') {
      // the npm openai SDK asks for base64 (float32, little-endian) unless told otherwise, as OpenAI answers
      const vector = [0.1, 0.2, 0.3];
      const base64 = JSON.parse(body.toString('utf8')).encoding_format === 'base64';
      const embedding = base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector;
      return json(res, 200, { object: 'list', model: 'text-embedding-3-small', usage: { prompt_tokens: 1, total_tokens: 1 },
        data: [{ object: 'embedding', index: 0, embedding }] });
    }
    if (url.pathname === '/v1/files' && req.method === 'POST') {
      uploaded = filePart(body, req.headers['content-type']) || Buffer.alloc(0);
      return json(res, 200, { id: 'file-node-1', object: 'file', bytes: uploaded.length, created_at: 1, filename: 'upload.bin', purpose: 'batch', status: 'processed' });
    }
    if (url.pathname === '/v1/files/file-node-1/content') {
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': uploaded.length });
      return res.end(uploaded);
    }
    json(res, 404, { error: { message: 'stub: no route ' + url.pathname, type: 'invalid_request_error', param: null, code: null } });
  });
});

server.listen(0, '127.0.0.1', () => {
  console.log(server.address().port);
});
