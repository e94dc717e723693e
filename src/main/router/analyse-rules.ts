import type { Intent } from './types';

/**
 * The analyser's keyword rules, compiled once at load. Each rule that matches the instruction adds
 * its weight to an intent; the heaviest intent wins and the margin over the runner-up sets the
 * confidence. Weights are ours (tuned on analyse.test.ts); the categories are seed 002's.
 */
export interface IntentRule {
  intent: Intent;
  re: RegExp;
  weight: number;
  label: string;
}

const rule = (intent: Intent, re: RegExp, weight: number, label: string): IntentRule => ({ intent, re, weight, label });

export const INTENT_RULES: readonly IntentRule[] = [
  rule('simple_edit', /\b(?:rename|typos?|spelling|reformat|re-?indent|bump (?:the )?version)\b/i, 3, 'rename/typo/format'),
  rule('simple_edit', /\b(?:change|replace|swap|switch)\b.{1,60}?\b(?:to|with|into)\b/i, 1.5, 'change X to Y'),
  rule('simple_edit', /\b(?:add|remove|delete) (?:a |an |the )?(?:comment|import|semicolon|log line|console\.log|print statement|parameter|argument|field|line|prop)\b/i, 1.5, 'one-line edit'),
  rule('simple_edit', /\b(?:small|tiny|quick|minor|one-line|single-line) (?:change|edit|fix|tweak)\b/i, 2, 'small edit'),
  rule('refactor', /\brefactor\w*/i, 3, 'refactor'),
  rule('refactor', /\b(?:restructure|reorgani[sz]e|decouple|modulari[sz]e|clean ?up|simplify|deduplicate|dry (?:it |this )?up)\b/i, 2, 'restructure'),
  rule('refactor', /\b(?:extract|split|move)\b.{0,30}?\b(?:functions?|methods?|class(?:es)?|modules?|components?|files?|hooks?|helpers?)\b/i, 1.5, 'extract/split'),
  rule('bug_fix', /\b(?:bugs?|crash(?:es|ing)?|exceptions?|stack ?trace|traceback|segfault|panic(?:ked|s)?|regression)\b/i, 2, 'bug words'),
  rule('bug_fix', /\b(?:fix|debug|diagnose|troubleshoot)\b/i, 1.5, 'fix/debug'),
  rule('bug_fix', /\b(?:errors?|fails?|failing|failed|broken|doesn'?t work|does not work|not working|throws?)\b/i, 1, 'failure words'),
  rule('bug_fix', /\b(?:TypeError|ReferenceError|SyntaxError|NullPointerException|KeyError|ValueError|undefined is not|cannot read propert\w*|TS\d{4}|E\d{4})\b/, 2, 'error message'),
  rule('review', /\b(?:review|critique|audit)\b/i, 2.5, 'review'),
  rule('review', /\b(?:feedback on|look over|any (?:issues|problems)|what'?s wrong with|is this (?:code )?(?:ok|okay|correct|good|idiomatic))\b/i, 1.5, 'ask for feedback'),
  rule('test_generation', /\b(?:write|add|generate|create) (?:some |more |the )?(?:unit |integration |e2e )?(?:tests?|test cases|specs?)\b/i, 3, 'write tests'),
  rule('test_generation', /\b(?:unit|integration|e2e|end-to-end|regression|property-based|snapshot) tests?\b/i, 2, 'test kind'),
  rule('test_generation', /\b(?:test coverage|vitest|jest|pytest|mocha|junit|test suite)\b/i, 1.5, 'test framework'),
  rule('docs', /\b(?:docstrings?|jsdoc|tsdoc|readme|changelog|documentation|document (?:this|the|it|how|our))\b/i, 2.5, 'docs'),
  rule('docs', /\b(?:add|write) (?:code |inline )?comments\b/i, 2, 'comments'),
  rule('architecture', /\b(?:architecture|architect|system design|high-level design|microservices?|scalab(?:le|ility)|event-driven|monolith|design (?:a|the|our) (?:system|service|platform|schema|database|api))\b/i, 2.5, 'architecture'),
  rule('architecture', /\b(?:how should (?:i|we) (?:structure|organi[sz]e|design|architect)|trade-?offs?|design decisions?)\b/i, 1.5, 'design question'),
  rule('research', /\b(?:research|literature|state of the art|survey|sources|citations?|what are the (?:options|alternatives)|pros and cons|compare|comparison|versus)\b/i, 2, 'research'),
  rule('summarisation', /\b(?:summari[sz]e|summary|tl;?dr|key (?:points|takeaways)|condense|recap|gist)\b/i, 3, 'summarise'),
  rule('translation', /\b(?:translate|translation|(?:into|to|in) (?:english|french|spanish|german|italian|portuguese|chinese|japanese|korean|russian|arabic|dutch|polish|swedish|hindi|turkish))\b/i, 3, 'translate'),
  rule('math', /\b(?:solve|equation|integral|derivative|prove|proof|probability|theorem|matrix|eigen\w*|factori[sz]e|calculate|arithmetic)\b/i, 2, 'math words'),
  rule('math', /\d\s*[-+*/^×÷]\s*\d/, 1.5, 'arithmetic'),
  rule('code_generation', /\b(?:write|create|generate|build|implement|make|code)\b(?: me)?(?: (?:a|an|the|some))?(?: [\w-]+){0,3} (?:functions?|scripts?|class(?:es)?|programs?|components?|endpoints?|api|quer(?:y|ies)|regexp?|cli|modules?|hooks?|parsers?|servers?|bots?|apps?)\b/i, 2.5, 'write code'),
  rule('code_generation', /\b(?:implement|scaffold|boilerplate|snippet|in (?:typescript|javascript|python|rust|go|java|c\+\+|c#|ruby|php|kotlin|swift|sql|bash))\b/i, 1.5, 'code words'),
  rule('question', /^(?:what|why|how|when|where|who|which|is|are|can|could|does|do|should|would|will)\b/i, 1.5, 'question word'),
  rule('question', /\?\s*$/, 1, 'question mark'),
  rule('question', /\b(?:explain|what does|what is|what are|meaning of|difference between)\b/i, 1.5, 'explain'),
  rule('chat', /^(?:hi|hello|hey|yo|thanks|thank you|good (?:morning|afternoon|evening|night)|how are you|cheers|ok(?:ay)?|cool|great|nice)\b/i, 2.5, 'small talk'),
];

/**
 * Seed 002 "Quality-Critical: production code, security critical: auth, crypto, sensitive data",
 * plus payments, data loss and PII, which a user would not want on a cheap model's first try.
 */
export const CRITICAL_RULES: ReadonlyArray<{ re: RegExp; label: string }> = [
  {
    re: /\b(?:security|vulnerab\w+|exploits?|sql injection|xss|csrf|auth|authn|authz|authentication|authori[sz]ation|oauth|jwt|passwords?|credentials?|api keys?|access tokens?|encrypt\w*|decrypt\w*|crypto|cryptograph\w*|tls|ssl|certificates?)\b/i,
    label: 'security',
  },
  { re: /\b(?:production|prod (?:database|db|server|deploy\w*)|live (?:site|system|database)|hotfix|outage)\b/i, label: 'production' },
  { re: /\b(?:payments?|billing|invoices?|credit cards?|stripe|checkout|refunds?|pci)\b/i, label: 'payments' },
  { re: /\b(?:data loss|lose (?:the |all )?data|drop (?:table|database)|delete (?:all|every)|irreversible|migrate (?:the )?(?:data|database))\b/i, label: 'data loss' },
  { re: /\b(?:pii|personal (?:data|information)|gdpr|hipaa|ssn|social security numbers?|medical records?)\b/i, label: 'PII' },
];

/** Seed 002 "Complex: >100 tokens, system-wide". */
export const SYSTEM_WIDE = /\b(?:(?:entire|whole) (?:codebase|project|repo(?:sitory)?|app(?:lication)?|system)|across (?:all|every|the (?:codebase|project))|system-wide|every (?:file|module)|all (?:files|modules))\b/i;

/** Seed 002's separators "and", "also", "then" — only where an imperative verb follows, so "fix the parser and lexer" stays one task. */
export const PART_SEPARATOR =
  /(?:\s*[,;]\s*|\.\s+|\s+)(and then|and also|then|also|after that|afterwards|and)[,]?\s+(?=(?:please\s+)?(?:add|fix|write|implement|update|create|refactor|remove|rename|run|test|document|explain|review|make|move|delete|build|generate|translate|summari[sz]e|check|investigate|work|analy[sz]e|migrate|convert|design|set up|deploy|optimi[sz]e|clean|improve|replace|change|describe|list|find|compare|continue)\b)/gi;
export const SEQUENTIAL_SEPARATOR = /then|after/i;
export const LIST_ITEM = /^[ \t]*(?:\d{1,2}[.)]|[-*•])[ \t]+(\S.*)$/gm;

export const FILE_MENTION =
  /(?:^|[\s`'"([])((?:[\w.-]+\/)*(?:[\w-][\w.-]*\.(?:tsx?|jsx?|mjs|cjs|py|rs|go|java|kt|swift|c|h|cpp|hpp|cc|cs|rb|php|json|ya?ml|toml|md|sql|sh|css|scss|html|vue|svelte|lock|ini|cfg|xml|gradle)|Dockerfile|Makefile))(?=$|[\s`'"),.:;\]])/g;

/** Seed 003 "semantic validation": asked for JSON output, not merely mentioning JSON. */
export const WANTS_JSON =
  /\b(?:(?:as|in|into|return|returns|output|respond with|reply with|formatted as|format as|give me|produce|emit)\s+(?:a\s+|an\s+|the\s+|valid\s+|strict\s+|only\s+)*json|json\s+(?:object|array|only|output|response|format))\b/i;
