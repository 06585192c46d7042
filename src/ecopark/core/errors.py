"""Every error ecopark raises, each carrying the place it is about.

The tree::

    EcoparkError                     root; `str()` is the zh-CN message, `.message("en")` English
    ├── InputFileError(file, problem)            missing/unreadable file, malformed YAML
    ├── FrameworkError(file, key_path, problem, hint)
    │   └── FormulaError(file, key_path, expression, position, problem, hint)
    ├── UnknownFramework(name, available)
    ├── PluginError(source, problem, hint)     a framework plugin that cannot be found or run
    ├── DatasetError(file, key_path, problem, hint)
    │   └── UnitError(file, key_path, value, from_unit, to_unit, hint)
    ├── DataFileError(file, key_path, problem, hint)  a coefficient, roll-up or quality-rule file
    ├── MissingCoefficient(coefficient, file, hint)   a coefficient no loaded file has (never a default)
    ├── WorkbookError(file, sheet, cell, problem, hint)    one problem in an xlsx/docx file
    │   └── DuplicateEnterprise(…, code, year, rows, names)  one credit code on two rows of a year
    ├── WorkbookProblems(file, problems)         all problems of one file, reported at once
    ├── UnknownIndicator(number, available)
    ├── MissingData(item, year, detail)          raised inside evaluation, reported as a status
    ├── StoreError(problem, hint)                the database: unreachable, wrong schema, not empty
    │   └── Conflict(problem, hint, kind, key)   exists already, or not allowed in its state
    ├── DatabaseBusy(waited, retry_after)        no lock or connection within the wait limit
    ├── NotFound(kind, key)                      no such park, park-year, user … (or not visible)
    ├── AuthError(reason)                        not signed in, wrong password, bad token
    ├── TooManyAttempts(user, ip, retry_after)   login rate limit reached
    ├── PermissionDenied(role, action, resource) signed in, but the role may not do this
    ├── InvalidValue(field, problem, hint)       a value the store refuses (role, password …)
    ├── PartialCoverage(where, coverage, hint)   a roll-up would replace park totals unconfirmed
    ├── StaleWrite(where, stale)                 a write based on a version that has changed since
    ├── PreconditionRequired(where)              a write that does not say which version it read
    ├── ImplausibleValue(findings, hint)         a write the data-quality rules stop (no reason given)
    └── SettingsError(setting, problem, hint)    unsafe or invalid settings (e.g. default secret)

Every class is a dataclass: its fields are the facts, the message is built from them, and the
error pickles (worker pools, caches) because `__reduce__` rebuilds it from its fields.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, ClassVar, Protocol

__all__ = [
    "AuthError",
    "Conflict",
    "DataFileError",
    "DatabaseBusy",
    "DatasetError",
    "DuplicateEnterprise",
    "EcoparkError",
    "FormulaError",
    "FrameworkError",
    "ImplausibleValue",
    "InputFileError",
    "InvalidValue",
    "MissingCoefficient",
    "MissingData",
    "NotFound",
    "PartialCoverage",
    "PermissionDenied",
    "PluginError",
    "PreconditionRequired",
    "SettingsError",
    "StaleWrite",
    "StoreError",
    "TooManyAttempts",
    "UnitError",
    "UnknownFramework",
    "UnknownIndicator",
    "WorkbookError",
    "WorkbookProblems",
]


def _rebuild(cls: type[EcoparkError], fields: dict[str, Any]) -> EcoparkError:
    return cls(**fields)


def _listed(lang: str, head_zh: str, head_en: str, lines: list[str], hint: str) -> str:
    """A message that heads a list of places, one per line, then the fix (errors that are
    about several values at once)."""
    en = lang == "en"
    listed = "\n".join(f"  - {line}" for line in lines)
    text = f"{head_en if en else head_zh}\n{listed}"
    return text + (("\nFix: " if en else "\n建议：") + hint if hint else "")


@dataclasses.dataclass(eq=False)
class EcoparkError(Exception):
    """Root of all ecopark errors. Subclasses define `_zh` and `_en` templates over their fields."""

    _zh: ClassVar[str] = "ecopark 错误"
    _en: ClassVar[str] = "ecopark error"

    def fields(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}

    def message(self, lang: str = "zh") -> str:
        template = self._en if lang == "en" else self._zh
        text = template.format(**self.fields())
        hint = getattr(self, "hint", "")
        if hint:
            text += ("。建议：" if lang != "en" else ". Fix: ") + hint
        return text

    def __str__(self) -> str:
        return self.message("zh")

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (type(self), self.fields()))


@dataclasses.dataclass(eq=False)
class InputFileError(EcoparkError):
    file: str
    problem: str
    hint: str = ""
    _zh: ClassVar[str] = "文件 {file}：{problem}"
    _en: ClassVar[str] = "file {file}: {problem}"


@dataclasses.dataclass(eq=False)
class FrameworkError(EcoparkError):
    file: str
    key_path: str
    problem: str
    hint: str = ""
    _zh: ClassVar[str] = "指标体系文件 {file} 的 {key_path}：{problem}"
    _en: ClassVar[str] = "framework file {file}, at {key_path}: {problem}"


@dataclasses.dataclass(eq=False)
class FormulaError(FrameworkError):
    expression: str = ""
    position: int = 0
    _zh: ClassVar[str] = (
        "指标体系文件 {file} 的 {key_path}：公式 “{expression}” 第 {position} 个字符处：{problem}"
    )
    _en: ClassVar[str] = (
        "framework file {file}, at {key_path}: formula '{expression}' at character {position}: "
        "{problem}"
    )


@dataclasses.dataclass(eq=False)
class UnknownFramework(EcoparkError):
    name: str
    available: str
    _zh: ClassVar[str] = "没有名为 “{name}” 的指标体系；可用：{available}"
    _en: ClassVar[str] = "no framework named '{name}'; available: {available}"


@dataclasses.dataclass(eq=False)
class PluginError(EcoparkError):
    """A framework plugin (an entry point or a framework directory) that cannot be used: it does
    not load, names no file, or gives a framework id another source gives too (`source` then
    names both)."""

    source: str
    problem: str
    hint: str = ""
    _zh: ClassVar[str] = "指标体系插件 {source}：{problem}"
    _en: ClassVar[str] = "framework plugin {source}: {problem}"


@dataclasses.dataclass(eq=False)
class DatasetError(EcoparkError):
    file: str
    key_path: str
    problem: str
    hint: str = ""
    _zh: ClassVar[str] = "数据文件 {file} 的 {key_path}：{problem}"
    _en: ClassVar[str] = "dataset {file}, at {key_path}: {problem}"


@dataclasses.dataclass(eq=False)
class UnitError(DatasetError):
    value: str = ""
    from_unit: str = ""
    to_unit: str = ""
    _zh: ClassVar[str] = (
        "数据文件 {file} 的 {key_path}：单位 “{from_unit}” 无法换算为 “{to_unit}”（{problem}）"
    )
    _en: ClassVar[str] = (
        "dataset {file}, at {key_path}: unit '{from_unit}' cannot be converted to '{to_unit}' "
        "({problem})"
    )


@dataclasses.dataclass(eq=False)
class UnknownIndicator(EcoparkError):
    number: str
    available: str
    _zh: ClassVar[str] = "没有序号为 {number} 的指标；可用序号：{available}"
    _en: ClassVar[str] = "no indicator numbered {number}; available: {available}"


@dataclasses.dataclass(eq=False)
class MissingData(EcoparkError):
    item: str
    year: int
    detail: str = ""
    detail_en: str = ""
    _zh: ClassVar[str] = "缺少数据：{item}（{year}年）{detail}"
    _en: ClassVar[str] = "missing data: {item} for {year} {detail_en}"


@dataclasses.dataclass(eq=False)
class DataFileError(EcoparkError):
    """One of ecopark's own data files other than a framework (a coefficient set, roll-up rules,
    data-quality rules) that does not validate; `key_path` points into the file."""

    file: str
    key_path: str
    problem: str
    hint: str = ""
    _zh: ClassVar[str] = "系数或规则文件 {file} 的 {key_path}：{problem}"
    _en: ClassVar[str] = "coefficient or rule file {file}, at {key_path}: {problem}"


@dataclasses.dataclass(eq=False)
class MissingCoefficient(EcoparkError):
    """A coefficient a computation needs is in no loaded file. Never replaced by a default:
    the message names the coefficient and the file to add it to."""

    coefficient: str
    file: str
    hint: str = ""
    _zh: ClassVar[str] = "缺少系数：{coefficient}；请在 {file} 中添加"
    _en: ClassVar[str] = "missing coefficient: {coefficient}; add it to {file}"


@dataclasses.dataclass(eq=False)
class WorkbookError(EcoparkError):
    """One problem in a workbook or Word file. `sheet` is a sheet name (or "表格N" for a Word
    table); `cell` an A1 reference (or "第R行第C列" in Word); empty when the whole file is meant."""

    file: str
    sheet: str
    cell: str
    problem: str
    hint: str = ""
    _zh: ClassVar[str] = "文件 {file}，工作表 {sheet}，单元格 {cell}：{problem}"
    _en: ClassVar[str] = "file {file}, sheet {sheet}, cell {cell}: {problem}"

    def message(self, lang: str = "zh") -> str:
        en = lang == "en"
        place = [f"file {self.file}" if en else f"文件 {self.file}"]
        if self.sheet:
            place.append(f"sheet {self.sheet}" if en else f"工作表 {self.sheet}")
        if self.cell:
            place.append(f"cell {self.cell}" if en else f"单元格 {self.cell}")
        text = (", " if en else "，").join(place) + (": " if en else "：") + self.problem
        if self.hint:
            text += (". Fix: " if en else "。建议：") + self.hint
        return text


@dataclasses.dataclass(eq=False)
class DuplicateEnterprise(WorkbookError):
    """One 统一社会信用代码 on more than one row of one year: the roll-up stops rather than sum
    the enterprise twice. `rows` and `names` list the rows and the names as written (、)."""

    code: str = ""
    year: int = 0
    rows: str = ""
    names: str = ""

    def message(self, lang: str = "zh") -> str:
        if lang == "en":
            text = (f"file {self.file}, sheet {self.sheet}, rows {self.rows}: credit code "
                    f"{self.code} appears on more than one row in {self.year} ({self.names}); "
                    "the roll-up stopped, nothing is counted twice")
        else:
            text = (f"文件 {self.file}，工作表 {self.sheet}，第 {self.rows} 行：统一社会信用代码 "
                    f"{self.code} 在 {self.year} 年出现不止一次（{self.names}），汇总已停止，不重复计算")
        if self.cell:
            text += f" ({self.cell})" if lang == "en" else f"（单元格 {self.cell}）"
        if self.problem:
            text += (": " if lang == "en" else "：") + self.problem
        if self.hint:
            text += (". Fix: " if lang == "en" else "。建议：") + self.hint
        return text


@dataclasses.dataclass(eq=False)
class WorkbookProblems(EcoparkError):
    """Every problem found in one file; nothing was imported."""

    file: str
    problems: list[WorkbookError]
    _zh: ClassVar[str] = "文件 {file} 有 {count} 处问题，未导入任何数据：\n{lines}"
    _en: ClassVar[str] = "file {file} has {count} problems; nothing was imported:\n{lines}"

    def message(self, lang: str = "zh") -> str:
        template = self._en if lang == "en" else self._zh
        lines = "\n".join(f"  - {p.message(lang)}" for p in self.problems)
        return template.format(file=self.file, count=len(self.problems), lines=lines)


@dataclasses.dataclass(eq=False)
class StoreError(EcoparkError):
    """A problem with the database itself (unreachable, schema not current, not empty …)."""

    problem: str
    hint: str = ""
    _zh: ClassVar[str] = "数据库：{problem}"
    _en: ClassVar[str] = "database: {problem}"


@dataclasses.dataclass(eq=False)
class DatabaseBusy(EcoparkError):
    """The database could not serve in time (another writer's lock, a statement past its
    timeout, no free connection): nothing was changed; the same request can be sent again."""

    waited: str
    retry_after: int
    _zh: ClassVar[str] = "数据库繁忙，已等待 {waited} 秒，未作任何更改；请 {retry_after} 秒后重试"
    _en: ClassVar[str] = ("the database is busy (waited {waited} s); nothing was changed; retry "
                          "in {retry_after} s")


@dataclasses.dataclass(eq=False)
class NotFound(EcoparkError):
    """No such thing, or one the caller may not see (never says which)."""

    kind: str
    key: str
    _zh: ClassVar[str] = "未找到 {kind}：{key}"
    _en: ClassVar[str] = "{kind} not found: {key}"


@dataclasses.dataclass(eq=False)
class Conflict(StoreError):
    """The thing exists already, or its state does not allow the change."""

    kind: str = ""
    key: str = ""
    _zh: ClassVar[str] = "{kind} {key}：{problem}"
    _en: ClassVar[str] = "{kind} {key}: {problem}"


@dataclasses.dataclass(eq=False)
class AuthError(EcoparkError):
    """Not signed in, a wrong name or password, an expired session or a revoked token."""

    reason: str
    _zh: ClassVar[str] = "身份验证失败：{reason}"
    _en: ClassVar[str] = "authentication failed: {reason}"


@dataclasses.dataclass(eq=False)
class TooManyAttempts(EcoparkError):
    """Too many failed logins for one user name from one address."""

    user: str
    ip: str
    retry_after: int
    _zh: ClassVar[str] = "用户 {user} 自 {ip} 登录失败次数过多，请 {retry_after} 秒后再试"
    _en: ClassVar[str] = "too many failed logins for {user} from {ip}; retry in {retry_after} s"


@dataclasses.dataclass(eq=False)
class PermissionDenied(EcoparkError):
    role: str
    action: str
    resource: str
    _zh: ClassVar[str] = "角色 {role} 无权 {action}：{resource}"
    _en: ClassVar[str] = "role {role} may not {action}: {resource}"


@dataclasses.dataclass(eq=False)
class SettingsError(EcoparkError):
    setting: str
    problem: str
    hint: str = ""
    _zh: ClassVar[str] = "设置 {setting}：{problem}"
    _en: ClassVar[str] = "setting {setting}: {problem}"


@dataclasses.dataclass(eq=False)
class PartialCoverage(EcoparkError):
    """A roll-up would replace park-stated totals while summing fewer enterprises than the park
    (or roster) knows: nothing was written; confirm to replace anyway. `coverage` holds one dict
    per item-year: item, year, enterprises (N), known (M), total (the roll-up), previous (the
    park-stated value) and share (total / previous, None without a previous value)."""

    where: str
    coverage: list[dict[str, Any]]
    hint: str = ""

    def message(self, lang: str = "zh") -> str:
        return _listed(lang, f"{self.where}：企业汇总未覆盖全部企业，替换园区填报的合计值须确认：",
                       f"{self.where}: the roll-up covers fewer enterprises than the park has; "
                       "replacing the park-stated totals needs confirmation:",
                       [self.line(c, lang) for c in self.coverage], self.hint)

    @staticmethod
    def line(entry: dict[str, Any], lang: str = "zh") -> str:
        """One item-year's coverage: N of M enterprises, their share of the previous total."""
        n, known, share = entry["enterprises"], entry["known"], entry.get("share")
        percent = f"{100 * n / known:.0f} %" if known else "—"
        part = "—" if share is None else f"{100 * share:.1f} %"
        previous = "—" if entry.get("previous") is None else f"{entry['previous']:.10g}"
        if lang == "en":
            return (f"{entry['item']} {entry['year']}: {n} of {known} enterprises ({percent}); "
                    f"their sum {entry['total']:.10g} is {part} of the previous total {previous}")
        return (f"{entry['item']} {entry['year']}：{n} / {known} 家企业（{percent}），其合计 "
                f"{entry['total']:.10g} 为原值 {previous} 的 {part}")


@dataclasses.dataclass(eq=False)
class InvalidValue(EcoparkError):
    """A value given to the store or the API that it refuses, naming the field."""

    field: str
    problem: str
    hint: str = ""
    _zh: ClassVar[str] = "{field}：{problem}"
    _en: ClassVar[str] = "{field}: {problem}"


@dataclasses.dataclass(eq=False)
class StaleWrite(EcoparkError):
    """A write based on versions that changed since they were read: nothing was written.
    `stale` holds one dict per value: item, year, yours (text and unit as sent, "" for none),
    current (text and unit now stored, "" for none), version (the current one), by and at (who
    changed it last, when, ISO 8601). Re-read and re-apply deliberately to write anyway."""

    where: str
    stale: list[dict[str, Any]]
    hint: str = "重新读取当前值，确认后再保存 re-read the current values and save again deliberately"

    def message(self, lang: str = "zh") -> str:
        return _listed(lang, f"{self.where}：读取之后已被他人修改，未保存：",
                       f"{self.where}: changed by someone else since you read it; nothing was "
                       "saved:", [self.line(s, lang) for s in self.stale], self.hint)

    @staticmethod
    def line(entry: dict[str, Any], lang: str = "zh") -> str:
        """One value: its name (the item's id when the name is not known), yours and now."""
        if lang == "en":
            name = entry.get("name_en") or entry["item"]
            return (f"{name} {entry['year']}: yours {entry['yours'] or '(none)'}, now "
                    f"{entry['current'] or '(none)'} (by {entry['by']}, {entry['at']})")
        name = entry.get("name_zh") or entry["item"]
        return (f"{name}（{entry['year']}年）：您的值 {entry['yours'] or '（无）'}，"
                f"当前值 {entry['current'] or '（无）'}（{entry['by']}，{entry['at']}）")


@dataclasses.dataclass(eq=False)
class PreconditionRequired(EcoparkError):
    """A write to a versioned value that does not say which version it was based on."""

    where: str
    hint: str = ("带上读取时的 ETag：If-Match: <ETag>；有意覆盖用 If-Match: * "
                 "send the ETag you read as If-Match, or If-Match: * to overwrite deliberately")
    _zh: ClassVar[str] = "{where}：写入须注明所依据的版本"
    _en: ClassVar[str] = "{where}: a write must say which version it is based on"


class _Finding(Protocol):
    """What an error needs of a data-quality finding (ecopark.core.quality.QualityFinding)."""

    @property
    def zh(self) -> str: ...
    @property
    def en(self) -> str: ...
    @property
    def fix_zh(self) -> str: ...
    @property
    def fix_en(self) -> str: ...


@dataclasses.dataclass(eq=False)
class ImplausibleValue(EcoparkError):
    """A write the data-quality rules stop: each error finding names the item, year, value, why
    and the likely fix. Nothing was written; correct the value, or confirm it with a reason
    (kept in the value's history) to save it anyway."""

    findings: Sequence[_Finding]
    hint: str = ("核对并更正数值；如数值确实无误，请填写理由后确认保存 correct the value, or confirm "
                 "it with a reason to save it anyway")

    def message(self, lang: str = "zh") -> str:
        return _listed(lang, f"{len(self.findings)} 处数值不合理，未保存：",
                       f"{len(self.findings)} implausible value(s); nothing was saved:",
                       [self.line(f, lang) for f in self.findings], self.hint)

    @staticmethod
    def line(finding: _Finding, lang: str = "zh") -> str:
        """One finding: why, then the likely fix."""
        if lang == "en":
            return finding.en + (f" (likely fix: {finding.fix_en})" if finding.fix_en else "")
        return finding.zh + (f"（可能的更正：{finding.fix_zh}）" if finding.fix_zh else "")
