"""The record's pieces in shards, a file each: an edit writes again only the shards it touched.

A shard none of whose pieces was added, replaced or left out keeps its file, untouched;
a shard whose file is missing or does not read back costs only its own pieces; the
shard of a key is the same in every process; files the record no longer lists go.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import cbor2
import yaml

from generator.build import build_site
from generator.record import CACHE_DIR, PIECES, SHARDS, KeyTable, Pieces, Record, holding_any, pack_positions, read_record, shard_of, unpack, write_record
from test_incremental import _event, built, initial_site, snapshot, sync


def _pieces(count: int) -> tuple[Pieces, KeyTable]:
    table = KeyTable({f"e:{number}:s": f"digest {number}" for number in range(count)})
    pieces = Pieces(keys=table)
    cards = pieces.group("card")
    for number in range(count):
        cards[(f"event-{number}", "")] = (f"<article>{number}</article>", frozenset({f"e:{number}:s"}), b"")
    return pieces, table


def _saved(folder: Path, pieces: Pieces, table: KeyTable) -> Pieces:
    """The pieces written with a record into `folder` and read back, as the next build finds them."""
    write_record(folder, Record(inputs="x", keys=table, pieces=pieces))
    return read_record(folder).pieces


def _files(pieces: Pieces, group: str) -> list[str]:
    return [file for file, _ in pieces._stored[group]]


def _stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (folder / PIECES).iterdir()}


def test_a_shard_no_piece_of_which_changed_keeps_its_file_untouched(tmp_path: Path):
    pieces, table = _pieces(200)
    again = _saved(tmp_path, pieces, table)
    first = _files(again, "card")
    assert len(first) == SHARDS and len(set(first)) == SHARDS
    before = _stamps(tmp_path)
    cards = again.group("card")
    assert len(cards) == 200
    cards[("event-7", "")] = ("<article>new</article>", frozenset({"e:7:s"}), b"")  # one piece replaced
    cards[("event-new", "")] = ("<article>added</article>", frozenset({"e:0:s"}), b"")  # one added
    del cards[("event-9", "")]  # one left out
    touched = {shard_of(("event-7", "")), shard_of(("event-new", "")), shard_of(("event-9", ""))}
    final = _saved(tmp_path, again, table)
    second = _files(final, "card")
    after = _stamps(tmp_path)
    for index, (old, new) in enumerate(zip(first, second)):
        if index in touched:
            assert old != new and old not in after, index  # a new file; the old one removed
        else:
            assert old == new and after[new] == before[old], index  # the very file, not written again
    assert set(after) == set(second)
    # The shards read back hold every piece as it is now, none lost or doubled.
    assert {key: piece[0] for key, piece in final.group("card").items()} == {key: piece[0] for key, piece in cards.items()}


def test_a_group_never_asked_for_and_an_untouched_group_keep_their_files(tmp_path: Path):
    pieces, table = _pieces(50)
    pieces.group("json")["event-1"] = (b"{}", frozenset({"e:1:s"}), b"")
    again = _saved(tmp_path, pieces, table)
    stored, before = dict(again._stored), _stamps(tmp_path)
    again.group("card")  # decoded, nothing changed
    final = _saved(tmp_path, again, table)
    assert final._stored == stored and _stamps(tmp_path) == before


def test_a_damaged_or_missing_shard_only_leaves_out_its_own_pieces(tmp_path: Path):
    pieces, table = _pieces(200)
    again = _saved(tmp_path, pieces, table)
    damaged, missing = shard_of(("event-3", "")), shard_of(("event-4", ""))
    assert damaged != missing
    first = _files(again, "card")
    (tmp_path / PIECES / first[damaged]).write_bytes(b"\xff\x00 not a shard")
    (tmp_path / PIECES / first[missing]).unlink()
    cards = again.group("card")
    everything = {(f"event-{number}", "") for number in range(200)}
    lost = {key for key in everything if shard_of(key) in (damaged, missing)}
    assert ("event-3", "") in lost and ("event-4", "") in lost and len(lost) < 200
    assert set(cards) == everything - lost
    # Its pieces made again, the two shards are written afresh; the others keep their files.
    for key in lost:
        cards[key] = (f"<article>{key[0]}</article>", frozenset({"e:0:s"}), b"")
    final = _saved(tmp_path, again, table)
    assert [i for i, (old, new) in enumerate(zip(first, _files(final, "card"))) if old != new] == sorted({damaged, missing})
    assert set(final.group("card")) == everything


def test_a_shard_with_keys_that_cannot_be_keys_is_left_out_not_a_crash(tmp_path: Path):
    pieces, table = _pieces(60)
    again = _saved(tmp_path, pieces, table)
    planted = [[[{"a": 1}], ["x"], [b""]], [["same", "same"], ["x", "y"], [b"", b""]], [[["a", ["b"]]], ["x"], [b""]], [[], [], [b"\x01"]]]
    for index, shard in enumerate(planted):
        (tmp_path / PIECES / _files(again, "card")[index]).write_bytes(cbor2.dumps(shard))
    link = tmp_path / PIECES / _files(again, "card")[len(planted)]
    link.unlink()
    link.symlink_to("/dev/zero")  # never read through a link
    cards = again.group("card")
    lost = {(f"event-{number}", "") for number in range(60) if shard_of((f"event-{number}", "")) <= len(planted)}
    assert set(cards) == {(f"event-{number}", "") for number in range(60)} - lost


def test_a_record_naming_a_shard_file_outside_its_folder_is_ignored(tmp_path: Path):
    pieces, table = _pieces(20)
    write_record(tmp_path, Record(inputs="x", keys=table, pieces=pieces))
    record = tmp_path / "record.cbor"
    with open(record, "rb") as handle:
        decoder = cbor2.CBORDecoder(handle)
        head, body = decoder.decode(), decoder.decode()
    body["pieces"]["card"][0][0] = "../record.cbor"
    record.write_bytes(cbor2.dumps(head) + cbor2.dumps(body))
    assert read_record(tmp_path).inputs == ""  # an empty record: a cold build


def test_a_piece_that_read_a_changed_key_is_left_out_even_from_a_group_not_used(tmp_path: Path):
    pieces, table = _pieces(100)
    again = _saved(tmp_path, pieces, table)
    again.drop_stale(set(table.positions(["e:5:s"])))
    final = _saved(tmp_path, again, table)  # written back without being asked for
    assert ("event-5", "") not in final.group("card") and len(final.group("card")) == 99


def test_a_piece_that_read_a_changed_key_is_counted_as_released_once_its_group_is_looked_at(tmp_path: Path):
    pieces, table = _pieces(100)
    again = _saved(tmp_path, pieces, table)
    changed = table.positions(["e:5:s"])
    again.drop_stale(set(changed))
    assert again.released == 0  # left for the end of the build: the group may yet be decoded for use
    again.drop_stale_stored()
    assert again.released == 1
    final = _saved(tmp_path, again, table)
    assert ("event-5", "") not in final.group("card") and len(final.group("card")) == 99


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
    before_stored = {name: _files(before.pieces, name) for name in before.pieces._stored}
    before_pieces = {name: {key: piece[0] for key, piece in before.pieces.group(name).items()} for name in before.pieces.names()}
    event = folder / "content/events/extra-17.yml"
    item = yaml.safe_load(event.read_text())
    item["summary"] = "A summary that changed."
    event.write_text(yaml.safe_dump(item))
    built(folder)
    after = read_record(folder / CACHE_DIR)
    after_stored = {name: _files(after.pieces, name) for name in after.pieces._stored}
    assert before_stored.keys() == after_stored.keys() and len(before_stored) > 1
    edited = set()
    for name, files in after_stored.items():
        now = {key: piece[0] for key, piece in after.pieces.group(name).items()}
        changed = {key for key in now.keys() | before_pieces[name].keys() if now.get(key) != before_pieces[name].get(key)}
        edited |= changed
        rewritten = {index for index, (old, new) in enumerate(zip(before_stored[name], files)) if old != new}
        # Only shards that hold a piece of the edited event (made again, whether or not its bytes changed).
        remade = {shard_of(key) for key in now if "extra-17" in str(key)}
        assert {shard_of(key) for key in changed} <= rewritten <= remade and len(remade) < SHARDS, name
    assert edited and all("extra-17" in str(key) for key in edited)  # the edited event's card and entries, nothing else
    listed = {file for files in after_stored.values() for file in files}
    assert {p.name for p in (folder / CACHE_DIR / PIECES).iterdir()} == listed  # the files no longer listed are gone
    # The site is the one a cold build gives.
    cold = tmp_path / "cold"
    sync(cold, {**site.files(), "content/events/extra-17.yml": event.read_text()})
    assert snapshot(folder / "_site") == built(cold)


def test_damaged_shards_give_the_site_of_a_cold_build(tmp_path: Path):
    site = initial_site()
    folder = tmp_path / "site"
    sync(folder, site.files())
    built(folder)
    for shard in (folder / CACHE_DIR / PIECES).iterdir():
        shard.write_bytes(b"\x9f garbage")  # every shard damaged: every piece is made again
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


def test_pieces_written_with_the_record_are_kept_packed_in_memory(tmp_path: Path):
    """serve keeps its pieces between builds: once the record is written, their reads are positions in
    the table, as stored, so that an output pasting thousands of them does not look each key up again."""
    pieces, table = _pieces(40)
    write_record(tmp_path, Record(inputs="x", keys=table, pieces=pieces))
    cards = pieces.group("card")
    assert all(names == frozenset() and len(packed) == 4 for _, names, packed in cards.values())
    assert {table.keys_at(unpack(packed)) for _, _, packed in cards.values()} == {frozenset({f"e:{n}:s"}) for n in range(40)}
    assert read_record(tmp_path).pieces.group("card") == cards


def test_the_read_sets_holding_a_position_are_found_whole_positions_only():
    """Joined, two sets' bytes can spell a position across their border: that is not a read of it."""
    first, second = pack_positions([0x01020304]), pack_positions([0x05060708])  # joined: 04 03 02 01 08 07 06 05
    straddling = int.from_bytes((first + second)[2:6], "little")  # spelled at offset 2: held by neither
    sets = [first, second, b"", pack_positions([7, straddling, 9, *range(10, 30)]), pack_positions([9])]
    assert holding_any(sets, {straddling}) == {3}
    assert holding_any(sets, {9}) == {3, 4}
    assert holding_any(sets, {0x05060708, 5}) == {1}
    assert holding_any(sets, set()) == set() and holding_any(sets, {5}) == set()
    many = set(range(100)) | {straddling}  # more positions found than are searched for one by one
    assert holding_any(sets, many) == {3, 4}


def test_a_flushed_group_is_written_forgotten_and_read_back_as_it_was(tmp_path: Path):
    from generator.record import pieces_store

    pieces, table = _pieces(50)
    store = pieces_store(tmp_path / CACHE_DIR)
    assert store == tmp_path / CACHE_DIR / PIECES
    pieces.keep_in(store)
    pieces.flush("card")
    assert "card" not in pieces._groups and len(pieces.flushed["card"]) == SHARDS
    assert {file for file, _ in pieces.flushed["card"]} == {p.name for p in store.iterdir()}
    again = _saved(tmp_path / CACHE_DIR, pieces, table)  # the record lists the files flushed, as they are
    assert _files(again, "card") == [file for file, _ in pieces.flushed["card"]]
    cards = again.group("card")
    assert {key: value for key, (value, _, _) in cards.items()} == {
        (f"event-{number}", ""): f"<article>{number}</article>" for number in range(50)}
    assert all(table.keys_at(unpack(packed)) == {f"e:{key[0].split('-')[1]}:s"} for key, (_, _, packed) in cards.items())


def test_a_worker_keeps_in_memory_a_group_that_read_a_key_new_to_its_table(tmp_path: Path):
    """Its positions of new keys are renumbered by the parent: a file would keep them wrong."""
    from generator.record import pieces_store

    pieces, table = _pieces(10)
    pieces.keep_in(pieces_store(tmp_path / CACHE_DIR))
    pieces.own_from = len(table)
    pieces.group("card")[("event-new", "")] = ("<article>new</article>", frozenset({"e:new:s"}), b"")
    pieces.flush("card")
    assert "card" in pieces._groups and not pieces.flushed
    del pieces.group("card")[("event-new", "")]
    pieces.flush("card")
    assert "card" not in pieces._groups and "card" in pieces.flushed


def test_without_a_store_or_through_a_linked_cache_folder_nothing_is_flushed(tmp_path: Path):
    from generator.record import pieces_store

    pieces, _ = _pieces(5)
    pieces.flush("card")
    assert "card" in pieces._groups and not pieces.flushed
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / CACHE_DIR).symlink_to(elsewhere)
    assert pieces_store(tmp_path / "site" / CACHE_DIR) is None and pieces_store(None) is None
    assert list(elsewhere.iterdir()) == []
