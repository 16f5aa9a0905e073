"""The one exception tree of carecircle, and the messages of the store's troubles."""

__all__ = ["STORE_MESSAGES", "CarecircleError", "IngestError", "StoreError"]


class CarecircleError(Exception):
    """Root of every error carecircle raises on purpose.

    Its message is meant for the user: it never holds a raw BSN or a Python traceback.
    """

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` ("en" or "nl"); the text it was raised with unless a subclass
        knows the message in both languages.

        Examples
        --------
        >>> CarecircleError("nowhere: not a dataset").message("nl")
        'nowhere: not a dataset'
        """
        return str(self)


class IngestError(CarecircleError):
    """A dataset cannot be read at all (a file-level problem, SPEC §4)."""


#: code -> (English template, Dutch template) of a store's troubles (SPEC §4, §7)
STORE_MESSAGES: dict[str, tuple[str, str]] = {
    "missing": (
        "{path}: no store here; run carecircle ingest first",
        "{path}: hier is geen opslag; voer eerst carecircle ingest uit",
    ),
    "empty": (
        "{path}: the store holds no snapshot; run carecircle ingest first",
        "{path}: de opslag bevat nog geen peildatum; voer eerst carecircle ingest uit",
    ),
    "no_snapshot": (
        "{path}: no snapshot of {as_of}; stored: {stored}",
        "{path}: geen peildatum {as_of}; opgeslagen: {stored}",
    ),
    "not_a_store": (
        "{path}: not a carecircle store ({detail}); if it was one, it is damaged: restore it from a backup",
        "{path}: geen carecircle-opslag ({detail}); als het er een was, is hij beschadigd:"
        " zet een reservekopie terug",
    ),
    "format": (
        "{path}: store format {found}, this carecircle reads {expected}",
        "{path}: opslagformaat {found}, deze carecircle leest {expected}",
    ),
    "damaged": (
        "the store {path} is damaged ({detail}): restore it from a backup",
        "de opslag {path} is beschadigd ({detail}): zet een reservekopie terug",
    ),
    "locked": (
        "the store {path} is locked: another program (another carecircle ingest?) has been writing to it"
        " for {seconds} s; wait until it has finished and try again",
        "de opslag {path} is vergrendeld: een ander programma (nog een carecircle ingest?) schrijft er al"
        " {seconds} s in; wacht tot het klaar is en probeer het opnieuw",
    ),
    "read_only": (
        "cannot write the store {path}: the file or its folder is read-only; make both writable for this"
        " user, or choose another store with --store",
        "kan de opslag {path} niet schrijven: het bestand of de map is alleen-lezen; maak ze schrijfbaar"
        " voor deze gebruiker of kies een andere opslag met --store",
    ),
    "disk_full": (
        "the disk holding {path} is full; free space and try again",
        "de schijf met {path} is vol; maak ruimte vrij en probeer het opnieuw",
    ),
    "disk_error": (
        "the disk holding {path} reported an error ({detail}); check the disk and try again",
        "de schijf met {path} meldt een fout ({detail}); controleer de schijf en probeer het opnieuw",
    ),
    "cannot_open": (
        "cannot open the store {path} ({detail}); check that it exists and that this user may read it",
        "kan de opslag {path} niet openen ({detail}); controleer of hij bestaat en of deze gebruiker hem"
        " mag lezen",
    ),
    "failed": (
        "the store {path} cannot be used ({detail})",
        "de opslag {path} is onbruikbaar ({detail})",
    ),
    "sqlite_uri": (
        "{path}: write sqlite:///PATH (three slashes, then the path)",
        "{path}: schrijf sqlite:///PAD (drie schuine strepen, dan het pad)",
    ),
    "unknown_uri": (
        "{path}: unknown store URI; use a file path or sqlite:///PATH",
        "{path}: onbekende opslag-URI; gebruik een bestandspad of sqlite:///PAD",
    ),
    "no_password": (
        "{path}: set NEO4J_PASSWORD (and NEO4J_USERNAME) to reach the Neo4j server",
        "{path}: zet NEO4J_PASSWORD (en NEO4J_USERNAME) om de Neo4j-server te bereiken",
    ),
    "busy_timeout": (
        "CARECIRCLE_BUSY_TIMEOUT must be a number of seconds of 0 or more, found {found!r}",
        "CARECIRCLE_BUSY_TIMEOUT moet een aantal seconden zijn (0 of meer), gevonden {found!r}",
    ),
}


class StoreError(CarecircleError):
    """A store cannot be opened, read or written.

    Raised with a ``code`` of :data:`STORE_MESSAGES` and the template's values (``path``: the
    store's file or URI), so that a caller can tell the troubles apart (``"damaged"`` from
    ``"empty"``) and show the message in the user's language; ``str()`` gives it in English.
    The Neo4j store's errors are raised with an English text and no code.

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
        self.params = params
        super().__init__(text if code is None else self.message("en"))

    def message(self, lang: str = "en") -> str:
        """The message in ``lang`` ("en" or "nl")."""
        if self.code is None:
            return str(self)
        english, dutch = STORE_MESSAGES[self.code]
        return (dutch if lang == "nl" else english).format(**self.params)
