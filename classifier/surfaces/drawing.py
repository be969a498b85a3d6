"""Draw the catalogue graph: DOT text (pydot) for Graphviz users, SVG (matplotlib) with no binary needed.

Both need the ``[graph]`` extra; each imports its library when called, and says so when it is missing.

The SVG keeps text as text (``svg.fonttype = none``) so Chinese names render with the viewer's fonts
instead of glyphs matplotlib's bundled font lacks. Edge styles tell the relation types apart.
"""
from __future__ import annotations

import io
import logging
import warnings

import networkx as nx

from classifier.knowledge.catalogue import HIERARCHY, Catalogue
from classifier.surfaces.extras import require

EDGE_STYLE = {
    HIERARCHY: {"color": "#9e9e9e", "style": "solid"},
    "escalates_to": {"color": "#c62828", "style": "solid"},
    "confused_with": {"color": "#ef6c00", "style": "dashed"},
    "commonly_with": {"color": "#2e7d32", "style": "dotted"},
}
ROOT = "电信业务分类目录"


def _label(catalogue: Catalogue, code: str) -> str:
    return f"{code} {catalogue.entry(code).name_zh}"


def _typed_edges(catalogue: Catalogue):
    """Each edge once: symmetric relations are stored both ways in the graph but drawn once."""
    seen = set()
    for u, v, key in catalogue.graph.edges(keys=True):
        ident = (key, u, v) if key in (HIERARCHY, "escalates_to") else (key, *sorted((u, v)))
        if ident not in seen:
            seen.add(ident)
            yield u, v, key


def to_dot(catalogue: Catalogue) -> str:
    """The graph as Graphviz DOT: hierarchy top-down, typed relations styled and labelled."""
    (pydot,) = require("graph", "drawing the catalogue graph", "pydot")
    dot = pydot.Dot("catalogue", graph_type="digraph", rankdir="LR", charset="UTF-8")
    dot.set_node_defaults(shape="box", fontname="Noto Sans CJK SC", fontsize="10")
    for code in catalogue.codes():
        entry = catalogue.entry(code)
        fill = {"basic": "#e3f2fd", "value_added": "#fff8e1", "regime": "#f3e5f5"}[entry.kind]
        dot.add_node(pydot.Node(f'"{code}"', label=f'"{_label(catalogue, code)}"', style="filled",
                                fillcolor=fill))
    for u, v, key in _typed_edges(catalogue):
        style = EDGE_STYLE[key]
        attrs = {"color": style["color"], "style": style["style"]}
        if key != HIERARCHY:
            attrs.update(label=key, fontsize="8", constraint="false")
            if key != "escalates_to":
                attrs["dir"] = "none"
        dot.add_edge(pydot.Edge(f'"{u}"', f'"{v}"', **attrs))
    return dot.to_string()


def to_svg(catalogue: Catalogue) -> str:
    """The graph as a standalone SVG document: the tree laid out by depth, relations as arcs."""
    (matplotlib,) = require("graph", "drawing the catalogue graph", "matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    tree = nx.DiGraph()
    tree.add_node(ROOT)
    for root in catalogue.roots():
        tree.add_edge(ROOT, root)
    tree.add_edges_from(catalogue.hierarchy().edges())
    tree.add_nodes_from(catalogue.codes())
    pos = nx.bfs_layout(tree, ROOT, align="vertical")
    pos.pop(ROOT)

    plt.rcParams["svg.fonttype"] = "none"
    plt.rcParams["font.family"] = ["Noto Sans CJK SC", "Source Han Sans SC", "sans-serif"]
    # Arrows on zero-size nodes and CJK glyph metrics missing from matplotlib's own font both warn;
    # both are intended here (the SVG keeps text as text for the viewer's fonts).
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fig, ax = plt.subplots(figsize=(18, 26))
        ax.set_axis_off()
        edges = list(_typed_edges(catalogue))
        for key, style in EDGE_STYLE.items():
            chosen = [(u, v) for u, v, k in edges if k == key]
            nx.draw_networkx_edges(
                catalogue.graph, pos, edgelist=chosen, ax=ax, edge_color=style["color"], style=style["style"],
                arrows=key in (HIERARCHY, "escalates_to"), arrowsize=8, node_size=0,
                connectionstyle="arc3" if key == HIERARCHY else "arc3,rad=0.25", label=key,
            )
        colours = {"basic": "#e3f2fd", "value_added": "#fff8e1", "regime": "#f3e5f5"}
        for code, (x, y) in pos.items():
            ax.text(x, y, _label(catalogue, code), fontsize=7, ha="center", va="center",
                    bbox={"boxstyle": "round,pad=0.2", "fc": colours[catalogue.entry(code).kind], "ec": "#607d8b"})
        from matplotlib.lines import Line2D  # arrow patches carry no legend label: draw proxies

        handles = [Line2D([], [], color=st["color"], linestyle=st["style"], label=key) for key, st in EDGE_STYLE.items()]
        ax.legend(handles=handles, loc="upper right", fontsize=9)
        ax.set_title(f"{catalogue.kb.info.title_zh} — {catalogue.kb.info.title_en}", fontsize=12)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    return buffer.getvalue()
