"""The list of extra indicator sources: ``pipeline/sources.yaml``, or ``$PEERDATA_EXTRA_SOURCES``.

Two kinds of entry (``docs/local-indicators.md`` has the full layout)::

    sources:
      - name: ks4_destinations          # unique; named in every error about the source
        kind: ees
        file: https://.../data.csv      # a path (relative to this YAML file) or a URL
        filters: {characteristic: Total}
        indicators:
          - column: pt_sustained        # the EES indicator column
            code: EES_KS4_sustained     # metadata: see rows.METADATA_FIELDS
            name: ...
      - name: north_west_quarterly
        kind: local
        data: local/nw_data.csv         # the local indicator template
        metadata: local/nw_metadata.csv

Any mistake in the file raises ``SourceConfigError`` naming the YAML file, the entry and the key.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from assets.core.sources import SourceFileError
from assets.sources.rows import METADATA_FIELDS

EXTRA_SOURCES_ENV = "PEERDATA_EXTRA_SOURCES"
DEFAULT_SOURCES_FILE = Path(__file__).resolve().parents[2] / "pipeline" / "sources.yaml"


class SourceConfigError(SourceFileError):
    """The sources YAML file is not as documented; the message names the file, entry and key."""


@dataclass(frozen=True)
class EesIndicator:
    """One indicator column of an EES file and the metadata it is published with."""

    column: str
    metadata: dict[str, str]


@dataclass(frozen=True)
class EesSource:
    name: str
    location: str  # a local path (already resolved) or a URL
    filters: dict[str, str]
    indicators: tuple[EesIndicator, ...]
    config_file: str


@dataclass(frozen=True)
class LocalSource:
    name: str
    data: Path
    metadata: Path | None  # None only when validating the data rows alone


ExtraSource = EesSource | LocalSource


def sources_file_from_env() -> Path:
    return Path(os.environ.get(EXTRA_SOURCES_ENV) or DEFAULT_SOURCES_FILE)


def read_sources(path: Path) -> list[ExtraSource]:
    """Every source entry of the YAML file at ``path`` (an empty list when it lists none)."""
    if not path.exists():
        raise SourceConfigError(f"{path}: the extra-sources file does not exist (set {EXTRA_SOURCES_ENV}).")
    try:
        spec = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise SourceConfigError(f"{path.name}: not valid YAML ({exc}).") from exc
    entries = (spec.get("sources") or []) if isinstance(spec, dict) else None
    if not isinstance(entries, list):
        raise SourceConfigError(f"{path.name}: expected a top-level key 'sources' holding a list of entries.")
    sources = [_entry(path, i, entry) for i, entry in enumerate(entries, start=1)]
    names = [s.name for s in sources]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise SourceConfigError(f"{path.name}: source name(s) {repeated} used by more than one entry.")
    return sources


def _entry(path: Path, number: int, entry: object) -> ExtraSource:
    where = f"{path.name}, source entry {number}"
    if not isinstance(entry, dict):
        raise SourceConfigError(f"{where}: expected a mapping with keys name, kind, ...")
    name = _text(where, entry, "name")
    where = f"{path.name}, source {name!r}"
    kind = _text(where, entry, "kind")
    if kind == "local":
        return LocalSource(name, _path(path, _text(where, entry, "data")), _path(path, _text(where, entry, "metadata")))
    if kind != "ees":
        raise SourceConfigError(f"{where}: kind {kind!r} is not 'ees' or 'local'.")
    filters = entry.get("filters") or {}
    if not isinstance(filters, dict):
        raise SourceConfigError(f"{where}: 'filters' must map column names to the value to keep.")
    indicators = entry.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        raise SourceConfigError(f"{where}: 'indicators' must list at least one indicator column.")
    location = _text(where, entry, "file")
    if not location.startswith(("http://", "https://")):
        location = str(_path(path, location))
    return EesSource(
        name=name,
        location=location,
        filters={str(k): str(v) for k, v in filters.items()},
        indicators=tuple(_indicator(f"{where}, indicator {i}", item) for i, item in enumerate(indicators, start=1)),
        config_file=path.name,
    )


def _indicator(where: str, item: object) -> EesIndicator:
    if not isinstance(item, dict):
        raise SourceConfigError(f"{where}: expected a mapping with keys column, code, name, ...")
    unknown = sorted(set(item) - {"column", *METADATA_FIELDS})
    if unknown:
        raise SourceConfigError(f"{where}: unknown key(s) {unknown}; allowed: column, {', '.join(METADATA_FIELDS)}.")
    for key in ["column", "code"]:
        _text(where, item, key)
    metadata = {f: None if item.get(f) is None else str(item[f]) for f in METADATA_FIELDS}
    return EesIndicator(column=str(item["column"]), metadata=metadata)


def _text(where: str, mapping: dict, key: str) -> str:
    value = mapping.get(key)
    if value is None or str(value).strip() == "":
        raise SourceConfigError(f"{where}: '{key}' is missing or blank.")
    return str(value).strip()


def _path(config: Path, text: str) -> Path:
    candidate = Path(text).expanduser()
    return candidate if candidate.is_absolute() else (config.parent / candidate).resolve()
