"""A Network Canvas CSV export, from a folder or a zip: its interviews and their files, read as ingest does.

Network Canvas writes, per interview, ``<prefix>_ego.csv``, ``<prefix>_attributeList_<NodeType>.csv``
and ``<prefix>_edgeList_<EdgeType>.csv``, the prefix being ``<case id>_<session UUID>``; the files of
many interviews lie side by side. A zip's members are read in memory, never unpacked to disk, each
bounded as a CSV file is (:data:`~ingest.limits.MAX_FILE_BYTES`) and all of them together too.
"""

import re
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from ingest.archives import ZIP_TROUBLE, beyond_limits
from ingest.catalogue import FileLevelError, phrase, render
from ingest.limits import MAX_FILE_BYTES
from ingest.networkcanvas.columns import ExportTable
from ingest.networkcanvas.mapping import Mapping
from ingest.rawtable import RawTable
from ingest.readers import file_too_large, read_csv_bytes, read_csv_table

__all__ = [
    "ENDPOINTS",
    "Export",
    "ExportFile",
    "Interview",
    "InterviewTables",
    "open_export",
    "read_interviews",
]

_FILE_NAME = re.compile(
    r"(?P<prefix>.+?)_(?:ego|attributeList_(?P<node>.+)|edgeList_(?P<edge>.+))\.csv", re.I
)
#: how an edge list names its two nodes: by their UUIDs, else by their nodeIDs
ENDPOINTS = (("networkCanvasSourceUUID", "networkCanvasTargetUUID"), ("from", "to"))


@dataclass(frozen=True)
class ExportFile:
    """One CSV file of the export, read when asked (:meth:`read`)."""

    name: str
    reader: Callable[[], RawTable] = field(repr=False, compare=False)

    def read(self) -> RawTable:
        """The file as a :class:`~ingest.rawtable.RawTable` (lines as in the file, header = 1)."""
        return self.reader()


@dataclass
class Interview:
    """The files of one interview: its ego file, and attribute and edge lists by node and edge type."""

    prefix: str
    ego: ExportFile | None = None
    nodes: dict[str, ExportFile] = field(default_factory=dict)
    edges: dict[str, ExportFile] = field(default_factory=dict)


@dataclass
class Export:
    """The interviews of an export, in the order of their prefixes, the names of all files found, and
    the CSV files whose names are not Network Canvas's (not read)."""

    name: str
    interviews: list[Interview]
    found: list[str]
    unmatched: list[str] = field(default_factory=list)

    def node_types(self) -> list[str]:
        """Every node type of an attribute list, sorted."""
        return sorted({node for interview in self.interviews for node in interview.nodes})

    def edge_types(self) -> list[str]:
        """Every edge type of an edge list, sorted."""
        return sorted({edge for interview in self.interviews for edge in interview.edges})


@dataclass
class InterviewTables:
    """The files of one interview that the mapping uses, read: ego, the node type's, the edge types'."""

    prefix: str
    ego: ExportTable
    nodes: ExportTable | None
    edges: dict[str, ExportTable]


@contextmanager
def open_export(path: Path, lang: str = "en") -> Iterator[Export]:
    """Open the export at ``path`` (a folder, or a ``.zip``) and group its files by interview.

    A CSV file (by its extension) is grouped by the prefix before ``_ego.csv``,
    ``_attributeList_<NodeType>.csv`` or ``_edgeList_<EdgeType>.csv``; other files, and folders
    (in a zip: a member is known by its base name), are not read. The export's name is the
    folder's, or the zip's without ``.zip``.

    Raises
    ------
    FileLevelError
        ``not_an_export`` (neither, or a damaged zip), ``archive_too_large``, ``file_too_large``
        (one zip member), ``ambiguous_file`` (two zip members of one base name),
        ``no_interviews`` (no ego file at all), ``interview_without_ego``.
    """
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() == ".csv" and not p.is_dir())
        members = {p.name: _file_reader(p, lang) for p in files}
        yield _grouped(path.name, members, sorted(p.name for p in path.iterdir()), lang)
        return
    if path.is_file() and path.suffix.lower() == ".zip":
        with _zip(path, lang) as archive:
            members = _zip_members(archive, path.name, lang)
            found = sorted({PurePosixPath(info.filename).name for info in archive.infolist()} - {""})
            yield _grouped(path.stem, members, found, lang)
        return
    found = phrase("other_kind" if path.exists() else "nothing_there", lang)
    raise FileLevelError(render("not_an_export", file=str(path), found=found, lang=lang))


def _file_reader(path: Path, lang: str) -> Callable[[], RawTable]:
    return lambda: read_csv_table(path, lang=lang)


@contextmanager
def _zip(path: Path, lang: str) -> Iterator[zipfile.ZipFile]:
    try:
        archive = zipfile.ZipFile(path)
    except ZIP_TROUBLE as error:
        found = phrase("not_a_zip", lang, kind=type(error).__name__)
        raise FileLevelError(render("not_an_export", file=path.name, found=found, lang=lang)) from None
    with archive:
        yield archive


def _zip_members(archive: zipfile.ZipFile, name: str, lang: str) -> dict[str, Callable[[], RawTable]]:
    """The zip's CSV members by base name, each read in memory when asked; sizes checked first.

    The sizes are those the archive declares: Python's zipfile never unpacks more than them.
    """
    members: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        base = PurePosixPath(info.filename).name
        if info.is_dir() or not base.lower().endswith(".csv"):
            continue
        if base in members:
            found = f"'{members[base].filename}', '{info.filename}'"
            raise FileLevelError(render("ambiguous_file", file=base, expected=base, found=found, lang=lang))
        members[base] = info
    _refuse_bombs(list(members.values()), name, lang)
    return {base: _member_reader(archive, info, base, lang) for base, info in sorted(members.items())}


def _refuse_bombs(members: list[zipfile.ZipInfo], name: str, lang: str) -> None:
    """Refuse a member over :data:`~ingest.limits.MAX_FILE_BYTES`, the members together over it, or a
    member that unpacks to more than :data:`~ingest.limits.MAX_UNPACK_RATIO` times its packed size."""
    for info in members:
        if info.file_size > MAX_FILE_BYTES:
            raise FileLevelError(file_too_large(PurePosixPath(info.filename).name, info.file_size, lang))
    excess = beyond_limits(members, lang)
    if excess is not None:
        found, limits = excess
        raise FileLevelError(render("archive_too_large", file=name, found=found, expected=limits, lang=lang))


def _member_reader(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, base: str, lang: str
) -> Callable[[], RawTable]:
    def read() -> RawTable:
        try:
            data = archive.read(info)
        except ZIP_TROUBLE as error:
            found = phrase("not_a_zip", lang, kind=type(error).__name__)
            raise FileLevelError(render("not_a_table", file=base, found=found, lang=lang)) from None
        return read_csv_bytes(data, base, lang=lang)

    return read


def _grouped(name: str, members: dict[str, Callable[[], RawTable]], found: list[str], lang: str) -> Export:
    """The CSV files grouped by interview; an interview without ego file, or none at all, fails."""
    interviews: dict[str, Interview] = {}
    unmatched = []
    for base, reader in members.items():
        match = _FILE_NAME.fullmatch(base)
        if match is None:
            unmatched.append(base)
            continue
        interview = interviews.setdefault(match["prefix"], Interview(match["prefix"]))
        file = ExportFile(base, reader)
        if match["node"] is not None:
            interview.nodes[match["node"]] = file
        elif match["edge"] is not None:
            interview.edges[match["edge"]] = file
        else:
            interview.ego = file
    if not any(interview.ego is not None for interview in interviews.values()):
        shown = ", ".join(found) or phrase("nothing", lang)
        raise FileLevelError(render("no_interviews", file=name, found=shown, lang=lang))
    for prefix, interview in sorted(interviews.items()):
        if interview.ego is None:
            files = [*interview.nodes.values(), *interview.edges.values()]
            shown = ", ".join(file.name for file in files)
            problem = render(
                "interview_without_ego", file=files[0].name, value=prefix, found=shown, lang=lang
            )
            raise FileLevelError(problem)
    return Export(name, [interviews[prefix] for prefix in sorted(interviews)], found, unmatched)


def read_interviews(export: Export, mapping: Mapping, lang: str = "en") -> list[InterviewTables]:
    """Read the files each interview has of the mapping's node type and edge types, and its ego file.

    Raises
    ------
    FileLevelError
        ``missing_node_type`` when no interview has the mapped node type; ``missing_variable``,
        ``missing_options`` or ``missing_column`` when a file lacks a mapped variable or a
        column Network Canvas writes; whatever reading a CSV file raises.
    """
    node_type = mapping.helpers.node_type
    if node_type not in export.node_types():
        found = ", ".join(export.node_types()) or phrase("nothing", lang)
        first = export.interviews[0].ego.name
        raise FileLevelError(
            render("missing_node_type", file=export.name or first, value=node_type, found=found, lang=lang)
        )
    return [_read_interview(interview, mapping, lang) for interview in export.interviews]


def _read_interview(interview: Interview, mapping: Mapping, lang: str) -> InterviewTables:
    ego = ExportTable(interview.ego.read())
    _require(ego, (mapping.ego.resident_id, mapping.ego.neighbourhood), (mapping.ego.needs,), lang)
    nodes = None
    if mapping.helpers.node_type in interview.nodes:
        nodes = ExportTable(interview.nodes[mapping.helpers.node_type].read())
        nodes.require_column("networkCanvasUUID", lang)
        helpers = mapping.helpers
        plain = (helpers.name, helpers.organisation, helpers.hours_per_week, helpers.identity)
        _require(nodes, plain, (helpers.role, helpers.domains), lang)
    edges = {}
    for edge_type in mapping.edges:
        if edge_type in interview.edges:
            edges[edge_type] = table = ExportTable(interview.edges[edge_type].read())
            if not any(table.has(first) and table.has(second) for first, second in ENDPOINTS):
                table.require_column(
                    ENDPOINTS[0][0] if not table.has(ENDPOINTS[0][0]) else ENDPOINTS[0][1], lang
                )
    return InterviewTables(interview.prefix, ego, nodes, edges)


def _require(table: ExportTable, plain: tuple, categorical: tuple, lang: str) -> None:
    for variable in plain:
        if variable is not None:
            table.require(variable, lang=lang)
    for variable in categorical:
        if variable is not None:
            table.require(variable, categorical=True, lang=lang)
