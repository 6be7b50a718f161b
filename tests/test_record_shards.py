"""The record's pieces in shards: an edit encodes again only the shards it touched.

A shard none of whose pieces was added, replaced or left out is written back as the
very bytes it was read from; a shard that does not read back costs only its own
pieces; the shard of a key is the same in every process.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cbor2
import yaml

from generator.build import build_site
from generator.record import CACHE_DIR, RECORD, SHARDS, KeyTable, Pieces, read_record, shard_of
from test_incremental import _event, built, initial_site, snapshot, sync


def _pieces(count: int) -> tuple[Pieces, KeyTable]:
    table = KeyTable({f"e:{number}:s": f"digest {number}" for number in range(count)})
    pieces = Pieces(keys=table)
    cards = pieces.group("card")
    for number in range(count):
        cards[(f"event-{number}", "")] = (f"<article>{number}</article>", frozenset({f"e:{number}:s"}), b"")
    return pieces, table


def _read_back(pieces: Pieces, table: KeyTable) -> Pieces:
    """The pieces as the next build finds them in the record."""
    stored = cbor2.loads(cbor2.dumps(pieces.encoded()))
    return Pieces({name: [(blob, union) for blob, union in shards] for name, shards in stored.items()}, table)


def test_a_shard_no_piece_of_which_changed_is_written_back_byte_for_byte():
    pieces, table = _pieces(200)
    first = pieces.encoded()["card"]
    assert len(first) == SHARDS and all(blob for blob, _ in first)
    again = _read_back(pieces, table)
    cards = again.group("card")
    assert len(cards) == 200
    cards[("event-7", "")] = ("<article>new</article>", frozenset({"e:7:s"}), b"")  # one piece replaced
    cards[("event-new", "")] = ("<article>added</article>", frozenset({"e:0:s"}), b"")  # one added
    del cards[("event-9", "")]  # one left out
    touched = {shard_of(("event-7", "")), shard_of(("event-new", "")), shard_of(("event-9", ""))}
    second = again.encoded()["card"]
    for index, (before, after) in enumerate(zip(first, second)):
        if index in touched:
            assert before[0] != after[0], index
        else:
            assert after[0] is not None and after[0] == before[0] and after[1] == before[1], index
    # The shards read back hold every piece as it is now, none lost or doubled.
    final = _read_back(again, table).group("card")
    assert {key: piece[0] for key, piece in final.items()} == {key: piece[0] for key, piece in cards.items()}


def test_a_group_never_asked_for_and_an_untouched_group_are_written_back_as_read():
    pieces, table = _pieces(50)
    pieces.group("json")["event-1"] = (b"{}", frozenset({"e:1:s"}), b"")
    stored = pieces.encoded()
    again = _read_back(pieces, table)
    again.group("card")  # decoded, nothing changed
    written = again.encoded()
    assert written == stored


def test_a_damaged_shard_only_leaves_out_its_own_pieces():
    pieces, table = _pieces(200)
    stored = cbor2.loads(cbor2.dumps(pieces.encoded()))
    damaged = shard_of(("event-3", ""))
    stored["card"][damaged][0] = b"\xff\x00 not a shard"
    again = Pieces({name: [(blob, union) for blob, union in shards] for name, shards in stored.items()}, table)
    cards = again.group("card")
    lost = {key for key in ((f"event-{number}", "") for number in range(200)) if shard_of(key) == damaged}
    assert ("event-3", "") in lost and len(lost) < 200
    assert set(cards) == {(f"event-{number}", "") for number in range(200)} - lost
    # Its pieces made again, the damaged shard is encoded afresh; the others stay as they were.
    for key in lost:
        cards[key] = (f"<article>{key[0]}</article>", frozenset({"e:0:s"}), b"")
    written = again.encoded()["card"]
    assert cbor2.loads(written[damaged][0]) and all(written[i][0] == stored["card"][i][0] for i in range(SHARDS) if i != damaged)


def test_a_piece_that_read_a_changed_key_is_left_out_even_from_a_group_not_used():
    pieces, table = _pieces(100)
    again = _read_back(pieces, table)
    changed = table.positions(["e:5:s"])
    again.drop_stale(set(changed))
    assert again.released == 1
    written = again.encoded()["card"]
    keys = {tuple(key) for blob, _ in written for key in cbor2.loads(blob)[0]}
    assert ("event-5", "") not in keys and len(keys) == 99


def test_the_shard_of_a_key_is_the_same_in_every_process():
    script = "from generator.record import shard_of; print([shard_of(k) for k in ('a', ('b', 'card'), 'événement')])"
    seen = {
        subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2", "3")
    }
    assert len(seen) == 1


def test_an_edit_rewrites_only_the_shards_of_the_pieces_it_changed(tmp_path: Path):
    site = initial_site()
    for number in range(40):  # enough events for most shards to hold some
        site.events[f"extra-{number}"] = _event(f"Extra {number}", f"2016-0{1 + number % 9}-1{number % 9}", ["bob"], ["afp"])
    folder = tmp_path / "site"
    sync(folder, site.files())
    built(folder)
    before = read_record(folder / CACHE_DIR)
    before_stored = {name: list(shards) for name, shards in before.pieces._stored.items()}
    before_pieces = {name: {key: piece[0] for key, piece in before.pieces.group(name).items()} for name in before.pieces.names()}
    event = folder / "content/events/extra-17.yml"
    item = yaml.safe_load(event.read_text())
    item["summary"] = "A summary that changed."
    event.write_text(yaml.safe_dump(item))
    built(folder)
    after = read_record(folder / CACHE_DIR)
    after_stored = {name: list(shards) for name, shards in after.pieces._stored.items()}
    assert before_stored.keys() == after_stored.keys() and len(before_stored) > 1
    edited = set()
    for name, shards in after_stored.items():
        now = {key: piece[0] for key, piece in after.pieces.group(name).items()}
        changed = {key for key in now.keys() | before_pieces[name].keys() if now.get(key) != before_pieces[name].get(key)}
        edited |= changed
        rewritten = {index for index, (old, new) in enumerate(zip(before_stored[name], shards)) if old[0] != new[0]}
        # Only shards that hold a piece of the edited event (made again, whether or not its bytes changed).
        remade = {shard_of(key) for key in now if "extra-17" in str(key)}
        assert {shard_of(key) for key in changed} <= rewritten <= remade and len(remade) < SHARDS, name
    assert edited and all("extra-17" in str(key) for key in edited)  # the edited event's card and entries, nothing else
    # The site is the one a cold build gives.
    cold = tmp_path / "cold"
    sync(cold, {path: text for path, text in site.files().items()} | {"content/events/extra-17.yml": event.read_text()})
    assert snapshot(folder / "_site") == built(cold)


def test_a_damaged_shard_in_the_record_gives_the_site_of_a_cold_build(tmp_path: Path):
    site = initial_site()
    folder = tmp_path / "site"
    sync(folder, site.files())
    built(folder)
    record = folder / CACHE_DIR / RECORD
    with open(record, "rb") as handle:
        decoder = cbor2.CBORDecoder(handle)
        head, body = decoder.decode(), decoder.decode()
    for shards in body["pieces"].values():
        for shard in shards:
            shard[0] = b"\x9f garbage"  # every shard damaged: every piece is made again
    record.write_bytes(cbor2.dumps(head) + cbor2.dumps(body))
    event = folder / "content/events/second.yml"
    item = yaml.safe_load(event.read_text())
    item["title"] = "Second, renamed"
    event.write_text(yaml.safe_dump(item))
    result = build_site(folder, search=False)
    assert result.written is not None and result.rendered < result.pages + result.exports  # not a cold build
    cold = tmp_path / "cold"
    sync(cold, {**site.files(), "content/events/second.yml": event.read_text()})
    assert snapshot(folder / "_site") == built(cold)
    repaired = read_record(folder / CACHE_DIR).pieces
    assert any(repaired.group(name) for name in repaired.names())


def test_a_shard_with_keys_that_cannot_be_keys_is_left_out_not_a_crash():
    pieces, table = _pieces(60)
    stored = cbor2.loads(cbor2.dumps(pieces.encoded()))
    planted = [[[{"a": 1}], ["x"], [b""]], [["same", "same"], ["x", "y"], [b"", b""]], [[["a", ["b"]]], ["x"], [b""]]]
    for index, shard in enumerate(planted):
        stored["card"][index][0] = cbor2.dumps(shard)
    again = Pieces({name: [(blob, union) for blob, union in shards] for name, shards in stored.items()}, table)
    cards = again.group("card")
    lost = {(f"event-{number}", "") for number in range(60) if shard_of((f"event-{number}", "")) < len(planted)}
    assert set(cards) == {(f"event-{number}", "") for number in range(60)} - lost
