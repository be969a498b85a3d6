"""Catalogue entries as plain data (for JSON) and as bilingual text (for the terminal)."""
from __future__ import annotations

from typing import Any

from classifier.knowledge.catalogue import Catalogue
from classifier.knowledge.names import Lookup

KIND_LABEL = {
    "basic": ("基础电信业务", "basic telecom"),
    "value_added": ("增值电信业务", "value-added telecom"),
    "regime": ("目录外制度", "regime outside the catalogue"),
}
CLASS_LABEL = {"first": ("第一类", "first class"), "second": ("第二类", "second class"), None: ("", "")}
RELATION_LABEL = {
    "escalates_to": ("升级为", "escalates to"),
    "confused_with": ("易混淆", "confused with"),
    "commonly_with": ("常一并持有", "commonly held with"),
}


def entry_dict(catalogue: Catalogue, code: str) -> dict[str, Any]:
    """One entry with its path, children, relations and resolved sources, JSON-ready."""
    entry = catalogue.entry(code)
    data = entry.model_dump(mode="json", by_alias=True)
    data["path"] = catalogue.ancestors(entry.code)
    data["children"] = catalogue.children(entry.code)
    data["relations"] = [
        {"type": r.type, "code": r.code, "when": r.relation.when, "note_zh": r.relation.note_zh,
         "note_en": r.relation.note_en, "sources": list(r.relation.sources)}
        for r in catalogue.related(entry.code)
    ]
    data["sources"] = [source_dict(catalogue, s) for s in entry.sources]
    return data


def source_dict(catalogue: Catalogue, source_id: str) -> dict[str, Any]:
    source = catalogue.kb.sources[source_id]
    return source.model_dump(mode="json", exclude_none=True)


def lookup_dict(result: Lookup) -> dict[str, Any]:
    def target(t):
        return {"code": t.code, "item": t.item, "name": t.name, "form": t.form, "sources": list(t.sources)}

    return {
        "query": result.query,
        "found": result.found,
        "matches": [target(t) for t in result.matches],
        "candidates": [target(t) for t in result.candidates],
        "coverage": result.coverage,
    }


def render_entry(catalogue: Catalogue, code: str) -> str:
    """A bilingual, human-readable page for one code."""
    entry = catalogue.entry(code)
    kind_zh, kind_en = KIND_LABEL[entry.kind]
    class_zh, class_en = CLASS_LABEL[entry.class_]
    lines = [f"{entry.code}  {entry.name_zh}", f"{' ' * len(entry.code)}  {entry.name_en}", ""]
    lines.append(f"类别 Kind:        {class_zh}{kind_zh} / {(class_en + ' ') if class_en else ''}{kind_en}")
    if entry.treated_as:
        zh, en = KIND_LABEL[entry.treated_as]
        lines.append(f"管理方式 Managed: 比照{zh} / licensed like {en}")
    path = [*catalogue.ancestors(entry.code), entry.code]
    lines.append(f"位置 Path:        {' > '.join(path)}")
    until = entry.valid_to.isoformat() if entry.valid_to else "今 present"
    lines.append(f"有效 In force:    {entry.valid_from.isoformat()} – {until}")
    lines.append(f"可信度 Confidence: {entry.confidence}")
    lines += ["", f"定义  {entry.definition_zh}", f"Definition  {entry.definition_en}"]
    for title, items in (("许可项目 Licence items", entry.licence_items), ("子类 Sub-kinds", entry.subkinds)):
        if items:
            lines += ["", f"{title}:"]
            lines += [f"  {i.id}  {i.name_zh} / {i.name_en}" for i in items]
    children = catalogue.children(entry.code)
    if children:
        lines += ["", "下级 Children:"]
        lines += [f"  {c}  {catalogue.entry(c).name_zh} / {catalogue.entry(c).name_en}" for c in children]
    related = catalogue.related(entry.code)
    if related:
        lines += ["", "关系 Relations:"]
        for r in related:
            zh, en = RELATION_LABEL[r.type]
            when = f" [when {r.relation.when}]" if r.relation.when else ""
            lines.append(f"  {zh} / {en} {r.code} {catalogue.entry(r.code).name_zh}{when}")
            lines.append(f"      {r.relation.note_zh}")
            lines.append(f"      {r.relation.note_en}  ({', '.join(r.relation.sources)})")
    if entry.notes:
        lines += ["", f"说明 Notes: {entry.notes}"]
    lines += ["", "来源 Sources:"]
    for source_id in entry.sources:
        source = catalogue.kb.sources[source_id]
        where = source.url or source.ref or ""
        lines.append(f"  [{source_id}] {source.title}" + (f" — {where}" if where else ""))
    return "\n".join(lines)


def render_tree(catalogue: Catalogue) -> str:
    lines = []
    for depth, entry in catalogue.walk():
        marker = "" if entry.confidence != "unverified" else "  (unverified)"
        lines.append(f"{'  ' * depth}{entry.code}  {entry.name_zh}  —  {entry.name_en}{marker}")
    return "\n".join(lines)


def render_lookup(catalogue: Catalogue, result: Lookup) -> str:
    if result.found:
        lines = []
        for t in result.matches:
            entry = catalogue.entry(t.code)
            item = ""
            if t.item:
                _, licence_item = catalogue.item(t.item)
                item = f"  [{t.item} {licence_item.name_zh}]"
            lines.append(f"{t.code}  {entry.name_zh} / {entry.name_en}{item}")
            lines.append(f"    matched {t.name!r} ({t.form}; {', '.join(t.sources)})")
        if result.coverage == "multi_province":
            lines.append("    覆盖两个以上省份：由工业和信息化部颁发《跨地区增值电信业务经营许可证》 / "
                         "covers two or more provinces: licensed by MIIT")
        elif result.coverage == "provincial":
            lines.append("    覆盖一个省份：由省级通信管理局颁发 / one province: licensed by the provincial "
                         "communications administration")
        return "\n".join(lines)
    lines = [f"no licence or business is named {result.query!r}"]
    if result.candidates:
        lines.append("nearest names:")
        for t in result.candidates:
            lines.append(f"  {t.code}  {t.name}" + (f"  [{t.item}]" if t.item else ""))
    return "\n".join(lines)
