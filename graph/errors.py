"""The one exception tree of carecircle, and the messages of the store's troubles."""

from graph.language import N_, decimal, translate

__all__ = ["STORE_MESSAGES", "CarecircleError", "IngestError", "StoreError"]


class CarecircleError(Exception):
    """Root of every error carecircle raises on purpose.

    Its message is meant for the user: it never holds a raw BSN or a Python traceback. It is
    raised with an English text, declared with :func:`~graph.language.N_` when the catalogues
    translate it, and the values of its ``{name}`` fields; ``str()`` gives it in English.

    Examples
    --------
    >>> error = CarecircleError(N_("the key file {path} is empty"), path="secret.key")
    >>> print(error)
    the key file secret.key is empty
    >>> print(error.message("nl"))
    het sleutelbestand secret.key is leeg
    """

    def __init__(self, text: str = "", /, **params: object) -> None:
        self.text, self.params = text, params
        super().__init__(self.message("en"))

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` ("en" or "nl"); a text the catalogues do not hold stays as raised.

        Examples
        --------
        >>> CarecircleError("nowhere: not a dataset").message("nl")
        'nowhere: not a dataset'
        """
        return translate(self.text, lang, **self.params)


class IngestError(CarecircleError):
    """A dataset cannot be read at all (a file-level problem, SPEC §4)."""


#: code -> English template of a store's troubles (SPEC §4, §7), translated by StoreError.message
STORE_MESSAGES: dict[str, str] = {
    "missing": N_("{path}: no store here; run carecircle ingest first"),
    "empty": N_("{path}: the store holds no snapshot; run carecircle ingest first"),
    "no_snapshot": N_("{path}: no snapshot of {as_of}; stored: {stored}"),
    "not_a_store": N_(
        "{path}: not a carecircle store ({detail}); if it was one, it is damaged: restore it from a backup"
    ),
    "format": N_("{path}: store format {found}, this carecircle reads {expected}"),
    "damaged": N_("the store {path} is damaged ({detail}): restore it from a backup"),
    "locked": N_(
        "the store {path} is locked: another program (another carecircle ingest?) has been "
        "writing to it for {seconds} s; wait until it has finished and try again"
    ),
    "read_only": N_(
        "cannot write the store {path}: the file or its folder is read-only; make both writable "
        "for this user, or choose another store with --store"
    ),
    "disk_full": N_("the disk holding {path} is full; free space and try again"),
    "disk_error": N_("the disk holding {path} reported an error ({detail}); check the disk and try again"),
    "cannot_open": N_(
        "cannot open the store {path} ({detail}); check that it exists and that this user may read it"
    ),
    "failed": N_("the store {path} cannot be used ({detail})"),
    "sqlite_uri": N_("{path}: write sqlite:///PATH (three slashes, then the path)"),
    "unknown_uri": N_("{path}: unknown store URI; use a file path or sqlite:///PATH"),
    "no_password": N_("{path}: set NEO4J_PASSWORD (and NEO4J_USERNAME) to reach the Neo4j server"),
    "busy_timeout": N_("CARECIRCLE_BUSY_TIMEOUT must be a number of seconds of 0 or more, found {found!r}"),
    "neo4j_address": N_("{path}: not a usable Neo4j address ({detail})"),
    "report_incomplete": N_("{path}: the report of {version} is incomplete"),
    "refused_user": N_("{path}: the server refused user {user!r}: check NEO4J_USERNAME and NEO4J_PASSWORD"),
    "unreachable": N_("{path}: cannot reach the Neo4j server ({detail})"),
    "no_database": N_("{path}: the server has no database {database!r}"),
    "server_said": N_("{path}: the server said {detail}"),
}


class StoreError(CarecircleError):
    """A store cannot be opened, read or written.

    Raised with a ``code`` of :data:`STORE_MESSAGES` and the template's values (``path``: the
    store's file or URI), so that a caller can tell the troubles apart (``"damaged"`` from
    ``"empty"``) and show the message in the user's language; ``str()`` gives it in English.
    An error with no words of its own to translate (a driver's message as it came) has a text and no code.

    Parameters
    ----------
    text : str, optional
        The message, for an error without a code.
    code : str, optional
        What went wrong, a key of :data:`STORE_MESSAGES`.
    **params
        The template's values.

    Examples
    --------
    >>> error = StoreError(code="disk_full", path="x.db")
    >>> error.code
    'disk_full'
    >>> print(error)
    the disk holding x.db is full; free space and try again
    >>> print(error.message("nl"))
    de schijf met x.db is vol; maak ruimte vrij en probeer het opnieuw
    >>> StoreError("bolt://db:7687: cannot reach the Neo4j server").code is None
    True
    """

    def __init__(self, text: str | None = None, *, code: str | None = None, **params: object) -> None:
        if (text is None) == (code is None):
            raise TypeError("give StoreError either a text or a code")
        self.code = code
        super().__init__(STORE_MESSAGES[code] if text is None else text, **params)

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` ("en" or "nl"); a number of seconds is written the language's way."""
        values = {
            name: decimal(value, lang, None) if isinstance(value, float) else value
            for name, value in self.params.items()
        }
        return translate(self.text, lang, **values)
