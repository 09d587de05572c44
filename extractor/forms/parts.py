"""Parts of a form bound into one file: "第二部分 附件1 申报企业基本情况表", "附件3 年报表" heading a
stretch of the document.  Each role of a form spec may name the headings that open its part
(`RoleSpec.part_heads`); a part runs from such a heading to the next part's.  A form module reads
its 附件1 from the 附件1 part of a combined file, not from the report's own tables that look alike."""

from __future__ import annotations

import re

from extractor.forms.spec import FormSpec
from extractor.forms.text import compact
from extractor.model import Document

_TOC = re.compile(r"(?:[.·．_\-—]{3,}|…+|\t)\s*\d{1,3}\s*$")
_MAX_HEAD = 40


def part_starts(doc: Document, spec: FormSpec) -> list[tuple[int, str]]:
    """(block index, role) of every heading that opens a part, in document order."""
    out: list[tuple[int, str]] = []
    for i, b in enumerate(doc.blocks):
        if b.kind not in ("heading", "paragraph") or not b.text or _TOC.search(b.text):
            continue
        t = compact(b.text)
        if len(t) > _MAX_HEAD:
            continue
        for role, rs in spec.roles.items():
            if any(_opens(t, compact(h)) for h in rs.part_heads):
                if not out or out[-1][1] != role or i - out[-1][0] > 3:
                    out.append((i, role))
                break
    return out


_LEAD = re.compile(r"^(?:第[一二三四五六七八九十\d]+(?:部分|章|篇)|[一二三四五六七八九十]+[、.．]|\d+[、.．])?")


def _opens(text: str, head: str) -> bool:
    """'第二部分附件1申报企业基本情况表' and '附件1' open the 附件1 part; '附件10', a list
    ("评价报告、附件1、附件3") and a sentence that mentions 附件1 do not."""
    if "、" in text or "，" in text:
        return False
    t = _LEAD.sub("", text, count=1)
    if not t.startswith(head):
        return False
    after = t[len(head): len(head) + 1]
    return not (head[-1].isdigit() and after.isdigit())


def part_view(doc: Document, spec: FormSpec, role: str) -> Document | None:
    """The stretch of `doc` that is the `role` part, or None when no heading opens one.  When
    only other parts are headed, the role that `doc` was read for is what precedes them."""
    starts = part_starts(doc, spec)
    if not starts:
        return None
    spans = [(i, (starts[k + 1][0] if k + 1 < len(starts) else len(doc.blocks)), r) for k, (i, r) in enumerate(starts)]
    mine = [(lo, hi) for lo, hi, r in spans if r == role]
    if not mine:
        if starts[0][0] == 0 or spec.roles.get(role) is None or spec.roles[role].part_heads:
            return None
        mine = [(0, starts[0][0])]
    blocks = [b for lo, hi in mine for b in doc.blocks[lo:hi]]
    return doc.model_copy(update={"blocks": blocks})


def parts_of(docs: list[Document], spec: FormSpec, role: str) -> list[Document]:
    """`docs` (the files holding a role) narrowed to that role's part where a file binds several."""
    out = []
    for d in docs:
        view = part_view(d, spec, role)
        out.append(view if view is not None and view.blocks else d)
    return out
