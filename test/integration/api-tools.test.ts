import Anthropic from '@anthropic-ai/sdk';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import { generateText, jsonSchema, stepCountIs, tool } from 'ai';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fixtures/fake-anthropic';
import { startFakeOllama, type FakeOllama } from '../fixtures/fake-ollama';
import { startFakeOpenAI, type FakeOpenAI } from '../fixtures/fake-openai';
import { closedPort, createTestApp, type TestApp } from '../helpers/app-harness';

/**
 * Issue #15, item 3: tools through /v1/chat/completions, driven by the openai client and the Vercel
 * AI SDK — passed natively to OpenAI-compatible providers, to Ollama for models whose /api/show
 * lists "tools", routed by switchboard/auto only to tool-capable models, a tool conversation kept
 * on the model that asked for the tools, and no quality gate rejecting a reply that is only tool calls.
 */
const TOKEN = 'sb-tools-token-0123456789abcdef';
const WEATHER: ChatCompletionTool = {
  type: 'function',
  function: { name: 'get_weather', description: 'The weather in a city', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
};

let ollama: FakeOllama;
let openai: FakeOpenAI;
let anthropic: FakeAnthropic;
let h: TestApp;
let client: OpenAI;
let baseUrl: string;

beforeAll(async () => {
  // phi3 cannot call tools (its /api/show lists only "completion"); qwen can.
  ollama = await startFakeOllama({
    models: [
      { name: 'qwen2.5-coder:7b', family: 'qwen2', parameterSize: '7.6B', capabilities: ['completion', 'tools'] },
      { name: 'phi3:mini', family: 'phi3', parameterSize: '3.8B', capabilities: ['completion'] },
    ],
  });
  openai = await startFakeOpenAI({ models: ['gpt-4o-mini'] });
  anthropic = await startFakeAnthropic({ models: ['claude-haiku-4-5'] });
  h = createTestApp({
    ollamaUrl: ollama.url,
    apiServer: true,
    env: { SWITCHBOARD_API_TOKEN: TOKEN, OPENAI_API_KEY: 'sk-tools-test-0000', OPENAI_BASE_URL: `${openai.url}/v1`, ANTHROPIC_API_KEY: 'sk-ant-tools-test-0000', ANTHROPIC_BASE_URL: anthropic.url },
  });
  h.app.services.settings.update({ apiServer: { enabled: true, port: await closedPort() } });
  baseUrl = (await h.app.call('api.status', {})).baseUrl!;
  client = new OpenAI({ baseURL: baseUrl, apiKey: TOKEN, maxRetries: 0 });
});
afterAll(async () => {
  await h?.close();
  await Promise.all([ollama?.close(), openai?.close(), anthropic?.close()]);
});

const openaiChats = () => openai.requests.filter((r) => r.path === '/v1/chat/completions');
const ollamaChats = () => ollama.requests.filter((r) => r.path === '/api/chat');

describe('tools through /v1/chat/completions', () => {
  it('round trip on an OpenAI-compatible model: tool_calls out, the tool result back, the answer', async () => {
    openai.setBehavior('gpt-4o-mini', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }], reply: 'It is sunny in Paris.' });
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Paris?' }];
    const first = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages, tools: [WEATHER], tool_choice: 'auto' });
    expect(first.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { role: 'assistant', content: null, tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] } });
    const sent = openaiChats().at(-1)!.body as { tools: unknown[]; tool_choice: unknown };
    expect(sent.tools).toEqual([WEATHER]);
    expect(sent.tool_choice).toBe('auto');

    const call = first.choices[0]!.message.tool_calls![0]!;
    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: '{"sky":"sunny"}' });
    const second = await client.chat.completions.create({ model: 'openai/gpt-4o-mini', messages, tools: [WEATHER] });
    expect(second.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'It is sunny in Paris.' } });
    const upstream = (openaiChats().at(-1)!.body as { messages: unknown[] }).messages;
    expect(upstream.slice(-2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: call.id, type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }] },
      { role: 'tool', content: '{"sky":"sunny"}', tool_call_id: call.id },
    ]);
  });

  it('streams tool calls that the SDK assembles', async () => {
    openai.setBehavior('gpt-4o-mini', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] });
    const stream = client.chat.completions.stream({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Weather in Oslo?' }], tools: [WEATHER] });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { tool_calls: [{ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }] } });
    expect(final.choices[0]!.message.tool_calls![0]!.id).toMatch(/^call_/);
  });

  it('switchboard/auto sends a request with tools only to a tool-capable model, and the next turn back to it', async () => {
    ollama.setBehavior('qwen2.5-coder:7b', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Rome' } }], reply: 'Rome is warm.' });
    ollama.setBehavior('phi3:mini', { reply: 'I cannot check the weather.' });
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Rome?' }];
    const { data: first, response } = await client.chat.completions.create({ model: 'switchboard/auto', messages, tools: [WEATHER] }).withResponse();
    expect(first.model).toBe('ollama/qwen2.5-coder:7b');
    expect(response.headers.get('x-switchboard-route')).toMatch(/model=ollama\/qwen2\.5-coder:7b; escalations=0/);
    expect(first.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { tool_calls: [{ function: { name: 'get_weather', arguments: '{"city":"Rome"}' } }] } });
    // phi3 was never asked with tools; Ollama got them in its own shape.
    expect(ollamaChats().filter((r) => (r.body as { model: string }).model === 'phi3:mini' && (r.body as { tools?: unknown }).tools)).toEqual([]);
    expect((ollamaChats().at(-1)!.body as { tools: unknown }).tools).toEqual([WEATHER]);
    // Its /api/show was read for the capability.
    expect(ollama.requests.some((r) => r.path === '/api/show')).toBe(true);

    const call = first.choices[0]!.message.tool_calls![0]!;
    messages.push(first.choices[0]!.message, { role: 'tool', tool_call_id: call.id, content: '{"celsius":24}' });
    const second = await client.chat.completions.create({ model: 'switchboard/auto', messages, tools: [WEATHER] });
    expect(second.model).toBe('ollama/qwen2.5-coder:7b');
    expect(second.choices[0]!.message.content).toBe('Rome is warm.');
    const sent = (ollamaChats().at(-1)!.body as { messages: Array<Record<string, unknown>> }).messages;
    expect(sent.slice(-2)).toEqual([
      { role: 'assistant', content: '', tool_calls: [{ function: { name: 'get_weather', arguments: { city: 'Rome' } } }] },
      { role: 'tool', content: '{"celsius":24}', tool_name: 'get_weather' },
    ]);
  });

  it('a chosen local model that cannot call tools is refused before any call', async () => {
    const before = ollamaChats().length;
    const e = await client.chat.completions.create({ model: 'ollama/phi3:mini', messages: [{ role: 'user', content: 'Weather?' }], tools: [WEATHER] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(OpenAI.APIError);
    expect((e as InstanceType<typeof OpenAI.APIError>).message).toMatch(/cannot call tools/);
    expect(ollamaChats().length).toBe(before);
  });

  it('the Vercel AI SDK runs a tool loop through switchboard/auto', async () => {
    ollama.setBehavior('qwen2.5-coder:7b', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Lima' } }], reply: 'Lima is mild today.' });
    const provider = createOpenAICompatible({ name: 'switchboard', baseURL: baseUrl, apiKey: TOKEN });
    const seen: string[] = [];
    const result = await generateText({
      model: provider.chatModel('switchboard/auto'),
      prompt: 'Weather in Lima?',
      maxRetries: 0,
      stopWhen: stepCountIs(3),
      tools: {
        get_weather: tool({
          description: 'The weather in a city',
          inputSchema: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }),
          execute: async ({ city }) => {
            seen.push(city);
            return { celsius: 18 };
          },
        }),
      },
    });
    expect(seen).toEqual(['Lima']);
    expect(result.text).toBe('Lima is mild today.');
    expect(result.steps).toHaveLength(2);
  });

  it('converts to Anthropic tool_use and back (streamed), and the tool result as a tool_result block', async () => {
    anthropic.setBehavior('claude-haiku-4-5', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Bern' } }], reply: 'Bern is cold.' });
    const messages: ChatCompletionMessageParam[] = [{ role: 'user', content: 'Weather in Bern?' }];
    const final = await client.chat.completions.stream({ model: 'anthropic/claude-haiku-4-5', messages, tools: [WEATHER], tool_choice: 'required' }).finalChatCompletion();
    expect(final.choices[0]).toMatchObject({ finish_reason: 'tool_calls', message: { tool_calls: [{ function: { name: 'get_weather', arguments: '{"city":"Bern"}' } }] } });
    const sent = anthropic.requests.filter((r) => r.path === '/v1/messages').at(-1)!.body as { tools: unknown; tool_choice: unknown };
    expect(sent.tools).toEqual([{ name: 'get_weather', description: 'The weather in a city', input_schema: WEATHER.function.parameters }]);
    expect(sent.tool_choice).toEqual({ type: 'any' });

    const call = final.choices[0]!.message.tool_calls![0]!;
    expect(call.id).toMatch(/^toolu_/);
    messages.push(final.choices[0]!.message as ChatCompletionMessageParam, { role: 'tool', tool_call_id: call.id, content: 'minus 2' });
    const second = await client.chat.completions.create({ model: 'anthropic/claude-haiku-4-5', messages, tools: [WEATHER] });
    expect(second.choices[0]!.message.content).toBe('Bern is cold.');
    const turns = (anthropic.requests.filter((r) => r.path === '/v1/messages').at(-1)!.body as { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> }).messages;
    expect(turns.at(-2)).toMatchObject({ role: 'assistant', content: [{ type: 'tool_use', id: call.id, name: 'get_weather', input: { city: 'Bern' } }] });
    expect(turns.at(-1)).toMatchObject({ role: 'user', content: [{ type: 'tool_result', tool_use_id: call.id, content: 'minus 2' }] });
  });
});

describe('tools through /v1/messages (the Anthropic SDK)', () => {
  const sdk = () => new Anthropic({ baseURL: baseUrl.replace(/\/v1$/, ''), apiKey: TOKEN, maxRetries: 0 });
  const weather = { name: 'get_weather', description: 'The weather in a city', input_schema: { type: 'object' as const, properties: { city: { type: 'string' } }, required: ['city'] } };

  it('answers with tool_use blocks (non-streamed and streamed) and takes tool_result back, on switchboard/auto', async () => {
    ollama.setBehavior('qwen2.5-coder:7b', { toolCalls: [{ name: 'get_weather', arguments: { city: 'Kyiv' } }], reply: 'Kyiv is clear.' });
    const first = await sdk().messages.create({ model: 'switchboard/auto', max_tokens: 256, tools: [weather], messages: [{ role: 'user', content: 'Weather in Kyiv?' }] });
    expect(first).toMatchObject({ model: 'ollama/qwen2.5-coder:7b', stop_reason: 'tool_use', content: [{ type: 'tool_use', name: 'get_weather', input: { city: 'Kyiv' } }] });
    const use = first.content[0] as { id: string };

    const streamed = await sdk().messages.stream({ model: 'switchboard/auto', max_tokens: 256, tools: [weather], messages: [{ role: 'user', content: 'Weather in Kyiv?' }] }).finalMessage();
    expect(streamed.stop_reason).toBe('tool_use');
    expect(streamed.content.find((b) => b.type === 'tool_use')).toMatchObject({ name: 'get_weather', input: { city: 'Kyiv' } });

    const answer = await sdk().messages.create({
      model: 'switchboard/auto',
      max_tokens: 256,
      tools: [weather],
      messages: [
        { role: 'user', content: 'Weather in Kyiv?' },
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: use.id, content: 'clear, 12 C' }] },
      ],
    });
    expect(answer).toMatchObject({ model: 'ollama/qwen2.5-coder:7b', stop_reason: 'end_turn', content: [{ type: 'text', text: 'Kyiv is clear.' }] });
    const sent = (ollamaChats().at(-1)!.body as { messages: Array<Record<string, unknown>> }).messages;
    expect(sent.at(-1)).toEqual({ role: 'tool', content: 'clear, 12 C', tool_name: 'get_weather' });
  });
});
