"""Coordination analysis (SPEC §5): circles, gaps, metrics, finding each other, the helper network."""

from graph.analysis.gaps import GAP_TYPES, SEVERITY, Gap
from graph.analysis.report import SCHEMA, Analysis, analyse, analyse_parts, analyse_stored, to_json

__all__ = [
    "GAP_TYPES",
    "SCHEMA",
    "SEVERITY",
    "Analysis",
    "Gap",
    "analyse",
    "analyse_parts",
    "analyse_stored",
    "to_json",
]
