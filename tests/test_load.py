"""Loading YAML: positions, refusals and the limits that keep loading safe."""
from pathlib import Path

from generator.load import MAX_DEPTH, content_files, find_content, load_file, parse_text

from conftest import write_files


def only_error(diagnostics):
    assert len(diagnostics) == 1, diagnostics
    assert diagnostics[0].severity == "error"
    return diagnostics[0]


def test_positions_of_keys_and_values():
    document, diagnostics = parse_text("title: A\nactors:\n  - one\n  - two\n", "e.yml")
    assert diagnostics == []
    assert document.data == {"title": "A", "actors": ["one", "two"]}
    assert document.where(("actors",)).line == 2
    assert (document.where(("actors", 1)).line, document.where(("actors", 1)).column) == (4, 5)
    assert document.where(("missing", "deeper")).line == 1


def test_timestamps_stay_as_written_text_and_booleans_are_booleans():
    document, _ = parse_text("date: 2017-05-29\nflag: yes\nn: 2017\n", "e.yml")
    assert document.data == {"date": "2017-05-29", "flag": True, "n": 2017}


def test_duplicate_key_is_reported_with_both_lines():
    document, diagnostics = parse_text("title: A\ndate: 2017\ntitle: B\n", "e.yml")
    error = only_error(diagnostics)
    assert (error.line, error.column) == (3, 1)
    assert 'duplicate key "title"' in error.message and "line 1" in error.message
    assert document.data["title"] == "A"


def test_syntax_error_names_its_line():
    document, diagnostics = parse_text("title: A\nbad: [\n", "e.yml")
    assert document is None
    error = only_error(diagnostics)
    assert error.line == 3 and "YAML syntax error" in error.message


def test_a_colon_in_an_unquoted_value_asks_for_quotes_and_shows_the_line():
    _, diagnostics = parse_text('date: 2011\ntitle: NISA: level 7  # rated\n', "e.yml")
    error = only_error(diagnostics)
    assert (error.line, error.column) == (2, 12)
    assert 'put the value in quotes, as in title: "NISA: level 7"  # rated' in error.message


def test_a_colon_in_a_value_with_double_quotes_is_quoted_with_single_ones():
    _, diagnostics = parse_text('title: The "red line": drawn\n', "e.yml")
    assert "title: 'The \"red line\": drawn'" in only_error(diagnostics).message


def test_a_line_indented_more_than_its_siblings():
    _, diagnostics = parse_text("title: A\ndate: 2017\n   summary: s\n", "e.yml")
    error = only_error(diagnostics)
    assert (error.line, error.column) == (3, 4)
    assert 'indented more than "date:" on line 2' in error.message and 'should read "summary: s"' in error.message


def test_a_line_indented_less_than_its_siblings():
    _, diagnostics = parse_text("quotes:\n  - by: x\n    text: y\n   source: z\n", "e.yml")
    error = only_error(diagnostics)
    assert (error.line, error.column) == (4, 4)
    assert 'indented less than "text:" on line 3' in error.message and 'should read "    source: z"' in error.message


def test_a_list_item_indented_less_than_the_one_above():
    error = only_error(parse_text("actors:\n  - a\n - b\ntitle: x\n", "e.yml")[1])
    assert (error.line, error.column) == (3, 2)
    assert "list item is indented less than the one on line 2" in error.message and 'should read "  - b"' in error.message


def test_a_key_after_a_block_of_text_is_compared_with_the_keys_not_the_text():
    error = only_error(parse_text("summary: |\n  text\n more: x\n", "e.yml")[1])
    assert 'than "summary:" on line 1' in error.message and 'should read "more: x"' in error.message


def test_a_tab_in_the_indentation():
    for text in ("title: x\n\tdate: 2017\n", "quotes:\n\t- by: x\n"):
        error = only_error(parse_text(text, "e.yml")[1])
        assert (error.line, error.column) == (2, 1) and "YAML indents with spaces only" in error.message


def test_text_after_a_closing_quote():
    error = only_error(parse_text('title: "abc" def\n', "e.yml")[1])
    assert (error.line, error.column) == (1, 14) and "after the closing quote" in error.message


def test_list_or_scalar_file_is_refused():
    for text, kind in (("- a\n- b\n", "a list"), ("just words\n", "a single value")):
        document, diagnostics = parse_text(text, "e.yml")
        assert document is None
        assert kind in only_error(diagnostics).message


def test_python_and_custom_tags_are_refused():
    for text in ("x: !!python/object/apply:os.system [ls]\n", "x: !custom 3\n", "x: !!binary aGk=\n"):
        document, diagnostics = parse_text(text, "e.yml")
        assert document is None
        assert "is not allowed" in only_error(diagnostics).message


def test_alias_bomb_is_bounded():
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, 10):
        prev = f"*a{level - 1}"
        lines.append(f"a{level}: &a{level} [{', '.join([prev] * 10)}]")
    document, diagnostics = parse_text("\n".join(lines) + "\n", "bomb.yml")
    assert document is None
    assert "too many values" in only_error(diagnostics).message


def test_nesting_deep_enough_to_crash_libyaml_is_refused_before_parsing():
    text = "x: " + "[" * 200_000 + "]" * 200_000 + "\n"  # segfaulted the C parser before the guard
    document, diagnostics = parse_text(text, "deep.yml")
    assert document is None and "nested too deeply" in only_error(diagnostics).message
    quoted = "x: '" + "[" * 500 + "'\n# " + "{" * 500 + "\n"
    assert parse_text(quoted, "fine.yml")[1] == []


def test_deep_nesting_is_refused():
    text = "x: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n"
    document, diagnostics = parse_text(text, "deep.yml")
    assert document is None
    assert "nested" in only_error(diagnostics).message


def test_empty_file_and_comment_only_file(tmp_path: Path):
    for body in ("", "\n\n", "# only a comment\n"):
        path = tmp_path / "e.yml"
        path.write_text(body)
        document, diagnostics = load_file(path, "e.yml")
        assert document is None and "empty file" in only_error(diagnostics).message


def test_bytes_that_are_not_utf8_name_line_and_column(tmp_path: Path):
    path = tmp_path / "e.yml"
    path.write_bytes(b"title: ok\nlocation: caf\xe9\n")
    document, diagnostics = load_file(path, "e.yml")
    error = only_error(diagnostics)
    assert document is None and "not UTF-8" in error.message
    assert (error.line, error.column) == (2, 14)


def test_utf8_bom_is_accepted(tmp_path: Path):
    path = tmp_path / "e.yml"
    path.write_bytes("\ufefftitle: Café\n".encode("utf-8"))
    document, diagnostics = load_file(path, "e.yml")
    assert diagnostics == [] and document.data == {"title": "Café"}


def test_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path):
    path = tmp_path / "big.yml"
    path.write_text("title: x\n" + "# padding\n" * 200)
    document, diagnostics = load_file(path, "big.yml", max_bytes=100)
    assert document is None and "over the limit" in only_error(diagnostics).message


def test_content_files_sorted_and_kinds(tmp_path: Path):
    write_files(tmp_path, {
        "content/events/2018/b.yml": "x: 1\n", "content/events/a.yaml": "x: 1\n",
        "content/actors/p.yml": "x: 1\n", "content/actors/deep/q.yml": "x: 1\n",
        "content/notes.yml": "x: 1\n", "content/events/readme.md": "no",
    })
    (tmp_path / "content/events/2018/c.yml").symlink_to(tmp_path / "content/events/2018/b.yml")
    (tmp_path / "content/linked").symlink_to(tmp_path / "content/events")  # a linked folder is not entered
    found = [(kind, Path(path).relative_to(tmp_path / "content").as_posix(), linked) for kind, path, linked in content_files(tmp_path)]
    assert found == [
        ("", "notes.yml", False), ("actors", "actors/p.yml", False), ("", "actors/deep/q.yml", False),
        ("events", "events/a.yaml", False), ("events", "events/2018/b.yml", False), ("events", "events/2018/c.yml", True),
    ]


def test_symlink_outside_the_site_is_refused(tmp_path: Path):
    outside = tmp_path / "secret.yml"
    outside.write_text("title: secret\n")
    site = tmp_path / "site"
    (site / "content" / "events").mkdir(parents=True)
    (site / "content" / "events" / "link.yml").symlink_to(outside)
    files, diagnostics = find_content(site)
    assert files == []
    assert "outside the site" in only_error(diagnostics).message
