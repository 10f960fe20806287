#!/usr/bin/env python3
"""Checks deckc's output with Anki's own import code (the `anki` package on PyPI).

Run by tests/cli/anki_import.rs inside the virtualenv it manages. Every
command prints one JSON document on stdout; the Rust test asserts on it.

  verify.py import-apkg PKG...   import each package, in order, into one
                                 FRESH collection; print the import logs and
                                 the resulting notes, cards, decks and media
                                 files (name -> SHA-1)
  verify.py import-text TXT...   the same through Anki's CSV/text import
  verify.py make-genanki OUT     write a package with genanki
  verify.py render-apkg PKG...   import like import-apkg; print every note's
                                 note type (name, id, kind) and every card's
                                 ord and rendered front/back, HTML stripped
  verify.py render-text TXT...   the same through the text import
  verify.py make-export LEGACY MODERN
                                 write two packages with Anki's own exporter:
                                 legacy (collection.anki21) and modern
                                 (collection.anki21b, zstd)
  verify.py check-apkg PKG...    import each package ALONE into its own FRESH
                                 collection and run Check Database there

Every command that imports packages (import-apkg, render-apkg, session,
check-apkg) also imports each package it was given alone into a FRESH
collection and runs Check Database (col.fix_integrity()) on it; the
results are printed as `package_checks` ([{package, ok, message}]), and
the Rust harness asserts that every one is ok.

  verify.py media-names PKG JSON
                                 rewrite the package PKG (one note) to hold a
                                 media file under each name in the JSON list,
                                 its note referring to all of them; import it
                                 into a FRESH collection and print the name
                                 Anki stored each file under
  verify.py session STEP...      run steps, in order, on one FRESH
                                 collection and print what each did plus
                                 every note and card with its review state.
                                 A step is `import=PKG` (as import-apkg) or
                                 `review=GUID` (answer that note's card
                                 "Easy" with Anki's v3 scheduler)
"""

import html
import json
import os
import re
import sqlite3
import sys
import tempfile
import zipfile

from anki.collection import (
    Collection,
    ExportAnkiPackageOptions,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
    ImportCsvRequest,
)
from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
from anki.lang import set_lang
from anki.scheduler.v3 import CardAnswer
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


# Check Database on each package imported alone, by path, in import order.
PACKAGE_CHECKS = {}


def check_alone(path):
    """Imports `path` alone into a fresh collection and runs Anki's Check
    Database there (once per path), so every package is checked on its own,
    not only the collection a test ends up with."""
    if path in PACKAGE_CHECKS:
        return
    with tempfile.TemporaryDirectory() as tmp:
        col = fresh_collection(tmp)
        counts = import_package(col, path)
        message, ok = col.fix_integrity()
        col.close()
    PACKAGE_CHECKS[path] = {
        "package": path,
        "ok": ok,
        "message": message,
        "new": counts["new"],
    }


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
            check_alone(path)
        result = {"imports": imports, **facts(col), "media": media_files(col)}
        col.close()
        return result


def media_files(col):
    """Every file in the collection's media folder: name -> SHA-1 (hex)."""
    import hashlib

    folder = col.media.dir()
    out = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            out[name] = hashlib.sha1(f.read()).hexdigest()
    return out


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


def import_package(col, path):
    """One apkg import with the options a learner's Anki uses by default
    (update notes and note types only when the incoming ones are newer)."""
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
    return log_counts(out.log)


def review(col, guid):
    """Answers the card of the note with `guid` "Easy" through the v3
    scheduler's queue, exactly as the reviewer screen does."""
    nids = [nid for nid in col.find_notes("") if col.get_note(nid).guid == guid]
    if len(nids) != 1:
        raise SystemExit(f"review: {len(nids)} notes with GUID {guid!r}")
    cids = col.get_note(nids[0]).card_ids()
    card = col.get_card(cids[0])
    # The queue is built for the selected deck; imported cards live in the
    # package's deck, not in Default.
    col.decks.select(card.did)
    # Anki answers only the card at the top of the queue: move this new
    # card to the front ("Reposition" in the browser) first.
    col.sched.reposition_new_cards(
        [card.id], starting_from=0, step_size=1, randomize=False, shift_existing=True
    )
    queued = col.sched.get_queued_cards(fetch_limit=1)
    entry = next(iter(queued.cards), None)
    if entry is None or entry.card.id != card.id:
        raise SystemExit(f"review: the card of {guid!r} is not first in the queue")
    card.start_timer()
    answer = col.sched.build_answer(
        card=card, states=entry.states, rating=CardAnswer.EASY
    )
    col.sched.answer_card(answer)
    return {"guid": guid, "card": card.id}


def review_state(col, cid):
    card = col.get_card(cid)
    return {
        "id": cid,
        "nid": card.nid,
        "type": card.type,
        "queue": card.queue,
        "due": card.due,
        "ivl": card.ivl,
        "reps": card.reps,
        "lapses": card.lapses,
        "factor": card.factor,
        "revlog": len(col.card_stats_data(cid).revlog),
        "question": strip_html(card.question()),
        "answer": strip_html(card.answer()),
    }


def session(steps):
    with tempfile.TemporaryDirectory() as tmp:
        col = fresh_collection(tmp)
        done = []
        for step in steps:
            kind, _, arg = step.partition("=")
            if kind == "import":
                done.append({"import": import_package(col, arg)})
                check_alone(arg)
            elif kind == "review":
                done.append({"review": review(col, arg)})
            else:
                raise SystemExit(f"session: unknown step {step!r}")
        notes = []
        for nid in sorted(col.find_notes("")):
            note = col.get_note(nid)
            notes.append(
                {
                    "id": nid,
                    "guid": note.guid,
                    "fields": list(note.fields),
                    "tags": list(note.tags),
                    "mod": note.mod,
                    "cards": [review_state(col, c) for c in note.card_ids()],
                }
            )
        message, ok = col.fix_integrity()
        result = {
            "steps": done,
            "notes": notes,
            "check_database": {"ok": ok, "message": message},
        }
        col.close()
        return result


def media_names(package, names):
    """What Anki's package import calls each media file: a copy of
    `package` whose media map lists `names` (file i holds `deckc-media-i`,
    so the stored files can be told apart) and whose note refers to them."""
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "collection.anki2")
        with zipfile.ZipFile(package) as z:
            with open(db, "wb") as f:
                f.write(z.read("collection.anki2"))
        con = sqlite3.connect(db)
        refs = "".join(f'<img src="{html.escape(n)}">' for n in names)
        con.execute("update notes set flds = 'media names' || char(31) || ?", (refs,))
        con.commit()
        con.close()
        rewritten = os.path.join(tmp, "names.apkg")
        with zipfile.ZipFile(rewritten, "w") as out:
            with open(db, "rb") as f:
                out.writestr("collection.anki2", f.read())
            out.writestr("media", json.dumps({str(i): n for i, n in enumerate(names)}))
            for i in range(len(names)):
                out.writestr(str(i), f"deckc-media-{i}")
        home = os.path.join(tmp, "anki")
        os.mkdir(home)
        col = fresh_collection(home)
        import_package(col, rewritten)
        media_dir = col.media.dir()
        by_content = {}
        for stored in os.listdir(media_dir):
            with open(os.path.join(media_dir, stored), "rb") as f:
                by_content[f.read().decode()] = stored
        col.close()
        return {"names": [by_content.get(f"deckc-media-{i}") for i in range(len(names))]}


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


def plain(html):
    """Rendered card HTML as the learner reads it: tags (and the note
    type's <style>) stripped by Anki's strip_html, with a space where a tag
    was (so list items and lines stay apart), whitespace collapsed."""
    return " ".join(strip_html(html.replace("<", " <")).split())


def rendered(col):
    notes = []
    for nid in sorted(col.find_notes("")):
        note = col.get_note(nid)
        notetype = note.note_type()
        cards = []
        for card in sorted(note.cards(), key=lambda c: c.ord):
            cards.append(
                {
                    "ord": card.ord,
                    "front": plain(card.question()),
                    "back": plain(card.answer()),
                }
            )
        notes.append(
            {
                "guid": note.guid,
                "notetype": notetype["name"],
                "notetype_id": notetype["id"],
                "notetype_kind": notetype["type"],
                "fields": list(note.fields),
                "cards": cards,
            }
        )
    message, ok = col.fix_integrity()
    return {"notes": notes, "check_database": {"ok": ok, "message": message}}


def render(paths, importer):
    with tempfile.TemporaryDirectory() as tmp:
        col = fresh_collection(tmp)
        imports = []
        for path in paths:
            if importer == "apkg":
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
                check_alone(path)
            else:
                metadata = col.get_csv_metadata(path=path, delimiter=None)
                out = col.import_csv(ImportCsvRequest(path=path, metadata=metadata))
            imports.append(log_counts(out.log))
        result = {"imports": imports, **rendered(col)}
        col.close()
        return result


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    command, args = argv[1], argv[2:]
    if command == "import-apkg":
        result = import_apkg(args)
    elif command == "import-text":
        result = import_text(args)
    elif command == "session":
        result = session(args)
    elif command == "check-apkg":
        for path in args:
            check_alone(path)
        result = {}
    elif command == "media-names":
        result = media_names(args[0], json.loads(args[1]))
    elif command == "make-genanki":
        result = make_genanki(args[0])
    elif command == "make-export":
        result = make_export(args[0], args[1])
    elif command == "render-apkg":
        result = render(args, "apkg")
    elif command == "render-text":
        result = render(args, "text")
    else:
        print(f"unknown command {command!r}\n{__doc__}", file=sys.stderr)
        return 2
    if PACKAGE_CHECKS:
        result["package_checks"] = list(PACKAGE_CHECKS.values())
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
