#!/usr/bin/env python3
"""Deterministic benchmark corpora for deckc, in every source syntax.

Usage:
    python3 benches/gen_corpus.py [--sizes 1000,10000,100000] \
        [--syntaxes blocks,notes,qa,delimited,markdown,canonical] \
        [--out target/bench-corpora] [--seed 9]

Writes `<out>/<syntax>-<size>.<ext>`, e.g. `blocks-100000.txt`. The same
seed gives byte-identical files on every run and machine (only
`random.Random.random()` is used, whose output Python guarantees), and the
first N cards of a larger corpus are the N cards of the smaller one, so the
sizes differ in length only.

What a corpus looks like (issue 9's benchmark corpus):
- ~60-character questions, all distinct, built from invented names, places,
  treaties and events so every syntax's question rules recognise them;
- 1–5 answer lines of ~80 characters, with `> ` and `- ` markers, years,
  year ranges, names and amounts;
- a section marker every ~40 cards;
- a handful of planted problems per 1,000 cards, so the lints have real
  work: a misspelt name, a conflicting year range, a reversed range, a
  `defence`/`defense` pair, a stray token, a placeholder.

Each event keeps one year range everywhere it is mentioned, each person one
spelling, except where a problem is planted on purpose.
"""

from __future__ import annotations

import argparse
import os
import sys

SYNTAXES = ("blocks", "notes", "qa", "delimited", "markdown", "canonical")
EXTENSIONS = {
    "blocks": "txt",
    "notes": "txt",
    "qa": "txt",
    "delimited": "tsv",
    "markdown": "md",
    "canonical": "deck",
}
DEFAULT_SIZES = (1_000, 10_000, 100_000)
DEFAULT_SEED = 9

FIRST = (
    "Anton Boris Clara Dmitri Elena Feliks Galina Hristo Irina Jozef Katya "
    "Lev Marta Nikolai Olga Pavel Raisa Sergei Tamara Viktor Wanda Yuri "
    "Zofia Ahmed Bao Chen Dara Enver Farid Hana Ivo Janos Kemal Lin Mehmet "
    "Nadia Omar Petra Quan Rustam"
).split()
SYLLABLES = (
    "ka lo vin dre tsk ov ma ri zen bel gor ush chev ski an to mir sla va "
    "nek pol dur hal kov ren sta lit yev bor nu lek za"
).split()
PLACE_ROOTS = (
    "Valdoria Kestran Morvia Tarsk Ulmar Brevnia Ostrava Corvel Dunmark "
    "Halvik Isdera Jorvan Kaldera Lumenia Marsk Norvel Pellan Quarro Rosk "
    "Sarvia Telmar Ubrin Velka Wendria Yarrow Zelk Amsel Borin Calder Drava"
).split()
DIRECTIONS = ("", "North ", "South ", "East ", "West ", "Upper ", "Lower ")
EVENT_KINDS = (
    "border crisis", "grain embargo", "naval standoff", "currency reform",
    "treaty talks", "railway dispute", "press campaign", "trade boycott",
    "party purge", "oil agreement", "arms race", "student protests",
)
CONCEPTS = (
    "national interest", "ideological purity", "economic aid", "border security",
    "party discipline", "foreign credit", "military advisers", "collective farming",
    "heavy industry", "nuclear sharing", "cultural exchange", "regional influence",
    "trade balance", "state propaganda", "land reform", "naval access",
)
VERBS = (
    "undermined", "strengthened", "delayed", "reshaped", "weakened", "secured",
    "complicated", "accelerated", "threatened", "justified",
)
SECTIONS = (
    "Context", "Causes", "Key_Figures", "Treaties", "Economy", "Ideology",
    "Border_Disputes", "Consequences", "Diplomacy", "Revision",
)

# Question templates: every one starts with an interrogative or a prompt
# verb/noun phrase, or ends in `?`, so the notes syntax recognises it.
QUESTIONS = (
    "When did {person} sign the {treaty} with {place}?",
    "Explain why the {event} {verb} {place}'s {concept}",
    "Who led {place} during the {event}, and why?",
    "Describe the role of {person} in the {event}",
    "What did the {treaty} promise {place} in return?",
    "Significance of the {event} for {person}",
    "Why did {person} oppose the {treaty} in {place}?",
    "Outline the causes of the {event} in {place}",
    "How did the {event} affect {concept} in {place}?",
    "Context for {person}'s policy on {concept}",
)
# Answer line templates (~80 characters); the marker is added separately.
ANSWERS = (
    "In {year}, {person} argued that {concept} {verb} the position of {place}",
    "the {event} lasted {range}, ending only after talks in {place2}",
    "{person} signed the {treaty} in {signed}, promising ${amount}million in aid",
    "{place} saw {concept} as a threat to its own {concept2} after {year}",
    "critics such as {person2} said the {treaty} {verb} {concept} for a decade",
    "by {year} the {event} had {verb} relations between {place} and {place2}",
    "support for {concept} fell sharply from {range} across {place}",
)
MARKERS = ("", "> ", "- ", "> ", "- ", "")


class Rng:
    """A tiny deterministic generator on top of `random.Random.random`."""

    def __init__(self, seed: int) -> None:
        import random

        self._r = random.Random(seed)

    def below(self, n: int) -> int:
        return min(int(self._r.random() * n), n - 1)

    def pick(self, seq):
        return seq[self.below(len(seq))]


def surname(rng: Rng) -> str:
    word = "".join(rng.pick(SYLLABLES) for _ in range(2 + rng.below(2)))
    return word.capitalize()


def vocabulary(rng: Rng) -> dict:
    """Names, places, treaties and events, each with fixed facts."""
    surnames = sorted({surname(rng) for _ in range(3000)})
    persons = [f"{rng.pick(FIRST)} {s}" for s in surnames]
    places = [d + p for p in PLACE_ROOTS for d in DIRECTIONS]
    # Each treaty has one signing year and one amount, wherever it appears.
    names = [f"Treaty of {p}" for p in PLACE_ROOTS]
    names += [f"{p} Accord" for p in PLACE_ROOTS] + [f"{p} Protocol" for p in PLACE_ROOTS]
    treaties = [(n, 1900 + rng.below(80), 50 * (1 + rng.below(20))) for n in names]
    events = []
    for place in PLACE_ROOTS:
        for kind in EVENT_KINDS:
            start = 1900 + rng.below(80)
            events.append((f"{place} {kind}", start, start + 1 + rng.below(9)))
    return {
        "persons": persons,
        "places": places,
        "treaties": treaties,
        "events": events,
    }


def fill(rng: Rng, template: str, v: dict, event) -> str:
    person, person2 = rng.pick(v["persons"]), rng.pick(v["persons"])
    name, start, end = event
    treaty, signed, amount = rng.pick(v["treaties"])
    return template.format(
        person=person,
        person2=person2,
        place=rng.pick(v["places"]),
        place2=rng.pick(v["places"]),
        treaty=treaty,
        signed=signed,
        event=name,
        concept=rng.pick(CONCEPTS),
        concept2=rng.pick(CONCEPTS),
        verb=rng.pick(VERBS),
        year=start + rng.below(end - start + 1),
        range=f"{start}-{end}",
        amount=amount,
    )


def plant(i: int, answer: list[str], v: dict) -> None:
    """A few problems per 1,000 cards, at fixed positions."""
    slot = i % 1000
    if not answer:
        return
    if slot == 137:  # name-variant: one letter dropped from a known name
        person = v["persons"][i % len(v["persons"])]
        first, last = person.split(" ", 1)
        answer.append(f"- {first} {last[0]}{last[2:]} later denied any part in it")
        answer.append(f"- {person} kept the same view for years afterwards")
    elif slot == 311:  # conflicting-dates: the event's range, misremembered
        name, start, end = v["events"][i % len(v["events"])]
        answer.append(f"- the {name} lasted {start}-{end + 10} by some accounts")
    elif slot == 479:  # year-range-order
        answer.append("- the occupation ran 1979-1967 according to the notes")
    elif slot == 523:  # spelling-variant pair
        answer.append("> the defence budget doubled while the defense pact lapsed")
    elif slot == 701:  # stray-token
        answer[-1] = answer[-1] + " m"
    elif slot == 887:  # placeholder
        answer.append("- TODO check this figure against the textbook")


def cards(seed: int, count: int):
    """Yields (section or None, question, answer lines) for `count` cards."""
    rng = Rng(seed)
    v = vocabulary(rng)
    seen: set[str] = set()
    section_every = 40
    for i in range(count):
        while True:
            event = rng.pick(v["events"])
            question = fill(rng, rng.pick(QUESTIONS), v, event)
            if question not in seen:
                seen.add(question)
                break
        answer = []
        for _ in range(1 + rng.below(5)):
            line = fill(rng, rng.pick(ANSWERS), v, event)
            answer.append(rng.pick(MARKERS) + line)
        plant(i, answer, v)
        section = SECTIONS[(i // section_every) % len(SECTIONS)] if i % section_every == 0 else None
        yield section, question, answer


def render(syntax: str, title: str, items, out) -> None:
    w = out.write
    if syntax == "canonical":
        w(f"%deckc 1\ndeck: {title}\n")
    elif syntax == "markdown":
        w(f"# {title}\n")
    elif syntax == "delimited":
        w(f"{title} Flashcards\n")
    else:
        w(f"{title} Flashcards\n")
    tag = ""
    for section, question, answer in items:
        if syntax == "blocks":
            w("\n")
            if section:
                w(f"({section})\n")
            w(question + "\n")
            for line in answer:
                w(line + "\n")
        elif syntax == "notes":
            if section:
                w(f"({section})\n")
            w(question + "\n")
            for line in answer:
                w(line + "\n")
        elif syntax == "qa":
            if section:
                w(f"({section})\n")
            w(f"Q: {question}\n")
            w(f"A: {answer[0]}\n")
            for line in answer[1:]:
                w(line + "\n")
        elif syntax == "delimited":
            if section:
                tag = section
            # CSV quoting keeps multi-line answers in one record; the text
            # never contains a double quote.
            body = "\n".join(answer)
            if len(answer) > 1:
                body = f'"{body}"'
            w(f"{question}\t{body}\t{tag}\n")
        elif syntax == "markdown":
            if section:
                w(f"\n## {section}\n")
            w(f"\n### {question}\n\n")
            for line in answer:
                w(line + "\n")
        elif syntax == "canonical":
            w("\n")
            if section:
                w(f"section: {section}\n")
            w(f"Q: {question}\n")
            for line in answer:
                w(f"A: {line}\n")
        else:
            raise ValueError(f"unknown syntax {syntax}")


def path_for(out_dir: str, syntax: str, size: int) -> str:
    return os.path.join(out_dir, f"{syntax}-{size}.{EXTENSIONS[syntax]}")


def generate(out_dir: str, syntax: str, size: int, seed: int = DEFAULT_SEED) -> str:
    """Writes one corpus (atomically) and returns its path."""
    os.makedirs(out_dir, exist_ok=True)
    path = path_for(out_dir, syntax, size)
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        render(syntax, f"Bench {size}", cards(seed, size), f)
    os.replace(tmp, path)
    return path


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    ap.add_argument("--syntaxes", default=",".join(SYNTAXES))
    ap.add_argument("--out", default="target/bench-corpora")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = ap.parse_args(argv)
    for syntax in args.syntaxes.split(","):
        if syntax not in SYNTAXES:
            ap.error(f"unknown syntax {syntax!r}; one of {', '.join(SYNTAXES)}")
        for size in (int(s) for s in args.sizes.split(",")):
            print(generate(args.out, syntax, size, args.seed), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
