//! The word lists behind the notes question rules ([`super::rules`]): the
//! vocabulary of questions, prompts and statements, kept apart so the rules
//! read as logic and the lists can grow without touching it.

/// Words that open a wh-question.
pub(super) const WH: &[&str] = &[
    "what", "what's", "when", "who", "who's", "whom", "whose", "why", "how", "how's", "which",
    "where", "where's",
];

/// Auxiliaries: they open yes/no questions, and follow a wh-word in one.
pub(super) const AUX: &[&str] = &[
    "is", "are", "was", "were", "did", "do", "does", "can", "could", "should", "would", "will",
    "has", "have", "had", "may", "might", "must", "shall", "isn't", "aren't", "wasn't", "weren't",
    "didn't", "don't", "doesn't", "can't", "won't", "hasn't", "haven't",
];

/// Words that follow `how` in a question ("How many…", "How far…").
pub(super) const HOW_NEXT: &[&str] = &[
    "many",
    "much",
    "far",
    "long",
    "often",
    "old",
    "big",
    "large",
    "important",
    "significant",
    "successful",
    "effective",
    "far",
    "and",
];

/// Imperatives that can only be a prompt at the start of a line.
pub(super) const PROMPT_VERBS: &[&str] = &[
    "define",
    "describe",
    "explain",
    "evaluate",
    "identify",
    "give",
    "summarise",
    "summarize",
    "discuss",
    "assess",
    "analyse",
    "analyze",
    "translate",
    "calculate",
    "compare",
    "justify",
    "illustrate",
    "examine",
    "distinguish",
    "suggest",
    "predict",
    "interpret",
    "elaborate",
    "clarify",
    "determine",
    "differentiate",
    "estimate",
    "prove",
    "solve",
    "convert",
    "classify",
    "demonstrate",
    "investigate",
    "critique",
    "paraphrase",
    "annotate",
];

/// Imperatives that are also common nouns ("State control…", "Name changed
/// to…", "List of demands…"): a prompt only when a determiner, number or
/// wh-word follows ("State the…", "Name two…", "List what…").
pub(super) const NOUN_LIKE_VERBS: &[&str] = &[
    "state", "name", "list", "outline", "contrast", "label", "show", "recall", "sketch", "draw",
    "match", "complete", "write", "rank", "order",
];

/// What may follow a noun-like prompt verb.
pub(super) const DETERMINERS: &[&str] = &[
    "the", "a", "an", "this", "that", "these", "those", "its", "their", "his", "her", "your",
    "one", "two", "three", "four", "five", "six", "some", "all", "any", "each", "what", "why",
    "how", "which", "when", "where", "who", "whether", "and", "in", "out", "briefly",
];

/// Heading-like noun phrases that ask for an answer ("Causes of …").
pub(super) const PROMPT_NOUNS: &[&str] = &[
    "context for",
    "context of",
    "factors for",
    "factors in",
    "factors behind",
    "factors that",
    "main point of",
    "main points of",
    "key point of",
    "key points of",
    "causes of",
    "cause of",
    "significance of",
    "effects of",
    "effect of",
    "consequences of",
    "consequence of",
    "reasons for",
    "reason for",
    "reasons why",
    "definition of",
    "meaning of",
    "impact of",
    "impacts of",
    "role of",
    "importance of",
    "features of",
    "key features of",
    "characteristics of",
    "advantages of",
    "disadvantages of",
    "benefits of",
    "examples of",
    "example of",
    "purpose of",
    "results of",
    "outcome of",
    "outcomes of",
    "aims of",
    "strengths of",
    "weaknesses of",
    "limitations of",
    "function of",
    "functions of",
    "differences between",
    "difference between",
    "similarities between",
    "summary of",
    "overview of",
    "background to",
    "origins of",
    "origin of",
    "evidence for",
    "arguments for",
    "arguments against",
    "stages of",
    "types of",
];

/// Finite verbs that turn a prompt noun phrase into a statement ("Causes of
/// the war were…").
pub(super) const STATEMENT_VERBS: &[&str] = &[
    "is", "are", "was", "were", "has", "have", "had", "include", "included", "includes", "led",
    "meant", "means", "caused", "became", "made",
];
