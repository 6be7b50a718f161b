"""Writing the output: atomic swap, untouched unchanged files, refusals."""
from pathlib import Path

import pytest

from generator.write import MARKER, WriteError, check_output_folder, collect_static, write_site


def test_fresh_write_then_unchanged_files_are_linked_not_rewritten(tmp_path: Path):
    out = tmp_path / "_site"
    first = write_site(out, {"index.html": b"home", "a/index.html": b"a"}, {})
    assert (first.written, first.kept) == (2, 0)
    inode = (out / "index.html").stat().st_ino
    second = write_site(out, {"index.html": b"home", "a/index.html": b"changed"}, {})
    assert (second.written, second.kept) == (1, 1)
    assert (out / "index.html").stat().st_ino == inode
    assert (out / "a/index.html").read_bytes() == b"changed"
    assert (out / MARKER).exists()


def test_removed_pages_disappear_with_their_empty_folders(tmp_path: Path):
    out = tmp_path / "_site"
    write_site(out, {"old/deep/index.html": b"x", "keep.html": b"k"}, {})
    write_site(out, {"keep.html": b"k"}, {})
    assert not (out / "old").exists()
    write_site(out, {"keep.html": b"k2"}, {})
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [MARKER, "keep.html"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["._site.lock", "._site.spare", "_site"]


def test_a_removed_page_takes_only_the_folders_it_leaves_empty(tmp_path: Path):
    out = tmp_path / "_site"
    write_site(out, {"events/a/index.html": b"a", "events/b/index.html": b"b", "events/b/map.json": b"m"}, {})
    write_site(out, {"events/b/index.html": b"b"}, {})  # the live site's events/a goes in the swap
    write_site(out, {"events/b/index.html": b"b2"}, {})  # the spare's events/a and events/b/map.json are removed file by file
    for folder in (out, tmp_path / "._site.spare"):
        files = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
        assert [name for name in files if name != MARKER] == ["events", "events/b", "events/b/index.html"]


@pytest.mark.parametrize("before, after", [("a/b.html", "a"), ("a", "a/b.html"), ("a/x/b.html", "a/x"), ("a", "a/x/b.html")])
def test_a_file_may_take_the_name_of_a_folder_of_the_last_site_and_the_other_way_round(tmp_path: Path, before: str, after: str):
    out = tmp_path / "_site"
    for files in ({before: b"1", "k.html": b"k"}, {before: b"1", "k.html": b"k2"}, {after: b"2", "k.html": b"k2"}, {after: b"2", "k.html": b"k3"}):
        write_site(out, files, {})  # the spare mirrors the last site each time, the last but one's files linked again
        assert {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != MARKER} == files


def test_a_file_and_a_folder_on_one_path_are_refused_before_anything_is_replaced(tmp_path: Path):
    out = tmp_path / "_site"
    write_site(out, {"index.html": b"home"}, {})
    for files in ({"a": b"x", "a/b/c.html": b"y"}, {"a/b/c.html": b"y", "a/b": b"x"}):
        with pytest.raises(WriteError, match="a file and a folder would both be at a"):
            write_site(out, files, {})
        assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [MARKER, "index.html"]


def test_a_folder_left_in_the_spare_where_the_live_site_has_a_file_is_cleared(tmp_path: Path):
    out, spare = tmp_path / "_site", tmp_path / "._site.spare"
    write_site(out, {"a": b"1", "k.html": b"k"}, {})
    write_site(out, {"a": b"1", "k.html": b"k2"}, {})
    (spare / "a").unlink()
    (spare / "a" / "left").mkdir(parents=True)  # as a killed build might leave it
    write_site(out, {"a": b"1", "k.html": b"k3"}, {})
    assert (out / "a").read_bytes() == b"1" and (out / "k.html").read_bytes() == b"k3"


def test_nothing_changed_writes_nothing(tmp_path: Path):
    out = tmp_path / "_site"
    write_site(out, {"a.html": b"a", "b/index.html": b"b"}, {})
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    result = write_site(out, {"a.html": b"a", "b/index.html": b"b"}, {})
    assert (result.written, result.kept) == (0, 2)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_a_series_of_writes_always_leaves_exactly_the_wanted_files(tmp_path: Path):
    out = tmp_path / "_site"
    series = [
        {"a.html": b"1", "x/index.html": b"1"},
        {"a.html": b"2", "y/index.html": b"1"},
        {"a.html": b"2", "y/index.html": b"2", "z.html": b"z"},
        {"a.html": b"1", "x/index.html": b"1"},
    ]
    for files in series:
        write_site(out, files, {})
        found = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file() and p.name != MARKER}
        assert found == files


def test_a_spare_left_half_made_is_made_again(tmp_path: Path):
    out = tmp_path / "_site"
    write_site(out, {"a.html": b"1"}, {})
    write_site(out, {"a.html": b"2"}, {})
    spare = tmp_path / "._site.spare"
    (spare / MARKER).unlink()  # as a build killed while updating it would leave it
    (spare / "junk.html").write_text("half-written")
    write_site(out, {"a.html": b"3"}, {})
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "a.html"]
    assert (out / "a.html").read_bytes() == b"3"


def test_static_files_are_copied_and_later_folders_override(tmp_path: Path):
    theme, site = tmp_path / "theme", tmp_path / "static"
    for folder, text in ((theme, "theme"), (site, "site")):
        (folder / "assets").mkdir(parents=True)
        (folder / "assets" / "style.css").write_text(text)
    (theme / "assets" / "only-theme.js").write_text("js")
    files = collect_static([theme, site])
    assert files["assets/style.css"].read_text() == "site"
    assert "assets/only-theme.js" in files


def test_page_and_static_file_on_one_path_is_an_error(tmp_path: Path):
    static = tmp_path / "static" / "index.html"
    static.parent.mkdir()
    static.write_text("x")
    with pytest.raises(WriteError, match="both be written"):
        write_site(tmp_path / "_site", {"index.html": b"page"}, {"index.html": static})


def test_output_folder_refusals(tmp_path: Path):
    site = tmp_path / "site"
    (site / "content").mkdir(parents=True)
    with pytest.raises(WriteError, match="contains the site"):
        check_output_folder(site, site, force=False)
    with pytest.raises(WriteError, match="contains the site"):
        check_output_folder(tmp_path, site, force=False)
    with pytest.raises(WriteError, match="inside the site's content"):
        check_output_folder(site / "content" / "out", site, force=False)
    foreign = site / "_site"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("mine")
    check_output_folder(foreign, site, force=True)  # the path is fine; its files are the writer's concern
    with pytest.raises(WriteError, match="did not make"):
        write_site(foreign, {"index.html": b"page"}, {})
    assert (foreign / "notes.txt").read_text() == "mine"
    (foreign / "notes.txt").unlink()
    write_site(foreign, {"index.html": b"page"}, {})  # empty is fine


def test_replace_files_puts_files_in_place_and_keeps_the_manifest_true(tmp_path: Path):
    from generator.write import read_live, replace_files

    out = tmp_path / "_site"
    write_site(out, {"index.html": b"home", "css/site.css": b"old", "gone.css": b"x"}, {})
    untouched = (out / "index.html").stat().st_ino
    result = replace_files(out, {"css/site.css": b"new", "css/more.css": b"added"}, ["gone.css"])
    assert (result.written, result.kept) == (2, 1)
    assert (out / "css/site.css").read_bytes() == b"new" and (out / "css/more.css").read_bytes() == b"added"
    assert not (out / "gone.css").exists()
    assert (out / "index.html").stat().st_ino == untouched
    live = read_live(out)
    assert live.strays == [] and sorted(live.manifest) == ["css/more.css", "css/site.css", "index.html"]
    # The next whole write sees the site as it is: only what differs is written.
    again = write_site(out, {"index.html": b"home", "css/site.css": b"new", "css/more.css": b"added"}, {})
    assert (again.written, again.kept) == (0, 3)


def test_a_replacement_cut_short_leaves_its_files_to_be_made_again(tmp_path: Path, monkeypatch):
    import generator.write as write

    out = tmp_path / "_site"
    write_site(out, {"a.css": b"a", "b.css": b"b"}, {})
    real_replace = write._replace

    def failing(target: Path, data: bytes) -> None:
        if target.name == "b.css":
            raise OSError(5, "Input/output error", str(target))
        real_replace(target, data)

    monkeypatch.setattr(write, "_replace", failing)
    with pytest.raises(WriteError, match="cannot write the site"):
        write.replace_files(out, {"a.css": b"a2", "b.css": b"b2"})
    monkeypatch.setattr(write, "_replace", real_replace)
    assert write.read_manifest(out)["b.css"] == write.UNKNOWN  # vouches for no bytes
    result = write_site(out, {"a.css": b"a2", "b.css": b"b2"}, {})
    assert (out / "b.css").read_bytes() == b"b2" and result.written >= 1


def test_replace_files_takes_the_manifest_it_is_given_and_brings_it_up_to_date(tmp_path: Path):
    from generator.write import read_manifest, replace_files

    out = tmp_path / "_site"
    write_site(out, {"index.html": b"home", "a.css": b"a"}, {})
    known = read_manifest(out)
    replace_files(out, {"a.css": b"a2", "b.css": b"b"}, manifest=known)
    assert known == read_manifest(out) and set(known) == {"index.html", "a.css", "b.css"}
    assert (out / ".timeline-site").read_text().count("\n") == 4  # marked lines gone once the save is done


def test_replace_files_never_writes_a_manifest_through_a_link(tmp_path: Path):
    from generator.write import read_manifest, replace_files

    out = tmp_path / "_site"
    write_site(out, {"a.css": b"a"}, {})
    known = read_manifest(out)
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("mine")
    (out / ".timeline-site").unlink()
    (out / ".timeline-site").symlink_to(elsewhere)
    with pytest.raises(WriteError):
        replace_files(out, {"a.css": b"a2"}, manifest=known)
    assert elsewhere.read_text() == "mine"


def test_replace_files_refuses_a_path_through_a_link(tmp_path: Path):
    from generator.write import replace_files

    out = tmp_path / "_site"
    write_site(out, {"css/site.css": b"a"}, {})
    outside = tmp_path / "outside"
    outside.mkdir()
    (out / "linked").symlink_to(outside)
    with pytest.raises(WriteError, match="refused"):
        replace_files(out, {"linked/x.css": b"x"})
    assert list(outside.iterdir()) == []


def test_the_scan_lists_every_file_and_link_at_any_depth_and_follows_no_link(tmp_path: Path):
    from generator.write import read_live, scan_folder, write_site

    outside = tmp_path / "outside"
    (outside / "inner").mkdir(parents=True)
    (outside / "inner/secret.txt").write_text("not ours")
    out = tmp_path / "_site"
    write_site(out, {"index.html": b"home", "events/a/index.html": b"a", "events/b/deep/index.html": b"b"}, {})
    (out / "events/a/linked").symlink_to(outside, target_is_directory=True)  # a folder link: listed, not entered
    (out / "events/b/deep/page.html").symlink_to(outside / "inner/secret.txt")
    (out / "events/b/stray.html").write_text("planted")
    files, others = scan_folder(out)
    assert set(files) == {MARKER, "index.html", "events/a/index.html", "events/b/deep/index.html", "events/b/stray.html"}
    assert files["events/a/index.html"] == (out / "events/a/index.html").stat().st_ino
    assert others == ["events/a/linked", "events/b/deep/page.html"]
    assert read_live(out).strays == ["events/b/stray.html", "events/a/linked", "events/b/deep/page.html"]
    with pytest.raises(WriteError, match="did not make"):
        write_site(out, {"index.html": b"home"}, {})
    assert (outside / "inner/secret.txt").read_text() == "not ours"


def _trusted_write(out: Path, files: dict[str, bytes], prepare_after: int | None = None):
    """A write with the manifest trusted, as serve's small rebuilds do; `prepare_after` files, the spare is asked for (workers)."""
    from generator.write import SiteWriter, read_manifest

    with SiteWriter(out, trusted=read_manifest(out)) as writer:
        for number, (path, data) in enumerate(files.items()):
            if number == prepare_after:
                writer.prepare()
            writer.add(path, data)
        return writer.finish()


def test_a_trusted_write_lists_no_folder_and_replaces_the_changed_files_in_place(tmp_path: Path, monkeypatch):
    import generator.write as write

    out = tmp_path / "_site"
    write_site(out, {"index.html": b"home", "a/index.html": b"a", "gone/index.html": b"g"}, {})
    folder, untouched = out.stat().st_ino, (out / "index.html").stat().st_ino
    monkeypatch.setattr(write, "scan_folder", lambda folder: pytest.fail("a trusted write listed a folder"))
    result = _trusted_write(out, {"index.html": b"home", "a/index.html": b"changed", "new.html": b"n"})
    assert (result.written, result.kept) == (2, 1)
    assert out.stat().st_ino == folder  # written in place, not swapped
    assert (out / "index.html").stat().st_ino == untouched
    assert (out / "a/index.html").read_bytes() == b"changed" and (out / "new.html").read_bytes() == b"n"
    assert not (out / "gone").exists()
    monkeypatch.undo()
    live = write.read_live(out)
    assert live.strays == [] and live.manifest == {"index.html": write.digest(b"home"), "a/index.html": write.digest(b"changed"), "new.html": write.digest(b"n")}


def test_a_trusted_write_that_needs_the_spare_folder_lists_the_site_and_swaps_it_whole(tmp_path: Path):
    from generator.write import read_live

    out = tmp_path / "_site"
    write_site(out, {"index.html": b"home", "a.html": b"a", "b.html": b"b"}, {})
    folder = out.stat().st_ino
    result = _trusted_write(out, {"index.html": b"home2", "a.html": b"a", "c.html": b"c"}, prepare_after=1)
    assert (result.written, result.kept) == (2, 1)
    assert out.stat().st_ino != folder  # the spare, swapped in
    assert {p: (out / p).read_bytes() for p in ("index.html", "a.html", "c.html")} == {"index.html": b"home2", "a.html": b"a", "c.html": b"c"}
    assert read_live(out).strays == [] and not (out / "b.html").exists()


def test_a_trusted_write_refuses_a_folder_that_is_not_as_trusted_once_it_lists_it(tmp_path: Path):
    from generator.write import SiteWriter, read_manifest

    out = tmp_path / "_site"
    write_site(out, {"index.html": b"home", "a.html": b"a"}, {})
    trusted = read_manifest(out)
    (out / "a.html").unlink()  # changed behind the trusting process's back
    with SiteWriter(out, trusted=trusted) as writer:
        writer.add("index.html", b"home2")
        with pytest.raises(WriteError, match="changed while it was being built"):
            writer.prepare()
    assert (out / "index.html").read_bytes() == b"home"  # nothing written


@pytest.mark.parametrize("before, after", [("notes", "notes/a.txt"), ("notes/a.txt", "notes")])
def test_a_trusted_write_replaces_a_file_by_a_folder_of_its_name_and_the_other_way_round(tmp_path: Path, before: str, after: str):
    """Written in place (serve's small rebuilds, a stylesheet saved): the file that gives way goes first."""
    from generator.write import read_live, replace_files

    out = tmp_path / "_site"
    write_site(out, {"index.html": b"home", before: b"old"}, {})
    assert (_trusted_write(out, {"index.html": b"home", after: b"new"}).written, (out / after).read_bytes()) == (1, b"new")
    write_site(out, {"index.html": b"home", before: b"old"}, {})
    replace_files(out, {after: b"new"}, [before])
    live = read_live(out)
    assert (out / after).read_bytes() == b"new" and live.strays == [] and sorted(live.manifest) == sorted(["index.html", after])
