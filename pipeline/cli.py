"""peerdata: benchmarking marts and council profiles from the DfE LAIT release.

Without uv on PATH, run it as `.tools/bin/uv run peerdata ...` (make sync installs uv there).
Settings come from environment variables (PEERDATA_SOURCE, PEERDATA_HOME, PEERDATA_PDFS, ...:
see the README).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from datetime import date
from pathlib import Path

from base.settings import NO_INSPECTIONS, Paths, ReleaseFiles, inspections_from_env, pdfs_wanted, source_from_env


INSTANCE_TEMPLATE = Path(__file__).resolve().parent / "dagster.yaml"


def ensure_dagster_home(paths: Paths) -> Path:
    """Use ``DAGSTER_HOME`` if set, else ``<home>/.dagster_home`` so runs show in ``dagster dev``.

    A new instance folder gets ``pipeline/dagster.yaml`` (the one-writer pool limit).
    """
    home = Path(os.environ.setdefault("DAGSTER_HOME", str(paths.home / ".dagster_home")))
    home.mkdir(parents=True, exist_ok=True)
    if not (home / "dagster.yaml").exists():
        shutil.copy(INSTANCE_TEMPLATE, home / "dagster.yaml")
    return home


def cmd_fetch(_: argparse.Namespace) -> int:
    from assets.raw.inspection_landing import land_inspections
    from assets.raw.landing import LandingError, land_release

    paths = Paths.from_env()
    inspections = inspections_from_env()
    try:
        landed = [("release", land_release(source_from_env(), paths.raw_dir, ReleaseFiles.from_env()))]
        if inspections != NO_INSPECTIONS:
            landed.append(("inspections", land_inspections(inspections, paths.raw_dir)))
    except LandingError as exc:
        print(f"peerdata fetch failed: {exc}", file=sys.stderr)
        return 1
    for what, release in landed:
        state = "landed" if release.newly_landed else "unchanged since the last landing, not landed again"
        print(f"{what} {release.release_id} {state}: {release.path}")
    return 0


def cmd_materialize(args: argparse.Namespace) -> int:
    ensure_dagster_home(Paths.from_env())
    from pipeline.materialize import materialize_all  # loads the definitions: after DAGSTER_HOME is set

    if args.no_pdf:  # for this run's steps too: pages then link no PDF and no pack is printed
        os.environ["PEERDATA_PDFS"] = "off"
    return materialize_all(args.select, args.force, pdf=pdfs_wanted(), appendix=args.pdf_tables)


def cmd_worker(args: argparse.Namespace) -> int:
    """A Celery worker that runs the steps of runs started with ``PEERDATA_EXECUTOR=celery``."""
    ensure_dagster_home(Paths.from_env())
    os.environ.setdefault("PEERDATA_EXECUTOR", "celery")  # the definitions a worker loads are the runs' own
    from pipeline.executor import BrokerUnreachable, ExecutorSettingError, celery_app, check_broker

    try:
        check_broker()
    except (BrokerUnreachable, ExecutorSettingError) as exc:
        print(f"peerdata worker: {exc}", file=sys.stderr)
        return 1
    import pipeline.definitions  # noqa: F401  loaded once here: a broken project fails now, and the pool starts warm

    celery_app().worker_main(["worker", "--loglevel", args.loglevel, "--concurrency", str(args.concurrency),
                              "--hostname", f"{args.name}@%h", "--prefetch-multiplier", "1", "--without-gossip",
                              "--without-mingle"])
    return 0


def cmd_profile(args: argparse.Namespace) -> int:
    from base.councils import CouncilNotFound
    from base.site import SiteLagsWarehouse
    from pipeline.export import build_profile

    try:
        print(build_profile(args.council))
    except (CouncilNotFound, SiteLagsWarehouse) as exc:
        print(f"peerdata profile: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from base.councils import CouncilNotFound
    from pipeline.export import export_council
    from pipeline.export_region import export_regions, is_region

    if bool(args.council) == args.all:
        print("peerdata export: name one council or region, or --all (every region)", file=sys.stderr)
        return 2
    try:
        if args.all or is_region(args.council):
            for path in export_regions(None if args.all else [args.council], Path(args.out)):
                print(path)
        else:
            print(export_council(args.council, args.format, Path(args.out)))
    except CouncilNotFound as exc:
        print(f"peerdata export: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_self_evaluation_template(args: argparse.Namespace) -> int:
    from base.councils import CouncilNotFound
    from pipeline.self_evaluation_template import write_templates

    if bool(args.council) == args.all:
        print("peerdata self-evaluation template: name one council, or --all", file=sys.stderr)
        return 2
    try:
        for path in write_templates(None if args.all else [args.council], Path(args.out)):
            print(path)
    except CouncilNotFound as exc:
        print(f"peerdata self-evaluation template: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_peer_groups_suggest(args: argparse.Namespace) -> int:
    from pipeline.peer_group_suggest import SuggestError, suggest_command
    from base.warehouse import WarehouseFile

    try:
        with WarehouseFile.from_env().connect(read_only=True) as con:
            print(suggest_command(con, args.region, args.mix), end="")
    except SuggestError as exc:
        print(f"peerdata peer-groups suggest: {exc}", file=sys.stderr)
        return 1
    return 0


def cmd_status(_: argparse.Namespace) -> int:
    from pipeline.status import print_status

    paths = Paths.from_env()
    ensure_dagster_home(paths)
    return print_status(paths)


def cmd_early_warning(args: argparse.Namespace) -> int:
    from base.councils import CouncilNotFound
    from pipeline.early_warning import early_warning_command

    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    except ValueError:
        print(f"peerdata early-warning: --as-of {args.as_of!r} is not a date (write it as 2023-03-31)", file=sys.stderr)
        return 2
    try:
        return early_warning_command(as_of, args.council, args.top, args.csv)
    except CouncilNotFound as exc:
        print(f"peerdata early-warning: {exc}", file=sys.stderr)
        return 1


def cmd_validate_local(args: argparse.Namespace) -> int:
    from pipeline.validate_local import validate_local_command

    return validate_local_command(Path(args.file), Path(args.metadata) if args.metadata else None)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="peerdata", description=__doc__,
                                     formatter_class=lambda prog: argparse.RawDescriptionHelpFormatter(prog, max_help_position=24, width=110))
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", title="commands")
    commands.add_parser("fetch", help="land the configured release (PEERDATA_SOURCE) under data/raw").set_defaults(run=cmd_fetch)
    materialize = commands.add_parser("materialize", help="build what is stale (warehouse, marts, profiles) with every check, in this process")
    materialize.add_argument("--select", help="asset selection, e.g. 'key:core/*' or 'raw/lait_release' (default: everything)")
    materialize.add_argument(
        "--force", action="store_true", help="rebuild even when the release is unchanged and already published"
    )
    materialize.add_argument("--no-pdf", action="store_true",
                             help="build the HTML profiles but not the PDFs (also: PEERDATA_PDFS=off)")
    materialize.add_argument("--pdf-tables", action="store_true",
                             help="also print each council's full tables edition beside its pre-visit pack")
    materialize.set_defaults(run=cmd_materialize)
    worker = commands.add_parser("worker", help="run the steps of Celery runs (PEERDATA_EXECUTOR=celery) on this machine")
    worker.add_argument("--name", default="peerdata", help="the worker's name, before @host (default: peerdata)")
    worker.add_argument("--concurrency", type=int, default=1, help="steps at once (default 1: one per worker process)")
    worker.add_argument("--loglevel", default="INFO", help="Celery's log level (default INFO)")
    worker.set_defaults(run=cmd_worker)
    profile = commands.add_parser("profile", help="build one council's HTML profile and print its path")
    profile.add_argument("council", help="name or LA code, e.g. 'Windsor & Maidenhead' or 868")
    profile.set_defaults(run=cmd_profile)
    export = commands.add_parser("export", help="one council's mart rows, neighbours and definitions; or a region's marts")
    export.add_argument("council", nargs="?", help="name or LA code, e.g. 'Windsor & Maidenhead' or 868; or a region, "
                        "e.g. 'South East': every mart's rows for its councils, with release_id, as CSV files and a workbook")
    export.add_argument("--all", action="store_true", help="every region's pack")
    export.add_argument("--format", choices=["xlsx", "csv", "parquet"], default="xlsx",
                        help="xlsx: one workbook with a sheet per table (default); csv or parquet: a folder with a file per table")
    export.add_argument("--out", default=".", help="output folder (default: the current folder)")
    export.set_defaults(run=cmd_export)
    self_evaluation = commands.add_parser("self-evaluation", help="the councils' self-evaluation framework")
    self_evaluation_commands = self_evaluation.add_subparsers(dest="self_evaluation_command", required=True, metavar="COMMAND")
    template = self_evaluation_commands.add_parser(
        "template", help="write a council's self-evaluation framework (.docx): what the data say, prompts, the 'Our view' table")
    template.add_argument("council", nargs="?", help="name or LA code, e.g. 'Windsor & Maidenhead' or 868")
    template.add_argument("--all", action="store_true", help="every current council")
    template.add_argument("--out", default=".", help="output folder (default: the current folder)")
    template.set_defaults(run=cmd_self_evaluation_template)
    peer_groups = commands.add_parser("peer-groups", help="peer groups of councils (pipeline/peer_groups.yaml)")
    peer_group_commands = peer_groups.add_subparsers(dest="peer_groups_command", required=True, metavar="COMMAND")
    suggest = peer_group_commands.add_parser(
        "suggest", help="propose triads and quartets for a region, explained, as YAML to review and commit")
    suggest.add_argument("--region", required=True, help="the region, e.g. 'North West'")
    suggest.add_argument("--mix", choices=["judgement", "type", "similar"], default="judgement",
                         help="judgement: mixed Ofsted judgements (default); type: mixed types of council; "
                         "similar: councils of the same type together")
    suggest.set_defaults(run=cmd_peer_groups_suggest)
    commands.add_parser("status", help="the release loaded, row counts, and the latest failed checks and warnings").set_defaults(run=cmd_status)
    warning = commands.add_parser("early-warning", help="every council's first-iteration early-warning score as of a date (not the pages' "
                                   "registered inspection-risk signal)")
    warning.add_argument("--as-of", help="the date (YYYY-MM-DD): only figures published by then count (default: today)")
    warning.add_argument("--council", help="one council, by name or LA code")
    warning.add_argument("--top", type=int, default=20, help="how many councils to show (default 20)")
    warning.add_argument("--csv", action="store_true", help="every council, as CSV on standard output")
    warning.set_defaults(run=cmd_early_warning)
    validate = commands.add_parser(
        "validate-local", help="check a local indicator file and its metadata; loads nothing"
    )
    validate.add_argument("file", help="the data file: columns council, indicator, period, value")
    validate.add_argument("--metadata", help="the indicator metadata file (without it only the data rows are checked)")
    validate.set_defaults(run=cmd_validate_local)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
