"""The `timeline` command line: parses arguments and composes the pipeline stages.

Exit codes scripts can rely on: 0 clean, 1 content errors (or warnings with
--strict), 2 usage or site.yml errors. Nothing an author can cause ends in a
Python traceback.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Sequence, TextIO

from generator import __version__
from generator.diagnostics import ERROR, WARNING, Diagnostic, format_diagnostics, summary_line
from generator.build import build_site
from generator.pipeline import CheckReport, check_site
from generator.write import WriteError

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


def main(argv: Sequence[str] | None = None) -> int:
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


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timeline", description="Check and build a chronology kept as YAML files.")
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser("check", help="check the content and report every problem")
    _site_options(check)
    check.add_argument("--format", choices=("text", "json", "github"), default="text", help="how diagnostics are printed")
    check.set_defaults(run=run_check)

    build = commands.add_parser("build", help="check the content, then write the site")
    _site_options(build)
    build.add_argument("--output", "-o", metavar="DIR", help="output folder (default: site.yml's output, or _site)")
    build.add_argument("--base-url", metavar="URL", help="absolute URL the site will live at (for feeds and the sitemap)")
    build.add_argument("--force", action="store_true", help="replace an output folder that timeline did not make")
    build.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    build.add_argument("-v", "--verbose", action="store_true", help="print every warning and more detail")
    build.set_defaults(run=run_build)
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
    report = check_site(args.site, drafts=args.drafts)
    out = sys.stdout if args.format == "json" else sys.stderr
    return report_diagnostics(report, args.strict, args.format, out)


def run_build(args: argparse.Namespace) -> int:
    overrides = {key: value for key, value in (("output", args.output), ("base_url", args.base_url)) if value is not None}
    try:
        result = build_site(args.site, drafts=args.drafts, strict=args.strict, force=args.force, overrides=overrides)
    except WriteError as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_USAGE
    report = result.report
    shown = report if not args.quiet else CheckReport(report.config, report.timeline, [d for d in report.diagnostics if d.severity == ERROR or args.strict], report.files)
    code = report_diagnostics(shown, args.strict, "text", sys.stderr) if (shown.diagnostics or not args.quiet) else EXIT_OK
    if result.written is None:
        if code == EXIT_OK:
            code = EXIT_CONTENT
        print("nothing written: the previous site, if any, is left as it was", file=sys.stderr)
        return code
    if not args.quiet:
        written = result.written
        print(
            f"built {result.pages} pages and {result.files - result.pages} other files into {written.output} "
            f"({written.written} written, {written.kept} unchanged) in {result.seconds:.2f} s",
            file=sys.stderr,
        )
    return EXIT_OK
