#!/usr/bin/env python3
"""Peer benchmark: genanki (PyPI, pinned by benches/run.py) writes the
benchmark's blocks corpus to an .apkg.

Usage: python genanki_peer.py INPUT OUT.apkg

Reads the corpus exactly as the floor program's `blocks.rs` does (blank-line
blocks, `(Label)` lines tag the cards after them, a one-line first block is
the title), HTML-escapes the fields and joins answer lines with `<br>`, so
every program in the comparison writes the same cards.
"""

import html
import sys
import time

import genanki

DECK_ID = 1_700_000_000_002


def split(text):
    title, cards, tag, first = "Deck", [], None, True
    for block in text.split("\n\n"):
        lines = [l.strip() for l in block.split("\n") if l.strip()]
        while lines and lines[0].startswith("(") and lines[0].endswith(")"):
            tag = lines.pop(0)[1:-1]
        if not lines:
            continue
        question, answer = lines[0], lines[1:]
        if first and not answer:
            title = question.removesuffix(" Flashcards")
        else:
            cards.append((question, answer, tag))
        first = False
    return title, cards


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: genanki_peer.py INPUT OUT.apkg")
    start = time.perf_counter()
    with open(sys.argv[1], encoding="utf-8") as f:
        title, cards = split(f.read())
    deck = genanki.Deck(DECK_ID, title)
    for question, answer, tag in cards:
        fields = [
            html.escape(question, quote=False),
            "<br>".join(html.escape(l, quote=False) for l in answer),
        ]
        deck.add_note(
            genanki.Note(model=genanki.BASIC_MODEL, fields=fields, tags=[tag] if tag else [])
        )
    built = time.perf_counter() - start
    genanki.Package(deck).write_to_file(sys.argv[2])
    print(f"timing {'notes':<20} {built * 1e3:>10.3f} ms", file=sys.stderr)
    print(f"timing {'total':<20} {(time.perf_counter() - start) * 1e3:>10.3f} ms", file=sys.stderr)
    print(f"genanki: {len(cards)} cards", file=sys.stderr)


if __name__ == "__main__":
    main()
