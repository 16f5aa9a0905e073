"""The mapping file of a Network Canvas import (SPEC §12): read and checked before any export file is read."""

import tomllib
from dataclasses import dataclass, field, fields
from pathlib import Path

from graph.language import translate
from graph.vocabulary import DOMAINS, LEVELS, ROLES, Vocabulary, normalise_token
from ingest.bsn import lower_keeping_mask, mask_bsns
from ingest.catalogue import CATALOGUE, FileLevelError, phrase, render

__all__ = ["EgoMapping", "HelperMapping", "Mapping", "domain_code", "load_mapping"]

_TABLES = ("ego", "helpers", "roles", "domains", "edges")
_REQUIRED = {"ego": ("resident_id",), "helpers": ("node_type",)}
#: pairs of keys of which exactly one is given
_ONE_OF = {"ego": ("neighbourhood", "neighbourhood_for_all"), "helpers": ("role", "role_for_all")}


@dataclass(frozen=True)
class EgoMapping:
    """``[ego]``: the ego variables that give the resident (``neighbourhood_for_all``: one fixed name)."""

    resident_id: str
    neighbourhood: str | None = None
    neighbourhood_for_all: str | None = None
    needs: str | None = None


@dataclass(frozen=True)
class HelperMapping:
    """``[helpers]``: the alters' node type and their variables (``role_for_all``: one role code for all)."""

    node_type: str
    role: str | None = None
    role_for_all: str | None = None
    domains: str | None = None
    name: str | None = None
    organisation: str | None = None
    hours_per_week: str | None = None
    identity: str | None = None


#: table -> its keys; the keys of [ego] and [helpers] are fixed (the fields of their mappings), those
#: of the others are options or types
_FIXED_KEYS: dict[str, tuple[str, ...]] = {
    "ego": tuple(f.name for f in fields(EgoMapping)),
    "helpers": tuple(f.name for f in fields(HelperMapping)),
}


@dataclass(frozen=True)
class Mapping:
    """A checked mapping: variables, and options and edge types with their canonical codes.

    ``roles`` and ``domains`` map an option as the mapping writes it to its code (an option of
    the export is matched as SPEC §2 matches codes); ``edges`` maps an edge type to its level.
    """

    file: str
    ego: EgoMapping
    helpers: HelperMapping
    roles: dict[str, str] = field(default_factory=dict)
    domains: dict[str, str] = field(default_factory=dict)
    edges: dict[str, str] = field(default_factory=dict)
    _index: dict[str, dict[str, str]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {
            table: {normalise_token(option): code for option, code in options.items()}
            for table, options in (("roles", self.roles), ("domains", self.domains))
        }
        object.__setattr__(self, "_index", index)

    def role_of(self, option: str) -> str | None:
        """The role code of a role option, or None when ``[roles]`` does not map it."""
        return self._index["roles"].get(normalise_token(option))

    def domain_of(self, option: str) -> str | None:
        """The domain of a domain or needs option, or None when ``[domains]`` does not map it."""
        return self._index["domains"].get(normalise_token(option))


def load_mapping(path: Path, lang: str = "en") -> Mapping:
    """Read and check the mapping file at ``path``.

    Roles, domains and levels are matched as SPEC §2 says (case, surrounding spaces, diacritics;
    spaces, hyphens and underscores alike), Dutch names accepted; so are the option names of
    ``[roles]`` and ``[domains]`` against the export's option columns. A domain SPEC §2 does not
    know is kept as written (lower-cased), as in a dataset.

    Raises
    ------
    FileLevelError
        On anything the mapping cannot mean: not TOML, an unknown table or key, a missing
        required key, both or neither of ``neighbourhood``/``neighbourhood_for_all`` or of
        ``role``/``role_for_all``, a value that is not text, a role or level SPEC §2 does not
        know, one option mapped twice. The message names the file, the table and the key.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "m.toml").write_text(
    ...     '[ego]\\nresident_id = "ResidentID"\\nneighbourhood_for_all = "Haven"\\n'
    ...     '[helpers]\\nnode_type = "Person"\\nrole = "Role"\\n'
    ...     '[roles]\\n"Support worker" = "Begeleider"\\n[edges]\\nWorksWith = "stemt af"\\n')
    >>> mapping = load_mapping(folder / "m.toml")
    >>> mapping.role_of("Support_worker"), mapping.edges
    ('ambulant_supporter', {'WorksWith': 'coordinating'})
    >>> _ = (folder / "m.toml").write_text('[ego]\\nresident_id = "R"\\n[helpers]\\nnode_type = "P"\\n')
    >>> try:
    ...     load_mapping(folder / "m.toml")
    ... except FileLevelError as error:
    ...     print(error.problem.message)
    the mapping's [ego] cannot be used: give exactly one of neighbourhood, neighbourhood_for_all
    """
    settings = _read_toml(path, lang)
    check = _Checker(path.name, lang)
    for table in settings:
        if table not in _TABLES:
            check.fail(f"[{table}]", phrase("mapping_unknown_table", lang, expected=", ".join(_TABLES)))
    ego = check.fixed_table(settings, "ego")
    helpers = check.fixed_table(settings, "helpers")
    if helpers.get("role_for_all") is not None:
        helpers["role_for_all"] = check.code(ROLES, "helpers", "role_for_all", helpers["role_for_all"])
    return Mapping(
        path.name,
        EgoMapping(**ego),
        HelperMapping(**helpers),
        roles=check.options(settings, "roles", ROLES),
        domains=check.options(settings, "domains", None),
        edges={kind: level for kind, level in check.codes(settings, "edges", LEVELS)},
    )


def _read_toml(path: Path, lang: str) -> dict:
    """The mapping file's TOML, or a file-level error saying why it cannot be read."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError:
        found = phrase("nothing_there" if not path.exists() else "other_kind", lang)
    except UnicodeDecodeError:
        found = phrase("not_utf8_toml", lang)
    except tomllib.TOMLDecodeError as error:
        where = str(error).rsplit("(at line ", 1)
        if len(where) == 2 and ", column " in where[1]:
            line, column = where[1].rstrip(")").split(", column ")
            found = phrase("not_toml_at", lang, line=line, column=column)
        else:
            found = phrase("not_toml", lang)
    raise FileLevelError(render("mapping_unusable", file=path.name, found=found, lang=lang))


class _Checker:
    """Checks the parts of one mapping file; each failure is a file-level error naming table and key."""

    def __init__(self, file: str, lang: str) -> None:
        self.file, self.lang = file, lang

    def fail(self, where: str, found: str) -> None:
        raise FileLevelError(render("bad_mapping", file=self.file, column=where, found=found, lang=self.lang))

    def table(self, settings: dict, table: str) -> dict:
        """The table ``table`` (empty when absent); its values must be texts."""
        values = settings.get(table, {})
        if not isinstance(values, dict):
            self.fail(f"[{table}]", phrase("mapping_not_text", self.lang))
        for key, value in values.items():
            if not isinstance(value, str) or not value.strip():
                self.fail(f"[{table}] {key}", phrase("mapping_not_text", self.lang))
        return {key: value.strip() for key, value in values.items()}

    def fixed_table(self, settings: dict, table: str) -> dict[str, str | None]:
        """``[ego]`` or ``[helpers]``: known keys only, the required ones, exactly one of the pair."""
        values = self.table(settings, table)
        keys = _FIXED_KEYS[table]
        for key in values:
            if key not in keys:
                self.fail(
                    f"[{table}] {key}", phrase("mapping_unknown_key", self.lang, expected=", ".join(keys))
                )
        for key in _REQUIRED[table]:
            if key not in values:
                self.fail(f"[{table}] {key}", phrase("mapping_missing", self.lang))
        pair = _ONE_OF[table]
        if sum(key in values for key in pair) != 1:
            self.fail(f"[{table}]", phrase("mapping_one_of", self.lang, keys=", ".join(pair)))
        return {key: values.get(key) for key in keys}

    def code(self, vocabulary: Vocabulary, table: str, key: str, value: str) -> str:
        """The canonical code of ``value`` in a closed ``vocabulary`` (roles, levels)."""
        code = vocabulary.lookup(value)
        if code is None:
            name = f"unknown_{vocabulary.name}"
            expected = ", ".join(vocabulary.codes)
            self.fail(
                f"[{table}] {key}", translate(CATALOGUE[name], self.lang, value=value, expected=expected)
            )
        return code

    def codes(self, settings: dict, table: str, vocabulary: Vocabulary | None) -> list[tuple[str, str]]:
        """(key, code) of each key of ``table``; an open table (domains) keeps an unknown code lower-cased."""
        found = []
        for key, value in self.table(settings, table).items():
            if vocabulary is not None:
                found.append((key, self.code(vocabulary, table, key, value)))
            else:
                found.append((key, domain_code(value)[0]))
        return found

    def options(self, settings: dict, table: str, vocabulary: Vocabulary | None) -> dict[str, str]:
        """``[roles]`` or ``[domains]``: option -> code; two options that match alike fail."""
        options: dict[str, str] = {}
        written: dict[str, str] = {}
        for key, code in self.codes(settings, table, vocabulary):
            token = normalise_token(key)
            if token in written:
                self.fail(f"[{table}] {key}", phrase("mapping_twice", self.lang, other=written[token]))
            options[key], written[token] = code, key
        return options


def domain_code(text: str) -> tuple[str, bool]:
    """The domain ``text`` names, and whether SPEC §2 knows it; an unknown one as written, lower-cased.

    A BSN in an unknown one is masked (:func:`~ingest.bsn.mask_bsns`).

    Examples
    --------
    >>> domain_code("Persoonlijke verzorging"), domain_code("  Tuin ")
    (('personal_care', True), ('tuin', False))
    """
    code = DOMAINS.lookup(text)
    if code is not None:
        return code, True
    return lower_keeping_mask(mask_bsns(text.strip())[0]), False
