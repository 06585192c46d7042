"""The report's content as data: `Report` → `Section` → `Paragraph` / `Figure`, with the title
page and the 对照考核表 as appendix, and `Facts`, what a report is written from. All frozen;
`ecopark.reports.narrative` builds them and re-exports them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from typing import Literal

from ecopark.analysis.gap import Gap, InputChange
from ecopark.core.evaluate import Evaluation
from ecopark.core.quality import QualityFinding
from ecopark.core.verify import Verification
from ecopark.reports.charts import Chart
from ecopark.reports.table import AssessmentTable
from ecopark.reports.wording import pick, tidy

__all__ = ["Appendix", "Block", "Facts", "Figure", "Paragraph", "Report", "Section", "TitlePage",
           "items", "nums", "paragraph"]


@dataclasses.dataclass(frozen=True)
class Paragraph:
    """Body text; `lead` is a bold lead-in (an indicator's number and name), `kind` "item" a
    numbered list entry, "note" a small note."""

    text: str
    lead: str = ""
    kind: Literal["body", "item", "note"] = "body"


@dataclasses.dataclass(frozen=True)
class Figure:
    number: int
    caption: str  # with its number: "图1 …" / "Figure 1 …"
    chart: Chart


Block = Paragraph | Figure


@dataclasses.dataclass(frozen=True)
class Section:
    title: str  # with its number: "一、园区概况", "（一）经济发展" / "1 Park overview"
    blocks: tuple[Block, ...] = ()
    subsections: tuple[Section, ...] = ()

    def walk(self) -> Iterator[Section]:
        yield self
        for sub in self.subsections:
            yield from sub.walk()


@dataclasses.dataclass(frozen=True)
class TitlePage:
    park: str
    title: str
    basis: str
    date: str
    provenance: str


@dataclasses.dataclass(frozen=True)
class Appendix:
    title: str
    table: AssessmentTable


@dataclasses.dataclass(frozen=True)
class Report:
    lang: str
    title_page: TitlePage
    running_head: str
    sections: tuple[Section, ...]
    appendix: Appendix  # 附录一 对照考核表
    quality: Section  # 附录二 数据质量核查

    def figures(self) -> tuple[Figure, ...]:
        return tuple(b for sec in self._all() for b in sec.blocks if isinstance(b, Figure))

    def text(self) -> str:
        """Every heading, paragraph and caption in reading order (plain text): the chapters,
        the title of appendix 一 (the table), then appendix 二."""
        page = self.title_page
        lines = [page.park, page.title, page.basis, page.date, page.provenance]
        lines += self._lines(self._all())
        lines.append(self.appendix.title)
        lines += self._lines(self.quality.walk())
        return "\n".join(lines)

    @staticmethod
    def _lines(sections: Iterable[Section]) -> list[str]:
        lines: list[str] = []
        for section in sections:
            lines.append(section.title)
            for block in section.blocks:
                if isinstance(block, Figure):
                    lines.append(block.caption)
                else:
                    lines.append(f"{block.lead}{' ' if block.lead else ''}{block.text}")
        return lines

    def _all(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()


@dataclasses.dataclass(frozen=True)
class Facts:
    """What the report is written from."""

    evaluation: Evaluation
    verification: Verification
    gaps: tuple[Gap, ...]
    sensitivity: tuple[tuple[int, InputChange], ...]
    history: dict[int, Evaluation]  # the other years with data (after the base year, before t)
    quality: tuple[QualityFinding, ...] = ()  # data-quality findings touching an indicator



def paragraph(lang: str, text: str, lead: str = "",
              kind: Literal["body", "item", "note"] = "body") -> Paragraph:
    """A paragraph; Chinese text gets Chinese spacing (`wording.tidy`)."""
    return Paragraph(tidy(text) if lang != "en" else text, lead, kind)


def items(texts: Iterable[str], none: str, lang: str) -> Iterator[Paragraph]:
    """A numbered list ("1. …"), or the paragraph `none` when there is nothing to list: a
    section is never silently empty."""
    found = False
    for index, text in enumerate(texts, start=1):
        found = True
        yield paragraph(lang, f"{index}. {text}", kind="item")
    if not found:
        yield paragraph(lang, none)


def nums(numbers: Iterable[int], lang: str) -> str:
    return pick(lang, "、", ", ").join(str(n) for n in numbers)
