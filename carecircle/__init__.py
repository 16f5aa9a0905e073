"""carecircle: who supports whom around residents living at home, and where coordination fails."""

__all__ = ["__version__"]

__version__ = "0.1.0"
