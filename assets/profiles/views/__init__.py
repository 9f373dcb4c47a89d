"""Turn the marts' rows into what each page shows: the template contexts, one module per page kind.

Everything here is plain data (dicts, lists, strings already formatted); the templates only lay
it out. ``shared.SharedViews`` indexes the loaded frames once; each page kind is built by its own
module from it (``council``, ``region``, ``index``, ``peer_group``, ``reference`` for the
definitions and methods pages; the PDF packs print the council context, ``pdf.py``), and
``common`` holds the anchors and words they share. ``CouncilViews`` is the one
object the build passes around: the shared indexes, with one method per page kind.
"""

from __future__ import annotations

from assets.profiles.views.common import json_for_html
from assets.profiles.views.council import council_page, trends
from assets.profiles.views.index import index_page
from assets.profiles.views.peer_group import peer_group_names, peer_group_page
from assets.profiles.views.reference import definitions_page, methods_page
from assets.profiles.views.region import region_page
from assets.profiles.views.shared import SharedViews

__all__ = ["CouncilViews", "json_for_html"]


class CouncilViews(SharedViews):
    """The page contexts of one ``ProfileData`` load, one method per page kind."""

    def council(self, code: int) -> dict:
        return council_page(self, code)

    def trends(self, code: int) -> dict[str, dict]:
        return trends(self, code)

    def region(self, region_name: str) -> dict:
        return region_page(self, region_name)

    def index(self) -> dict:
        return index_page(self)

    def peer_group_names(self) -> list[str]:
        return peer_group_names(self)

    def peer_group(self, group_name: str) -> dict:
        return peer_group_page(self, group_name)

    def definitions(self) -> dict:
        return definitions_page(self)

    def methods(self) -> dict | None:
        return methods_page(self)
