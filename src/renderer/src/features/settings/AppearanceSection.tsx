import { useState } from 'react';
import type { Settings } from '../../../../shared/contract';
import { errorText } from '../../stores/errors';
import { useSettings } from '../../stores/settings-store';
import { client } from '../../client/switchboard-client';
import { applyTheme, type Theme } from '../appearance/theme';

const CHOICES: Array<[Theme, string]> = [
  ['light', 'Light'],
  ['dark', 'Dark'],
  ['system', 'System'],
];

/** Settings → Appearance: Light, Dark, or follow the system; stored in Settings and applied at once. */
export function AppearanceSection() {
  const { settings, applySettings } = useSettings();
  const [error, setError] = useState<string | null>(null);
  const current = settings?.theme ?? 'system';
  const choose = async (theme: Theme) => {
    applyTheme(theme);
    setError(null);
    try {
      applySettings((await client().invoke('settings.update', { theme })) as Settings);
    } catch (e) {
      applyTheme(current);
      setError(`The theme was not saved: ${errorText(e)}`);
    }
  };
  return (
    <>
      <h2>Appearance</h2>
      <fieldset className="theme-choice" aria-describedby={error ? 'theme-error' : undefined}>
        <legend>Theme</legend>
        {CHOICES.map(([value, label]) => (
          <label key={value} className="check">
            <input type="radio" name="theme" value={value} checked={current === value} onChange={() => void choose(value)} /> {label}
          </label>
        ))}
      </fieldset>
      {error ? (
        <p id="theme-error" className="field-error" role="alert">
          {error}
        </p>
      ) : null}
    </>
  );
}
