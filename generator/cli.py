"""The `timeline` command line: parses arguments and composes the pipeline stages.

Exit codes scripts can rely on: 0 clean, 1 content errors (or warnings with
--strict), 2 usage or site.yml errors. Nothing an author can cause ends in a
Python traceback.
"""
from __future__ import annotations

import argparse
import gc
import os
import sys
import time
from collections import Counter
from datetime import timedelta
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, NoReturn, Sequence, TextIO

from generator import __version__
from generator.diagnostics import ERROR, WARNING, Diagnostic, did_you_mean, format_diagnostics, printable, summary_line
from generator.kinds import ACTOR_KINDS, PLACE_KINDS
from generator.record import CACHE_DIR, Inputs, code_version, read_head, read_inputs, unchanged_build
from generator.write import manifest_digest

if TYPE_CHECKING:
    from generator.pipeline import CheckReport

# The other stages are imported by the commands that use them: a build that finds
# nothing changed since the last one loads none of them.

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
    # A build makes hundreds of thousands of small objects that live to its end;
    # the default collector thresholds would scan them again and again (measured:
    # 40% of a 10,000-event check). Collect far less often.
    gc.set_threshold(200_000, 20, 100)
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return args.run(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


def run() -> NoReturn:
    """The command line as a process (`timeline`, `python -m generator`): `main`, then an exit
    that skips freeing the heap object by object (a build's millions of objects took about
    0.9 s of a 10,000-event edit build to tear down). Every file is closed by then."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`timeline check | head`) or stream
            pass
    os._exit(code)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timeline", description="Check and build a chronology kept as YAML files.")
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check the content and report every problem")
    _site_options(check)
    check.add_argument("--format", choices=("text", "json", "github"), default="text", help="how diagnostics are printed")
    check.add_argument("--links", action="store_true", help="also check that every source URL still answers (results are kept a day)")
    check.add_argument("--links-max-age", type=float, default=24.0, metavar="HOURS", help="ask again for URLs checked longer ago than this (default 24)")
    check.add_argument("--timeout", type=float, default=15.0, metavar="SECONDS", help="--links: give up on a URL after this long (default 15)")
    check.set_defaults(run=run_check)

    archive = commands.add_parser("archive", help="keep a hashed web archive (WARC) of each source's page under archive/")
    archive.add_argument("--site", type=Path, default=Path("."), metavar="DIR", help="the site's folder (default: here)")
    archive.add_argument("--refresh", action="store_true", help="capture every source again, not only those without a capture")
    archive.add_argument("--source", action="append", dest="sources", default=[], metavar="ID", help="only this source (repeatable)")
    archive.add_argument("--timeout", type=float, default=30.0, metavar="SECONDS", help="give up on a page after this long (default 30)")
    archive.add_argument("--max-bytes", type=int, default=50 * 1024 * 1024, metavar="N", help="archive at most this much of a page (default 50 MiB)")
    archive.add_argument("--public-archive", default="", metavar="URL", help="also ask this public web archive to capture each page, e.g. https://web.archive.org/save/{url}")
    archive.set_defaults(run=run_archive)

    build = commands.add_parser("build", help="check the content, then write the site")
    _site_options(build)
    build.add_argument("--output", "-o", metavar="DIR", help="output folder (default: site.yml's output, or _site)")
    build.add_argument("--base-url", metavar="URL", help="absolute URL the site will live at (for feeds and the sitemap)")
    build.add_argument("--force", action="store_true", help="build in full even if no input changed (a folder holding files timeline did not make is still never replaced)")
    build.add_argument("--no-search", dest="search", action="store_false", help="do not make the search index again (keeps the last one)")
    build.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    build.add_argument("-v", "--verbose", action="store_true", help="print every warning and more detail")
    build.set_defaults(run=run_build)

    serve = commands.add_parser("serve", help="build, serve on loopback, rebuild and reload on change (for authoring only)")
    serve.add_argument("--site", type=Path, default=Path("."), metavar="DIR", help="the site's folder (default: here)")
    serve.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    serve.add_argument("--bind", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    serve.add_argument("--drafts", action="store_true", help="include events marked draft: true")
    serve.set_defaults(run=run_serve)

    new = commands.add_parser("new", help="write a new event, actor, source, place or tag file with every field")
    kinds = new.add_subparsers(dest="kind", metavar="KIND", required=True)
    event = _new_kind(kinds, "event", "the event's title", "write a new event file (in content/events/YEAR/)")
    event.add_argument("--date", help="when it happened (2018-05-24, 24 May 2018, 2018-05, ...)")
    event.add_argument("--actor", action="append", dest="actors", default=[], metavar="ACTOR", help="an actor's id, name or alias (repeatable)")
    event.add_argument("--source", action="append", dest="sources", default=[], metavar="ID", help="a source's id (repeatable)")
    event.add_argument("--tag", action="append", dest="tags", default=[], metavar="TAG", help="a tag (repeatable)")
    event.add_argument("--location", help="where it happened")
    actor = _new_kind(kinds, "actor", "the actor's name", "write a new actor file (in content/actors/)")
    actor.add_argument("--kind", dest="actor_kind", metavar="KIND", help=f"one of {', '.join(ACTOR_KINDS)}")
    actor.add_argument("--alias", action="append", dest="aliases", default=[], metavar="NAME", help="another spelling (repeatable)")
    source = _new_kind(kinds, "source", "the article's or document's title", "write a new source file (in content/sources/)")
    source.add_argument("--publisher", help="who published it")
    source.add_argument("--published", help="when it was published")
    source.add_argument("--url", help="where to read it (http or https)")
    place = _new_kind(kinds, "place", "the place's name", "write a new place file (in content/places/), its coordinates proposed from an offline gazetteer")
    place.add_argument("--kind", dest="actor_kind", metavar="KIND", help=f"one of {', '.join(PLACE_KINDS)} (default: the gazetteer's)")
    place.add_argument("--alias", action="append", dest="aliases", default=[], metavar="NAME", help="another spelling (repeatable)")
    tag = _new_kind(kinds, "tag", "the tag's name", "write a new tag file (in content/tags/): a name and description for a tag")
    tag.add_argument("--alias", action="append", dest="aliases", default=[], metavar="WORDS", help="other words events use for it (repeatable)")

    init = commands.add_parser("init", help="make a new, empty timeline site")
    init.add_argument("folder", type=Path, help="where to make it (absent or empty)")
    init.add_argument("--title", help="the site's title")
    init.set_defaults(run=run_init)

    extract = commands.add_parser("extract", help="draft events from a plain-text article")
    extract.add_argument("article", type=Path, help="the article, as a UTF-8 text file")
    extract.add_argument("--published", help="the article's publication date (otherwise looked for in the text)")
    extract.add_argument("--source-id", help="the id of the source file to write (default: from the title)")
    extract.add_argument("--site", type=Path, default=Path("."), metavar="DIR", help="the site's folder (default: here)")
    extract.add_argument("--dry-run", action="store_true", help="report what would be drafted, write nothing")
    extract.set_defaults(run=run_extract)
    _import_parser(commands)
    return parser


def _import_parser(commands: Any) -> None:
    """`timeline import FORMAT FILE`: its help says what is carried over and how a re-run behaves."""
    description = (
        "Write content files from a chronology kept elsewhere. Run it again on a newer file: the files it made "
        "and nobody changed are updated, new rows added, rows gone are reported; a file changed since is never "
        "overwritten (the new version goes beside it as NAME.yml.incoming). What it wrote is kept in "
        "import-manifest.json. Bad rows are reported as FILE:ROW:COLUMN and skipped; exit 1 when any was."
    )
    importer = commands.add_parser("import", help="import a TimelineJS sheet, ACLED or UCDP data as content files", description=description)
    formats = importer.add_subparsers(dest="format", metavar="FORMAT", required=True)
    sheet = formats.add_parser(
        "timelinejs", help="a TimelineJS sheet (CSV or XLSX) or TimelineJS JSON",
        description="Import a TimelineJS sheet (CSV or XLSX, the template's columns) or TimelineJS JSON. " + description,
    )
    sheet.add_argument("--groups", choices=("tags", "actors"), default="tags", help="what the Group column becomes (default: tags)")
    sheet.add_argument("--actor", action="append", dest="actors", default=[], metavar="NAME", help="an actor given to every event (repeatable; TimelineJS has none, and every event needs one)")
    conflict = formats.add_parser(
        "acled", help="an ACLED export (CSV or XLSX, ACLED's column layout)",
        description="Import an ACLED export (event_id_cnty, event_date, time_precision, actor1, ...). " + description,
    )
    ged = formats.add_parser(
        "ucdp", help="a UCDP GED export (CSV or XLSX, the Georeferenced Event Dataset's columns)",
        description="Import UCDP's Georeferenced Event Dataset (id, date_start, date_end, date_prec, side_a, side_b, ...). " + description,
    )
    for parser in (sheet, conflict, ged):
        parser.add_argument("file", type=Path, metavar="FILE", help="the file to import")
        parser.add_argument("--site", type=Path, default=Path("."), metavar="DIR", help="the site's folder (default: here)")
        parser.add_argument("--dry-run", action="store_true", help="print what would change, write nothing")
        parser.set_defaults(run=run_import)


def _new_kind(kinds: Any, kind: str, title_help: str, description: str) -> argparse.ArgumentParser:
    """`timeline new KIND`: its own options only, so `new KIND --help` shows just them."""
    parser = kinds.add_parser(kind, help=description, description=description[0].upper() + description[1:] + ".")
    parser.add_argument("title", help=title_help)
    parser.add_argument("--site", type=Path, default=Path("."), metavar="DIR", help="the site's folder (default: here)")
    parser.add_argument("--id", dest="item_id", metavar="ID", help="the file's name and the item's id (default: made from the title)")
    parser.set_defaults(run=run_new)
    return parser


def _site_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--site", type=Path, default=Path("."), metavar="DIR", help="the site's folder (default: here)")
    command.add_argument("--strict", action="store_true", help="treat warnings as errors")
    command.add_argument("--drafts", action="store_true", help="include events marked draft: true")


def report_diagnostics(report: CheckReport, strict: bool, style: str = "text", out: TextIO | None = None) -> int:
    """Print the diagnostics and a summary line; return the exit code they call for."""
    out = out or sys.stderr
    diagnostics = _strict(report.diagnostics) if strict else report.diagnostics
    if diagnostics or style == "json":
        print(format_diagnostics(diagnostics, style), file=out)
    if style == "text":
        print(summary_line(diagnostics, report.files), file=out)
    if report.config_failed:
        return EXIT_USAGE
    return EXIT_CONTENT if any(d.severity == ERROR for d in diagnostics) else EXIT_OK


def _strict(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return [
        Diagnostic(ERROR, d.message + " [--strict]", d.path, d.line, d.column) if d.severity == WARNING else d
        for d in diagnostics
    ]


def run_check(args: argparse.Namespace) -> int:
    from generator.model import build_timeline
    from generator.pipeline import check_site
    from generator.render import Renderer
    from generator.template_errors import template_diagnostics

    report = check_site(args.site, drafts=args.drafts)
    if report.config is not None and (args.site / "templates").is_dir():  # the site's own templates too
        renderer = Renderer(report.timeline or build_timeline(report.config, (), {}, {}), args.site)
        problems = template_diagnostics(renderer.env, args.site)
        report = replace(report, timeline=None if problems else report.timeline, diagnostics=[*report.diagnostics, *problems])
    if args.links:
        report = _with_link_checks(report, args)
    out = sys.stdout if args.format == "json" else sys.stderr
    return report_diagnostics(report, args.strict, args.format, out)


def _with_link_checks(report: CheckReport, args: argparse.Namespace) -> CheckReport:
    """The report with what `--links` found at every source URL (only once the content has no error)."""
    from generator.fetch import Limits, now_utc
    from generator.links import check_links

    if report.timeline is None:
        print("links not checked: fix the errors first", file=sys.stderr)
        return report
    limits = Limits(seconds=args.timeout, max_bytes=0)
    found = check_links(args.site, report.timeline.sources.values(), now_utc, limits, timedelta(hours=args.links_max_age))
    counts = Counter(state.state for state in found.states.values())
    print(f"links: {counts['ok']} ok, {counts['moved']} moved, {counts['dead']} dead ({found.asked} asked now, the others checked recently)", file=sys.stderr)
    return replace(report, diagnostics=[*report.diagnostics, *found.diagnostics])


def run_archive(args: argparse.Namespace) -> int:
    from generator.archive import ArchiveOptions, archive_sources
    from generator.captures import LOCK_FILE, RecordError
    from generator.fetch import Limits
    from generator.check import check_site_config
    from generator.pipeline import checked_items

    config, problems = check_site_config(args.site)
    if config is None:
        print(format_diagnostics(problems, "text"), file=sys.stderr)
        return EXIT_USAGE
    sources = sorted(checked_items(args.site, config).sources.values(), key=lambda source: source.id)
    unknown = sorted(set(args.sources) - {source.id for source in sources})
    if unknown:
        print(f'error: no source "{unknown[0]}"{did_you_mean(unknown[0], [s.id for s in sources])}', file=sys.stderr)
        return EXIT_USAGE
    chosen = [source for source in sources if not args.sources or source.id in args.sources]
    options = ArchiveOptions(Limits(seconds=args.timeout, max_bytes=args.max_bytes), args.refresh, args.public_archive)
    try:
        outcomes = archive_sources(args.site, chosen, options, sys.stderr)
    except RecordError as err:
        where = f"{LOCK_FILE}:{err.line}:{err.column or 1}" if err.line else LOCK_FILE
        print(f"{where}: error: {err}; nothing was fetched, so no capture it records is lost", file=sys.stderr)
        return EXIT_USAGE
    failed = sum(outcome.failed for outcome in outcomes)
    print(f"archived {len(outcomes) - failed} sources, {failed} failed; the others already have a capture of their URL", file=sys.stderr)
    return EXIT_CONTENT if failed else EXIT_OK


def run_build(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    overrides = {key: value for key, value in (("output", args.output), ("base_url", args.base_url)) if value is not None}
    inputs = read_inputs(args.site, code_version({"drafts": args.drafts, "overrides": overrides}), args.search)
    if not args.force and _told_unchanged(args, inputs, started):
        return EXIT_OK
    from generator.build import build_site
    from generator.pipeline import CheckReport
    from generator.template_errors import TemplateFailure
    from generator.write import WriteError

    try:
        result = build_site(
            args.site, drafts=args.drafts, strict=args.strict, force=args.force, overrides=overrides, search=args.search, inputs=inputs,
        )
    except WriteError as err:
        print(f"error: {printable(str(err))}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as err:  # a disk or permission problem outside the output (the cache, say)
        print(f"error: {printable(str(err.filename or 'the build'))}: {err.strerror or err}", file=sys.stderr)
        return EXIT_USAGE
    except TemplateFailure as failure:
        for problem in failure.problems:
            print(f"error: {problem}", file=sys.stderr)
        print("nothing written: the previous site, if any, is left as it was", file=sys.stderr)
        return EXIT_CONTENT
    report = result.report
    shown = report if not args.quiet else CheckReport(report.config, report.timeline, [d for d in report.diagnostics if d.severity == ERROR or args.strict], report.files)
    code = report_diagnostics(shown, args.strict, "text", sys.stderr) if (shown.diagnostics or not args.quiet) else EXIT_OK
    if result.written is None:
        if code == EXIT_OK:
            code = EXIT_CONTENT
        print("nothing written: the previous site, if any, is left as it was", file=sys.stderr)
        return code
    for note in result.notes:
        print(f"note: {note}", file=sys.stderr)
    if args.verbose:
        print(f"{result.rendered} pages and exports made afresh, the others unchanged since the last build", file=sys.stderr)
    if not args.quiet:
        written = result.written
        _print_built(result.pages, result.files, written.output, written.written, result.seconds)
    return EXIT_OK


def _told_unchanged(args: argparse.Namespace, inputs: Inputs, started: float) -> bool:
    """When no input changed since the last build and it reported no problem, say so (as a build would) and return True."""
    last = unchanged_build(read_head(args.site / CACHE_DIR), inputs.digest)
    if last is None or last.manifest != manifest_digest(last.output):
        return False
    if args.strict and last.diagnostics:
        return False  # warnings that now fail the build: the build says so
    if not args.quiet:  # the last build's warnings again, as it printed them (a build with errors is not recorded)
        if last.diagnostics:
            print(format_diagnostics(last.diagnostics, "text"), file=sys.stderr)
        print(summary_line(last.diagnostics, last.checked), file=sys.stderr)
    if args.verbose:
        print("0 pages and exports made afresh, the others unchanged since the last build", file=sys.stderr)
    if not args.quiet:
        _print_built(last.pages, last.files, last.output, 0, time.perf_counter() - started)
    return True


def _print_built(pages: int, files: int, output: Path, written: int, seconds: float) -> None:
    print(
        f"built {pages} pages and {files - pages} other files into {output} ({written} written, {files - written} unchanged) in {seconds:.2f} s",
        file=sys.stderr,
    )


def run_new(args: argparse.Namespace) -> int:
    from generator.scaffold import new_item, place_proposal

    fields = {
        "event": ("date", "actors", "sources", "tags", "location"),
        "actor": ("actor_kind", "aliases"),
        "source": ("publisher", "published", "url"),
        "place": ("actor_kind", "aliases"),
        "tag": ("aliases",),
    }[args.kind]
    options = {("kind" if name == "actor_kind" else name): getattr(args, name) for name in fields}
    note = ""
    if args.kind == "place":
        proposed, note = place_proposal(args.site, args.title)
        aliases = [*options["aliases"], *(a for a in proposed.pop("aliases", ()) if a not in options["aliases"])]
        options = {**proposed, **{k: v for k, v in options.items() if v}, "aliases": aliases}
    return _scaffold(
        lambda: new_item(args.site, args.kind, args.title, options, args.item_id),
        lambda path: f"wrote {path}{'; ' + note if note else ''}; fill in its empty fields, then run `timeline check`",
    )


def run_init(args: argparse.Namespace) -> int:
    from generator.scaffold import init_site

    return _scaffold(
        lambda: init_site(args.folder, args.title),
        lambda written: f"made a new site in {args.folder} ({len(written)} files); next: cd {args.folder} && timeline build",
    )


def _scaffold(make: Callable[[], Any], done: Callable[[Any], str]) -> int:
    """Run a command that writes new files; a refusal is a usage error, not a traceback."""
    from generator.scaffold import ScaffoldError

    try:
        made = make()
    except ScaffoldError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    print(done(made), file=sys.stderr)
    return EXIT_OK


def run_extract(args: argparse.Namespace) -> int:
    from generator.extract import run_extract as extract

    return extract(args.article, site_root=args.site, published=args.published, source_id=args.source_id, out=sys.stdout, dry_run=args.dry_run)


def run_import(args: argparse.Namespace) -> int:
    from generator.importers import Request, UsageError, run_import as import_file

    request = Request(args.format, args.file, args.site, args.dry_run, getattr(args, "groups", "tags"), tuple(getattr(args, "actors", ())))
    try:
        complete = import_file(request, sys.stdout if args.dry_run else sys.stderr)
    except UsageError as err:
        print(f"error: {printable(str(err))}" if "\n" not in str(err) else str(err), file=sys.stderr)
        return EXIT_USAGE
    except OSError as err:
        print(f"error: {printable(str(err.filename or args.site))}: {err.strerror or err}", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK if complete else EXIT_CONTENT


def run_serve(args: argparse.Namespace) -> int:
    from generator.serve import serve

    try:
        return serve(args.site, args.port, args.bind, args.drafts)
    except OSError as err:
        print(f"error: cannot serve on {args.bind}:{args.port}: {err.strerror}", file=sys.stderr)
        return EXIT_USAGE
