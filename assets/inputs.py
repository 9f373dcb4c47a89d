"""Every input of the pipeline as an observable source asset whose data version is a content hash.

An input is something the pipeline reads but does not make: the LAIT release at
``PEERDATA_SOURCE`` (``inputs/lait_release``), the Ofsted inspections at ``PEERDATA_INSPECTIONS``
(``inputs/inspections``), the extra-sources list ``pipeline/sources.yaml``
(``inputs/extra_sources``) and each source it lists (``inputs/extra_<name>``). Each is an
``Input``: a key, a description and a function that hashes what the input holds now (a folder
or file: the SHA-256 of the bytes; a URL: the ETag/Last-Modified/length the server reports).

The hash is the input's data version. ``observe_inputs`` records an observation (no run) when
the version differs from the last one recorded; Dagster then shows every asset built from the
input as unsynced, and ``pipeline.freshness`` rebuilds exactly those assets: ``peerdata
materialize`` and ``input_sensor`` (``pipeline/sensors.py``) both observe first. The
``inputs`` asset in the UI observes them on demand ("Observe sources").

Adding an input is a few lines: an ``Input`` in ``declared_inputs`` (key, description, a
``version`` function, e.g. ``file_version(path)``) and its key in the ``deps`` of the asset
that reads it.
"""

from __future__ import annotations

import hashlib
import json
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from base.hashing import file_sha256
from base.settings import NO_INSPECTIONS, ReleaseFiles, inspections_from_env, self_evaluations_from_env, source_from_env

GROUP = "inputs"
DATA_VERSION_TAG = "dagster/data_version"
INPUT_VERSION_TAG = "dagster/input_data_version"  # Dagster's prefix for the input versions of a materialization
LAIT_INPUT = dg.AssetKey([GROUP, "lait_release"])
INSPECTIONS_INPUT = dg.AssetKey([GROUP, "inspections"])
SELF_EVALUATIONS_INPUT = dg.AssetKey([GROUP, "self_evaluations"])
EXTRA_SOURCES_INPUT = dg.AssetKey([GROUP, "extra_sources"])


class InputUnreadable(Exception):
    """The input cannot be read now (a missing file, a dead URL): it is not observed this time."""


@dataclass(frozen=True)
class Input:
    """One input: ``version()`` is a hash of what it holds now; ``describe()`` what the UI shows."""

    key: dg.AssetKey
    description: str
    describe: Callable[[], dict] = field(compare=False)
    # What the UI shows beside the hashes, from what ``describe`` returned (not part of the version).
    details: Callable[[dict], dict] = field(compare=False, default=lambda described: {})


def _sha256(path: Path) -> str:
    try:
        return file_sha256(path)
    except OSError as exc:
        raise InputUnreadable(f"{path}: {exc.strerror or exc}") from exc


def _url_headers(url: str) -> dict:
    import requests  # only URL inputs need it

    try:
        response = requests.head(url, timeout=30, allow_redirects=True)
        response.raise_for_status()
    except requests.RequestException as exc:
        raise InputUnreadable(f"{url}: {exc}") from exc
    return {h: response.headers.get(h) for h in ("ETag", "Last-Modified", "Content-Length")}


def file_version(*locations: str | Path) -> Callable[[], dict]:
    """The content of files or URLs: the SHA-256 of each file, the headers of each URL."""

    def describe() -> dict:
        return {str(loc): _url_headers(str(loc)) if str(loc).startswith(("http://", "https://"))
                else _sha256(Path(loc)) for loc in locations}

    return describe


def lait_release_version() -> dict:
    """The configured release's four files by content: SHA-256 (a folder) or ETag (a URL)."""
    from assets.raw.landing import LandingError, source_fingerprint

    try:
        files = source_fingerprint(source_from_env(), ReleaseFiles.from_env())["files"]
    except LandingError as exc:
        raise InputUnreadable(str(exc)) from exc
    return {role: entry.get("sha256") or entry.get("etag") or [entry.get("last_modified"), entry.get("content_length")]
            for role, entry in files.items()}


def lait_release_details(hashes: dict) -> dict:
    """The folder (or URL) the release is read from and, for a folder, the date of its newest data
    (the dictionary's latest "Last Update") and the release id it lands as."""
    from assets.raw.landing import dictionary_updated, release_id_for

    source = source_from_env()
    if source.startswith(("http://", "https://")):
        return {"source": dg.MetadataValue.url(source)}
    dictionary = Path(source) / ReleaseFiles.from_env().dictionary
    updated = dictionary_updated(dictionary)
    return {"source": dg.MetadataValue.path(str(Path(source).resolve())),
            "data_published": updated.isoformat() if updated else "undated (no Last Update in the dictionary)",
            "release_id": release_id_for(dictionary, {role: {"sha256": digest} for role, digest in hashes.items()})}


def landed_files_version(source: str, kind) -> dict:
    """A landed file source (``kind``, an ``inspection_landing.FileSource``) by content: the SHA-256
    of each file of its kinds (a file or a folder) or the headers of a URL; a constant when the
    source is ``none``."""
    from assets.raw.inspection_landing import source_hashes
    from assets.raw.landing import LandingError

    if source.strip().lower() == NO_INSPECTIONS:
        return {"source": NO_INSPECTIONS}
    try:
        hashes = source_hashes(source, kind)
    except (LandingError, OSError) as exc:
        raise InputUnreadable(str(exc)) from exc
    return hashes if hashes is not None else file_version(source)()


def inspections_version() -> dict:
    """The configured inspections files by content (``landed_files_version``)."""
    from assets.raw.inspection_landing import INSPECTIONS

    return landed_files_version(inspections_from_env(), INSPECTIONS)


def self_evaluations_version() -> dict:
    """The configured self-evaluation files by content (``landed_files_version``)."""
    from assets.raw.inspection_landing import SELF_EVALUATIONS

    return landed_files_version(self_evaluations_from_env(), SELF_EVALUATIONS)


def extra_source_inputs() -> list[Input]:
    """The sources file itself, and one input per source it lists (none when it cannot be read:
    the core build then fails with the file's own error)."""
    from assets.sources.config import EesSource, SourceConfigError, read_sources, sources_file_from_env

    path = sources_file_from_env()
    inputs = [Input(EXTRA_SOURCES_INPUT, "The list of extra indicator sources (PEERDATA_EXTRA_SOURCES, "
                    "default pipeline/sources.yaml).", lambda: file_version(sources_file_from_env())())]
    try:
        sources = read_sources(path)
    except SourceConfigError:
        return inputs
    for source in sources:
        files = [source.location] if isinstance(source, EesSource) else [p for p in (source.data, source.metadata) if p]
        inputs.append(Input(
            dg.AssetKey([GROUP, "extra_" + re.sub(r"\W", "_", source.name)]),
            f"Extra indicator source {source.name!r}: {', '.join(str(f) for f in files)}.",
            file_version(*files),
        ))
    return inputs


def declared_inputs() -> list[Input]:
    """Every input, as configured by the environment when the definitions load."""
    return [
        Input(LAIT_INPUT, "The LAIT release files at PEERDATA_SOURCE (a folder or a base URL).", lait_release_version,
              lait_release_details),
        Input(INSPECTIONS_INPUT, "The Ofsted ILACS inspection files at PEERDATA_INSPECTIONS (a file, a folder or "
              "a file's URL; default: ../shared/ofsted beside the repository).", inspections_version),
        Input(SELF_EVALUATIONS_INPUT, "The councils' self-evaluations at PEERDATA_SELF_EVALUATIONS (a file or a "
              "folder of .csv and .docx files; default: data/self-evaluations/ under PEERDATA_HOME).",
              self_evaluations_version),
        *extra_source_inputs(),
    ]


INPUTS = declared_inputs()
EXTRA_INPUT_KEYS = [i.key for i in INPUTS if i.key not in (LAIT_INPUT, INSPECTIONS_INPUT)]


def observation(item: Input) -> dg.AssetObservation | None:
    """An observation of ``item`` carrying its data version; None when it cannot be read now."""
    try:
        described = item.describe()
    except InputUnreadable:
        return None
    version = hashlib.sha256(json.dumps(described, sort_keys=True).encode()).hexdigest()[:16]  # the data version
    return dg.AssetObservation(asset_key=item.key, tags={DATA_VERSION_TAG: version},
                               metadata={**item.details(described), "content": dg.MetadataValue.json(described)})


def last_version(instance: dg.DagsterInstance, key: dg.AssetKey) -> str | None:
    """The data version of the latest observation of ``key`` recorded in the instance."""
    records = instance.fetch_observations(key, limit=1).records
    return records[0].asset_observation.tags.get(DATA_VERSION_TAG) if records else None


def built_from_version(instance: dg.DagsterInstance, key: dg.AssetKey, input_key: dg.AssetKey) -> str | None:
    """The version of ``input_key`` that ``key``'s latest materialization was built from, as Dagster
    records it on the materialization (None: never built, or built before the input was observed)."""
    event = instance.get_latest_materialization_event(key)
    tags = (event.asset_materialization.tags or {}) if event and event.asset_materialization else {}
    return tags.get(f"{INPUT_VERSION_TAG}/{input_key.to_user_string()}")


def changed_observations(instance: dg.DagsterInstance, inputs: list[Input] = INPUTS) -> list[dg.AssetObservation]:
    """Observations of the inputs whose content differs from the last version recorded."""
    fresh = [o for o in map(observation, inputs) if o is not None]
    return [o for o in fresh if last_version(instance, o.asset_key) != o.tags[DATA_VERSION_TAG]]


def observe_inputs(instance: dg.DagsterInstance, inputs: list[Input] = INPUTS) -> list[dg.AssetKey]:
    """Record an observation of each input that changed (no run); returns their keys."""
    changed = changed_observations(instance, inputs)
    for event in changed:
        instance.report_runless_asset_event(event)
    return [o.asset_key for o in changed]


def _inputs_asset() -> dg.AssetsDefinition:
    # multi_observable_source_asset is marked beta; its warning would greet every `dagster dev` start.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", dg.BetaWarning)

        @dg.multi_observable_source_asset(
            name="inputs",
            specs=[dg.AssetSpec(i.key, description=i.description, group_name=GROUP, kinds={"file"},
                                owners=["team:peerdata"]) for i in INPUTS],
            can_subset=True,
            description="Observe the inputs: hash what each holds now (its data version).",
        )
        def inputs(context):  # not annotated: this module postpones annotations, which Dagster cannot read
            """Each selected input's data version (a content hash), observed now."""
            for item in INPUTS:
                if item.key not in context.selected_asset_keys:
                    continue
                event = observation(item)
                if event is None:
                    context.log.warning(f"{item.key.to_user_string()} cannot be read now: not observed")
                    continue
                yield dg.ObserveResult(asset_key=item.key, data_version=dg.DataVersion(event.tags[DATA_VERSION_TAG]),
                                       metadata=event.metadata)

    return inputs


inputs_asset = _inputs_asset()
