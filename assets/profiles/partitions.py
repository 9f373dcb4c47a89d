"""Council partitions: one key per current council, ``<LA code>-<name slug>`` (e.g.
``868-windsor-and-maidenhead``, the stem of its page's file name), kept in step with ``core.dim_area``.
The name makes a partition findable in the UI; the code before the first '-' is what the assets read.

Dynamic rather than static partitions: the set of councils is data (reorganisations create and
abolish councils between releases), and a static list would have to be read from the warehouse
when the definitions load, before the warehouse may exist. The keys are added and removed by
``council_partitions_sensor`` in ``dagster dev`` and by ``sync_council_partitions`` in the
command line and the tests.
"""

from __future__ import annotations

import dagster as dg
import duckdb

from assets.profiles.formatting import slug
from assets.resources import WarehouseResource
from base.warehouse_lock import WarehouseBusyError

council_partitions = dg.DynamicPartitionsDefinition(name="council")


def council_key(code: int, name: str) -> str:
    """The partition key of a council: ``868-windsor-and-maidenhead``."""
    return f"{code}-{slug(name)}"


def council_code(key: str) -> int:
    """The LA code a council partition key starts with."""
    return int(key.split("-", 1)[0])


def council_keys(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The partition keys of the current councils, in LA code order."""
    # Imported here: the module needs Polars, which loading the definitions does not.
    from base.councils import current_councils

    councils = current_councils(con)
    return [council_key(code, councils[code]) for code in sorted(councils)]


def partition_changes(existing: list[str], wanted: list[str]) -> tuple[list[str], list[str]]:
    """(keys to add, keys to delete) to turn ``existing`` into ``wanted``."""
    return [k for k in wanted if k not in set(existing)], [k for k in existing if k not in set(wanted)]


def partition_requests(instance: dg.DagsterInstance, wanted: list[str]) -> list[
        dg.AddDynamicPartitionsRequest | dg.DeleteDynamicPartitionsRequest]:
    """The requests that turn the instance's council partitions into ``wanted`` (for a sensor)."""
    add, delete = partition_changes(instance.get_dynamic_partitions(council_partitions.name), wanted)
    return [council_partitions.build_add_request(add), council_partitions.build_delete_request(delete)]


# On the council runs of a build of the whole site (``runs.materialize_profiles`` may split the
# councils over several runs): the overviews step publishes it, not each part.
WHOLE_SITE_TAG = {"peerdata/part_of": "whole_site"}


def partition_range_tags(keys: list[str]) -> dict[str, str]:
    """The run tags that make one run cover the council partitions ``keys[0]`` to ``keys[-1]``."""
    return {"dagster/asset_partition_range_start": keys[0], "dagster/asset_partition_range_end": keys[-1]}


def sync_council_partitions(instance: dg.DagsterInstance, warehouse: WarehouseResource) -> list[str]:
    """Make the instance's council partitions the current councils; returns the keys."""
    with warehouse.connect(read_only=True) as con:
        wanted = council_keys(con)
    add, delete = partition_changes(instance.get_dynamic_partitions(council_partitions.name), wanted)
    if add:
        instance.add_dynamic_partitions(council_partitions.name, add)
    for key in delete:
        instance.delete_dynamic_partition(council_partitions.name, key)
    return wanted


@dg.sensor(
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Keeps the council partitions of the profiles in step with the current councils in the "
    "warehouse (adds new councils, removes abolished ones), so the UI can build any council's page.",
)
def council_partitions_sensor(context: dg.SensorEvaluationContext, warehouse: WarehouseResource) -> dg.SensorResult:
    """Adds a partition for each new current council and removes abolished ones."""
    try:
        with warehouse.connect(read_only=True, wait_seconds=0) as con:
            wanted = council_keys(con)
    except (duckdb.Error, WarehouseBusyError) as exc:  # no warehouse yet, or a writer holds it: try again later
        return dg.SensorResult(skip_reason=f"warehouse not readable: {exc}")
    return dg.SensorResult(dynamic_partitions_requests=partition_requests(context.instance, wanted))
