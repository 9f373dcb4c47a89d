"""Materialize the profile assets in process, partitions included (for the CLI and the tests).

``dg.materialize`` runs one partition set per run and refuses to mix partitioned and
unpartitioned assets without a partition key, so everything is done in two runs: every council
(one single run over the whole partition range: the marts are read once, one browser prints
every PDF), then the overviews and their checks.
"""

from __future__ import annotations

import dagster as dg

from assets.profiles.assets import PROFILE_CHECKS, council_page, council_pdf, overviews, pages_show_warehouse_release
from assets.profiles.partitions import partition_range_tags, sync_council_partitions

PARTITIONED_KEYS = [council_page.key, council_pdf.key]


def council_assets(pdf: bool) -> list[dg.AssetsDefinition]:
    return [council_page, council_pdf] if pdf else [council_page]


def built_keys(pdf: bool) -> list[dg.AssetKey]:
    """The assets ``materialize_profiles`` builds (the PDFs only when ``pdf``)."""
    return [a.key for a in council_assets(pdf)] + [overviews.key]


def materialize_profiles(instance: dg.DagsterInstance, resources: dict, pdf: bool = True,
                         raise_on_error: bool = False) -> list[dg.ExecuteInProcessResult]:
    """Sync the council partitions, build every council's page (and PDF), then the overviews.

    When the council pages fail, only the check that the pages show the warehouse's release is
    run, so that the UI shows whether they now lag it."""
    keys = sync_council_partitions(instance, resources["warehouse"])
    councils = dg.materialize(
        council_assets(pdf), resources=resources, instance=instance,
        raise_on_error=raise_on_error,
        tags=partition_range_tags(keys),
    )
    if not councils.success:
        # The pages were not published: record that they now lag the warehouse (if they do) in the UI.
        dg.materialize([overviews, pages_show_warehouse_release], resources=resources, instance=instance,
                       selection=dg.AssetSelection.checks(pages_show_warehouse_release), raise_on_error=False)
        return [councils]
    rest = dg.materialize([overviews, *PROFILE_CHECKS], resources=resources, instance=instance,
                          raise_on_error=raise_on_error)
    return [councils, rest]
