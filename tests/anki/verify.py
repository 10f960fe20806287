#!/usr/bin/env python3
"""Checks deckc's output with Anki's own import code (the `anki` package on PyPI).

Run by tests/cli/anki_import.rs inside the virtualenv it manages. Every
command prints one JSON document on stdout; the Rust test asserts on it.

  verify.py import-apkg PKG...   import each package, in order, into one
                                 FRESH collection; print the import logs and
                                 the resulting notes, cards and decks
  verify.py import-text TXT...   the same through Anki's CSV/text import
  verify.py make-genanki OUT     write a package with genanki
  verify.py make-export LEGACY MODERN
                                 write two packages with Anki's own exporter:
                                 legacy (collection.anki21) and modern
                                 (collection.anki21b, zstd)
"""

import json
import os
import re
import sys
import tempfile

from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportCsvRequest,
)
from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
from anki.lang import set_lang
from anki.utils import strip_html

# strip_html and messages need Anki's i18n backend; English keeps the Check
# Database messages stable.
set_lang("en")

# Notes the package makers below write; the Rust test expects exactly these.
SAMPLE_NOTES = [
    ("Capital of France?", "Paris", ["geo"]),
    ("2 &lt; 3?", "yes &amp; true", ["maths", "easy"]),
    ("Émigré?", "someone who left", []),
]


def fresh_collection(tmp):
    return Collection(os.path.join(tmp, "collection.anki2"))


def log_counts(log):
    return {
        "new": len(log.new),
        "updated": len(log.updated),
        "duplicate": len(log.duplicate),
        "conflicting": len(log.conflicting),
        "first_field_match": len(log.first_field_match),
        "missing_notetype": len(log.missing_notetype),
        "missing_deck": len(log.missing_deck),
        "empty_first_field": len(log.empty_first_field),
        "found_notes": log.found_notes,
    }


def answer_lines(back):
    """The answer field split at line boundaries (<br>, list items), each
    piece with HTML stripped by Anki's own strip_html."""
    pieces = re.split(r"<br\s*/?>|</?li>|</?ul[^>]*>", back)
    return [strip_html(p) for p in pieces if strip_html(p) != ""]


def facts(col):
    notes = []
    for nid in sorted(col.find_notes("")):
        note = col.get_note(nid)
        notetype = note.note_type()
        notes.append(
            {
                "id": nid,
                "guid": note.guid,
                "notetype": notetype["name"],
                "field_names": [f["name"] for f in notetype["flds"]],
                "fields": list(note.fields),
                "tags": list(note.tags),
                "mod": note.mod,
                "answer_lines": answer_lines(note.fields[-1]) if note.fields else [],
                "cards": len(note.card_ids()),
            }
        )
    cards = []
    for cid in sorted(col.find_cards("")):
        card = col.get_card(cid)
        deck = col.decks.get(card.did, default=False)
        cards.append(
            {
                "id": cid,
                "nid": card.nid,
                "ord": card.ord,
                "deck": deck["name"] if deck else None,
                "type": card.type,
                "queue": card.queue,
                "question": strip_html(card.question()),
            }
        )
    decks = sorted(d.name for d in col.decks.all_names_and_ids())
    message, ok = col.fix_integrity()
    return {
        "notes": notes,
        "cards": cards,
        "decks": decks,
        "notetypes": sorted(m["name"] for m in col.models.all()),
        "check_database": {"ok": ok, "message": message},
    }


def import_apkg(paths):
    with tempfile.TemporaryDirectory() as tmp:
        col = fresh_collection(tmp)
        imports = []
        for path in paths:
            options = ImportAnkiPackageOptions(
                merge_notetypes=False,
                update_notes=IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
                update_notetypes=IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
                with_scheduling=False,
                with_deck_configs=False,
            )
            out = col.import_anki_package(
                ImportAnkiPackageRequest(package_path=path, options=options)
            )
            imports.append(log_counts(out.log))
        result = {"imports": imports, **facts(col)}
        col.close()
        return result


def import_text(paths):
    with tempfile.TemporaryDirectory() as tmp:
        col = fresh_collection(tmp)
        imports = []
        for path in paths:
            metadata = col.get_csv_metadata(path=path, delimiter=None)
            out = col.import_csv(ImportCsvRequest(path=path, metadata=metadata))
            imports.append(log_counts(out.log))
        result = {"imports": imports, **facts(col)}
        col.close()
        return result


def make_genanki(out):
    import genanki

    model = genanki.Model(
        1607392319,
        "genanki Basic",
        fields=[{"name": "Question"}, {"name": "Answer"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Question}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}",
            }
        ],
    )
    deck = genanki.Deck(2059400110, "genanki deck")
    for i, (q, a, tags) in enumerate(SAMPLE_NOTES):
        deck.add_note(
            genanki.Note(model=model, fields=[q, a], tags=tags, guid=f"genanki-{i}")
        )
    genanki.Package(deck).write_to_file(out)
    return {"written": out}


def make_export(legacy_out, modern_out):
    with tempfile.TemporaryDirectory() as tmp:
        col = fresh_collection(tmp)
        did = col.decks.id("Exported::Child")
        basic = col.models.by_name("Basic")
        for i, (q, a, tags) in enumerate(SAMPLE_NOTES):
            note = col.new_note(basic)
            note.fields[0] = q
            note.fields[1] = a
            note.tags = tags
            note.guid = f"export-{i}"
            col.add_note(note, did)
        for path, legacy in ((legacy_out, True), (modern_out, False)):
            col.export_anki_package(
                out_path=path,
                options=ExportAnkiPackageOptions(
                    with_scheduling=False,
                    with_deck_configs=False,
                    with_media=True,
                    legacy=legacy,
                ),
                limit=None,
            )
        col.close()
    return {"written": [legacy_out, modern_out]}


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    command, args = argv[1], argv[2:]
    if command == "import-apkg":
        result = import_apkg(args)
    elif command == "import-text":
        result = import_text(args)
    elif command == "make-genanki":
        result = make_genanki(args[0])
    elif command == "make-export":
        result = make_export(args[0], args[1])
    else:
        print(f"unknown command {command!r}\n{__doc__}", file=sys.stderr)
        return 2
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
