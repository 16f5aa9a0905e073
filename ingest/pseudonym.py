"""BSN pseudonymisation: a keyed HMAC-SHA256, so a raw BSN never leaves the reader (SPEC §3)."""

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from graph.errors import CarecircleError
from graph.language import N_

__all__ = ["Pseudonymiser", "default_key_file"]

SECRET_VARIABLE = "CARECIRCLE_SECRET"
KEY_FILE_VARIABLE = "CARECIRCLE_KEY_FILE"


def default_key_file() -> Path:
    """Return where the key file lives: ``$CARECIRCLE_KEY_FILE`` or the user's config folder."""
    if os.environ.get(KEY_FILE_VARIABLE):
        return Path(os.environ[KEY_FILE_VARIABLE])
    config = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return config / "carecircle" / "secret.key"


class Pseudonymiser:
    """Replace BSNs with keyed pseudonyms that only link the same person within one key.

    Parameters
    ----------
    secret : bytes
        The HMAC key. Everyone who must link the same person across ingests uses one key.

    Examples
    --------
    >>> pseudonymise = Pseudonymiser(b"test key")
    >>> pseudonymise("111222333") == pseudonymise("111222333")
    True
    >>> "111222333" in pseudonymise("111222333")
    False
    """

    def __init__(self, secret: bytes) -> None:
        if not secret:
            raise CarecircleError(N_("the pseudonymisation secret is empty"))
        self._secret = secret

    def __call__(self, bsn: str) -> str:
        """Return the pseudonym of one BSN (hex, 32 characters)."""
        return hmac.digest(self._secret, bsn.encode("ascii"), hashlib.sha256).hex()[:32]

    def __repr__(self) -> str:
        return "Pseudonymiser(<secret hidden>)"

    @classmethod
    def from_environment(cls) -> "Pseudonymiser":
        """Use ``$CARECIRCLE_SECRET``, else the key file, creating it (mode 0600) on first use."""
        if os.environ.get(SECRET_VARIABLE):
            return cls(os.environ[SECRET_VARIABLE].encode("utf-8"))
        return cls(_load_or_create_key(default_key_file()))


def _load_or_create_key(path: Path) -> bytes:
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            return _load_or_create_key(path)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32) + "\n")
    try:
        key = path.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError) as error:
        raise CarecircleError(
            N_("cannot read the key file {path}: {reason}"), path=path, reason=error.strerror or error
        ) from None
    if not key:
        raise CarecircleError(N_("the key file {path} is empty"), path=path)
    return key.encode("ascii")
