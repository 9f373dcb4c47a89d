"""Materialize the profile assets in process, partitions included (for the CLI and the tests).

``dg.materialize`` runs one partition set per run and refuses to mix partitioned and
unpartitioned assets without a partition key, so everything is done in two runs: every council
(one single run over the whole partition range: the marts are read once, one browser prints
every PDF), then the overviews and their checks.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import dagster as dg

from assets.profiles.assets import PROFILE_CHECKS, council_page, council_pdf, overviews, pages_show_warehouse_release
from assets.profiles.partitions import WHOLE_SITE_TAG, partition_range_tags, sync_council_partitions

PARTITIONED_KEYS = [council_page.key, council_pdf.key]


def council_assets(pdf: bool) -> list[dg.AssetsDefinition]:
    return [council_page, council_pdf] if pdf else [council_page]


def built_keys(pdf: bool) -> list[dg.AssetKey]:
    """The assets ``materialize_profiles`` builds (the PDFs only when ``pdf``)."""
    return [a.key for a in council_assets(pdf)] + [overviews.key]


def council_files(councils: int, pdf: bool, appendix: bool = False) -> int:
    """How many council files a run of ``councils`` partitions writes (what the progress bar counts):
    a page per council and, with ``pdf``, a pre-visit pack per council (and its full tables
    edition with ``appendix``) and the shared ``definitions.pdf``."""
    return councils + (councils * (2 if appendix else 1) + 1 if pdf else 0)


def pdf_config(appendix: bool) -> dict | None:
    """The run config asking ``council_pdf`` for the full tables edition too."""
    return {"ops": {"profiles__council_pdf": {"config": {"appendix": True}}}} if appendix else None


def chunks(keys: list[str], parts: int) -> list[list[str]]:
    """``keys`` cut into at most ``parts`` consecutive runs of (nearly) equal length, in order."""
    parts = max(1, min(parts, len(keys)))
    size, extra = divmod(len(keys), parts)
    bounds = [i * size + min(i, extra) for i in range(parts + 1)]
    return [keys[bounds[i]:bounds[i + 1]] for i in range(parts)]


@dataclass(frozen=True)
class Runs:
    """Several runs of one job, started together, read as one result (for the command line's summary)."""

    results: list

    @property
    def success(self) -> bool:
        return all(r.success for r in self.results)

    @property
    def job_def(self) -> dg.JobDefinition:
        return self.results[0].job_def

    @property
    def all_events(self) -> list:
        return [e for r in self.results for e in r.all_events]

    def get_asset_materialization_events(self) -> list:
        return [e for r in self.results for e in r.get_asset_materialization_events()]

    def get_asset_check_evaluations(self) -> list:
        return [e for r in self.results for e in r.get_asset_check_evaluations()]


def in_parallel(starts: list[Callable[[], Any]]) -> Any:
    """The result of the one run in ``starts``, or of all of them started together as ``Runs``."""
    if len(starts) == 1:
        return starts[0]()
    with ThreadPoolExecutor(len(starts)) as pool:
        return Runs([f.result() for f in [pool.submit(start) for start in starts]])


def run_plainly(_name: str, run: Callable[[], dg.ExecuteInProcessResult], total: int | None = None
                ) -> dg.ExecuteInProcessResult:
    return run()


def materialize_profiles(instance: dg.DagsterInstance, resources: dict, pdf: bool = True, appendix: bool = False,
                         raise_on_error: bool = False, run: Callable[[str, Callable], Any] = run_plainly,
                         tags: dict | None = None, run_job: Callable[..., Any] | None = None,
                         council_runs: int = 1) -> list:
    """Sync the council partitions, build every council's page (and PDF), then the overviews.

    Each of the two runs is started through ``run(stage name, start, total)`` (the CLI shows
    progress there; ``total``: the council files the run writes); the list holds what ``run``
    returned (by default the runs' results). With ``run_job`` (``run_job(job name, asset_selection=,
    tags=, run_config=, raise_on_error=)`` starts a run of the definitions' ``council_profiles`` or
    ``overview_pages``, whose resources they carry), the runs are those jobs' runs, named as in the
    UI; without, in-process runs of the assets alone with ``resources``. With ``council_runs`` > 1
    the councils are split into that many runs over consecutive partition ranges, started together
    (for an executor that spreads them over several workers), and reported as one. With ``pdf`` and
    ``appendix``, each council's full tables edition is printed beside its pack. When the council pages
    fail, only the check that the pages show the warehouse's release is run, so that the UI shows
    whether they now lag it."""
    from assets.profiles.pdf import find_chromium  # the page code: not needed to load the definitions

    def execute(job: str, assets: list, run_tags: dict | None, config: dict | None = None) -> dg.ExecuteInProcessResult:
        if run_job:
            return run_job(job, asset_selection=[a.key for a in assets], tags=run_tags, run_config=config,
                           raise_on_error=raise_on_error)
        return dg.materialize([*assets, *(PROFILE_CHECKS if job == "overview_pages" else [])], resources=resources,
                              instance=instance, raise_on_error=raise_on_error, tags=run_tags, run_config=config)

    keys = sync_council_partitions(instance, resources["warehouse"])
    # Without Chromium council_pdf prints nothing (and materializes nothing): the bar counts pages only.
    printing = pdf and find_chromium() is not None
    councils = run("council pages" + (" and PDFs" if pdf else ""),
                   lambda: in_parallel([lambda part=part: execute(
                       "council_profiles", council_assets(pdf), {**partition_range_tags(part), **WHOLE_SITE_TAG,
                                                                 **(tags or {})},
                       pdf_config(pdf and appendix)) for part in chunks(keys, council_runs)]),
                   council_files(len(keys), printing, appendix))
    result = getattr(councils, "result", councils)
    if not result.success:
        # The pages were not published: record that they now lag the warehouse (if they do) in the UI.
        dg.materialize([overviews, pages_show_warehouse_release], resources=resources, instance=instance,
                       selection=dg.AssetSelection.checks(pages_show_warehouse_release), raise_on_error=False,
                       tags=tags)
        return [councils]
    return [councils, run("overviews", lambda: execute("overview_pages", [overviews], tags))]
