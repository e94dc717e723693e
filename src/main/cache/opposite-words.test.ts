import { describe, expect, it } from 'vitest';
import { CacheService } from './cache-service';
import { ask, hashedEmbedder, openCacheDb, reply } from './cache-test-helpers';
import { extractGuards, guardMismatch } from './prompt-guards';
import { oppositeMismatch, oppositeWordsIn } from './opposite-words';

const differ = (a: string, b: string) => guardMismatch(extractGuards(a), extractGuards(b));

describe('oppositeWordsIn', () => {
  it('finds the words of opposite pairs in any inflection, as base words', () => {
    expect(oppositeWordsIn('Enabling the flag, then it stopped and closes the file')).toEqual(['close', 'enable', 'stop']);
    expect(oppositeWordsIn('how do I write a loop in python')).toEqual(['write']);
    expect(oppositeWordsIn('what is a closure')).toEqual([]);
  });
});

describe('the opposite-words guard', () => {
  it.each([
    ['how do I enable dark mode in the settings', 'how do I disable dark mode in the settings'],
    ['add a user to the docker group', 'remove a user from the docker group'],
    ['install the package globally with npm', 'uninstall the package globally with npm'],
    ['show hidden files in finder', 'hide hidden files in finder'],
    ['allow port 22 through the firewall', 'deny port 22 through the firewall'],
    ['encrypt a file with gpg', 'decrypt a file with gpg'],
    ['how to start the nginx service', 'how to stop the nginx service'],
    ['open a file in vim', 'close a file in vim'],
    ['increase the swap size on ubuntu', 'decrease the swap size on ubuntu'],
    ['run the hook before the commit', 'run the hook after the commit'],
    ['find the min of a list in python', 'find the max of a list in python'],
    ['get the first element of an array', 'get the last element of an array'],
    ['turn the wifi on from the terminal', 'turn the wifi off from the terminal'],
    ['sort the rows in ascending order', 'sort the rows in descending order'],
  ])('"%s" and "%s" differ', (a, b) => {
    expect(differ(a, b)).toBe('opposites');
  });

  it('passes prompts on the same side, and prompts where one names neither word', () => {
    expect(differ('how do I enable dark mode', 'how can I enable the dark mode')).toBeUndefined();
    expect(differ('Enabling dark mode: how?', 'how do I enable dark mode')).toBeUndefined();
    expect(differ('how do I start and stop the server', 'how do I stop and start the server')).toBeUndefined();
    expect(differ('how do I turn dark mode on', 'how do I enable dark mode')).toBeUndefined();
  });

  it('misses when one prompt names both sides and the other only one', () => {
    expect(oppositeMismatch(['start', 'stop'], ['start'])).toBe('start/stop');
    expect(oppositeMismatch(['start'], [])).toBeUndefined();
  });
});

describe('a semantic lookup with the opposite-words guard', () => {
  it('serves a paraphrase and refuses the opposite question, saying why', async () => {
    const cache = new CacheService({ db: openCacheDb(), embedder: hashedEmbedder() });
    const prompt = 'how do I enable the dark mode setting in the preferences window of the app';
    await cache.store(reply(ask(prompt), 'Settings > Appearance > Dark'));
    const paraphrase = await cache.lookup(ask('how can I enable the dark mode setting in the preferences window of the app?'));
    expect(paraphrase.hit?.kind).toBe('semantic');
    const opposite = await cache.lookup(ask('how do I disable the dark mode setting in the preferences window of the app'));
    expect(opposite.hit).toBeNull();
    expect(opposite.reason).toMatch(/differs in opposite words/);
  });
});
