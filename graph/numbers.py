"""Numbers as people read them, in English or Dutch."""

__all__ = ["grouped"]


def grouped(number: int, lang: str = "en") -> str:
    """A whole number with its thousands grouped: 12,345 in English, 12.345 in Dutch.

    Examples
    --------
    >>> grouped(1048576), grouped(1048576, "nl")
    ('1,048,576', '1.048.576')
    """
    text = f"{number:,}"
    return text.replace(",", ".") if lang == "nl" else text
