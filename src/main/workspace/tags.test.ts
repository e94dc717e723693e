import { afterAll, describe, expect, it } from 'vitest';
import { WORKSPACE_FIXTURE } from '../../../test/fixtures/workspace-index';
import { languageOf } from './languages';
import { TagExtractor, type Tag } from './tags';

const extractor = new TagExtractor();
afterAll(() => extractor.dispose());

async function tagsOf(file: string): Promise<Tag[]> {
  const language = languageOf(file);
  if (!language) throw new Error(`no language for ${file}`);
  return extractor.extract(language, WORKSPACE_FIXTURE[file]!);
}

const defs = (tags: Tag[]) => tags.filter((t) => t.kind === 'def').map((t) => `${t.category} ${t.name}@${t.line}`);
const refs = (tags: Tag[]) => new Set(tags.filter((t) => t.kind === 'ref').map((t) => t.name));

describe('TagExtractor (tree-sitter tags queries per language)', () => {
  it('TypeScript: classes, functions, interfaces, type aliases; references to imported and used names', async () => {
    const parser = await tagsOf('ts/src/parser.ts');
    expect(defs(parser)).toEqual(expect.arrayContaining(['type ConfigValue@3', 'class ConfigParser@5', 'method parse@6', 'function parseConfig@14']));
    expect(refs(parser)).toEqual(expect.objectContaining(new Set(['Tokenizer', 'Token', 'ConfigParser', 'ConfigValue'])));
    expect([...refs(parser)]).toEqual(expect.arrayContaining(['Tokenizer', 'Token', 'tokens']));
    const tokenizer = await tagsOf('ts/src/tokenizer.ts');
    expect(defs(tokenizer)).toEqual(expect.arrayContaining(['interface Token@1', 'class Tokenizer@6', 'method tokens@9']));
  });

  it('TSX: a component and the function it calls', async () => {
    const app = await tagsOf('ts/src/app.tsx');
    expect(defs(app)).toEqual(['function SettingsPanel@3']);
    expect([...refs(app)]).toContain('parseConfig');
  });

  it('JavaScript: function declarations and arrow functions bound to names', async () => {
    expect(defs(await tagsOf('js/util.js'))).toEqual(expect.arrayContaining(['function slugify@1', 'function shout@5']));
  });

  it('Python: classes, methods, module constants; calls and imported names', async () => {
    const cart = await tagsOf('py/shop/cart.py');
    expect(defs(cart)).toEqual(expect.arrayContaining(['class ShoppingCart@4', 'function add_item@8', 'function total@11']));
    expect([...refs(cart)]).toContain('compute_tax');
    expect(defs(await tagsOf('py/shop/tax.py'))).toEqual(expect.arrayContaining(['constant TAX_RATE@1', 'function compute_tax@4']));
  });

  it('Go: functions, methods, types; calls across files', async () => {
    const handler = await tagsOf('go/server/handler.go');
    expect(defs(handler)).toEqual(expect.arrayContaining(['type Handler@5', 'method HandleRequest@9']));
    expect([...refs(handler)]).toContain('ValidateToken');
    expect(defs(await tagsOf('go/server/auth.go'))).toEqual(['function ValidateToken@6']);
  });

  it('Rust: structs, functions, methods; calls and use declarations', async () => {
    const lib = await tagsOf('rs/src/lib.rs');
    expect(defs(lib)).toEqual(expect.arrayContaining(['class Inventory@5', 'method restock@10', 'module supplier@1']));
    expect([...refs(lib)]).toEqual(expect.arrayContaining(['order_parts', 'Inventory']));
    expect(defs(await tagsOf('rs/src/supplier.rs'))).toEqual(expect.arrayContaining(['class Order@1', 'function order_parts@6']));
  });

  it('a definition is not also counted as a reference to itself', async () => {
    const tokenizer = await tagsOf('ts/src/tokenizer.ts');
    expect(tokenizer.filter((t) => t.kind === 'ref' && t.name === 'Tokenizer' && t.line === 6)).toEqual([]);
  });

  it('files it cannot read are no language: no symbols', () => {
    expect(languageOf('README.md')).toBeNull();
    expect(languageOf('image.png')).toBeNull();
    expect(languageOf('types.d.ts')).toBe('typescript');
  });
});
