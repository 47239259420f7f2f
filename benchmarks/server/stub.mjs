// The upstream for server-vs-portkey.sh: a minimal OpenAI chat completions endpoint (a fixed JSON
// answer, or with "stream": true a five-event SSE stream), as fast as Node's http allows. Prints its port.
import http from 'node:http';

const answer = JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion', created: 1700000000, model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the stub' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
});
const chunk = (delta, finish) => 'data: ' + JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini',
  choices: [{ index: 0, delta, finish_reason: finish }],
}) + '\n\n';
const usage = 'data: ' + JSON.stringify({
  id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1700000000, model: 'gpt-4o-mini', choices: [],
  usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
}) + '\n\n';
const stream = chunk({ role: 'assistant', content: '' }, null) + chunk({ content: 'Hello' }, null)
  + chunk({ content: ' from the stub' }, null) + chunk({}, 'stop') + usage + 'data: [DONE]\n\n';

const server = http.createServer((req, res) => {
  const parts = [];
  req.on('data', (c) => parts.push(c));
  req.on('end', () => {
    const body = Buffer.concat(parts).toString();
    if (body.includes('"stream":true') || body.includes('"stream": true')) {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.end(stream);
    } else {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    }
  });
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
