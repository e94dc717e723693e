import { randomUUID } from 'node:crypto';
import { ChatSettings, type ChatPreset, type SavedPrompt } from '../../shared/contract';
import { SwitchboardError } from '../../shared/errors';
import type { Db } from './database';

interface PresetRow {
  id: string;
  name: string;
  model: string | null;
  chat_settings_json: string;
  created_at: number;
}

interface PromptRow {
  id: string;
  name: string;
  text: string;
  created_at: number;
}

/**
 * Issue #14: chat presets (a saved system prompt, mode/model and parameters to start a chat from)
 * and the prompt library (`/` in the composer). A name is unique in each: saving under a name that
 * exists replaces that entry.
 */
export class ChatLibraryRepo {
  private readonly stmts;

  constructor(db: Db) {
    this.stmts = {
      presets: db.prepare<[], PresetRow>('SELECT * FROM chat_presets ORDER BY name COLLATE NOCASE'),
      savePreset: db.prepare(
        `INSERT INTO chat_presets (id, name, model, chat_settings_json, created_at) VALUES (@id, @name, @model, @settings, @now)
         ON CONFLICT(name) DO UPDATE SET model = excluded.model, chat_settings_json = excluded.chat_settings_json`,
      ),
      presetByName: db.prepare<[string], PresetRow>('SELECT * FROM chat_presets WHERE name = ?'),
      deletePreset: db.prepare('DELETE FROM chat_presets WHERE id = ?'),
      prompts: db.prepare<[], PromptRow>('SELECT * FROM saved_prompts ORDER BY name COLLATE NOCASE'),
      savePrompt: db.prepare(
        `INSERT INTO saved_prompts (id, name, text, created_at) VALUES (@id, @name, @text, @now)
         ON CONFLICT(name) DO UPDATE SET text = excluded.text`,
      ),
      promptByName: db.prepare<[string], PromptRow>('SELECT * FROM saved_prompts WHERE name = ?'),
      deletePrompt: db.prepare('DELETE FROM saved_prompts WHERE id = ?'),
    };
  }

  presets(): ChatPreset[] {
    return this.stmts.presets.all().map(toPreset);
  }

  savePreset(p: { name: string; model: string | null; chatSettings: ChatSettings }, now = Date.now()): ChatPreset {
    this.stmts.savePreset.run({ id: randomUUID(), name: p.name, model: p.model, settings: JSON.stringify(p.chatSettings), now });
    return toPreset(this.stmts.presetByName.get(p.name)!);
  }

  deletePreset(id: string): boolean {
    return this.stmts.deletePreset.run(id).changes > 0;
  }

  prompts(): SavedPrompt[] {
    return this.stmts.prompts.all().map(toPrompt);
  }

  savePrompt(p: { name: string; text: string }, now = Date.now()): SavedPrompt {
    this.stmts.savePrompt.run({ id: randomUUID(), name: p.name, text: p.text, now });
    return toPrompt(this.stmts.promptByName.get(p.name)!);
  }

  deletePrompt(id: string): boolean {
    return this.stmts.deletePrompt.run(id).changes > 0;
  }
}

function toPreset(row: PresetRow): ChatPreset {
  const settings = ChatSettings.safeParse(JSON.parse(row.chat_settings_json));
  if (!settings.success) throw new SwitchboardError('internal', `The preset "${row.name}" is damaged; delete it and save it again.`);
  return { id: row.id, name: row.name, model: row.model, chatSettings: settings.data, createdAt: row.created_at };
}

function toPrompt(row: PromptRow): SavedPrompt {
  return { id: row.id, name: row.name, text: row.text, createdAt: row.created_at };
}
