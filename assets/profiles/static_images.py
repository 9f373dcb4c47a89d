"""Static spine charts for the print profile: one Kaleido render per council, cut into topics.

Kaleido reloads its page (and plotly.js) after every image, about 0.2 s each; a profile has
about 20 topics. So the topics' spine charts are stacked into one tall figure
(``charts.stack_figures``), rendered to SVG once, and the SVG is cut into one image per topic:
each copy keeps the shared definitions and only its own subplot, with the view box cropped to
that subplot's pixel band.
"""

from __future__ import annotations

import base64
import copy
import xml.etree.ElementTree as ET

SVG_NS = "http://www.w3.org/2000/svg"
ET.register_namespace("", SVG_NS)
ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")


def _classes(element: ET.Element) -> list[str]:
    return element.get("class", "").split()


def split_svg(svg: bytes, bands: list[tuple[int, int]]) -> list[str]:
    """Cut a stacked Plotly SVG into one base64 SVG per subplot, in subplot order."""
    root = ET.fromstring(svg)
    width = root.get("width")
    layer = next(e for e in root.iter(f"{{{SVG_NS}}}g") if "cartesianlayer" in _classes(e))
    subplots = [e for e in layer if "subplot" in _classes(e)]
    if len(subplots) != len(bands):
        raise ValueError(f"expected {len(bands)} subplots in the SVG, found {len(subplots)}")
    images = []
    for subplot, (top, bottom) in zip(subplots, bands):
        part = copy.copy(root)  # shallow: children shared, only the layer is replaced below
        part[:] = [_only(child, layer, subplot) for child in root]
        part.set("height", str(bottom - top))
        part.set("viewBox", f"0 {top} {width} {bottom - top}")
        images.append(base64.b64encode(ET.tostring(part)).decode("ascii"))
    return images


def _only(child: ET.Element, layer: ET.Element, subplot: ET.Element) -> ET.Element:
    if child is not layer:
        return child
    trimmed = copy.copy(layer)
    trimmed[:] = [subplot]
    return trimmed
