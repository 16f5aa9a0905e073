"""Coordination analysis (SPEC §5): circles, gaps, metrics, finding each other, the helper network."""

from graph.analysis.agenda import AGENDA_SCHEMA, Agenda, AgendaItem, build_agenda
from graph.analysis.agenda_words import agenda_json
from graph.analysis.gaps import GAP_TYPES, SEVERITY, Gap
from graph.analysis.report import SCHEMA, Analysis, analyse, analyse_parts, analyse_stored, to_json

__all__ = [
    "AGENDA_SCHEMA",
    "GAP_TYPES",
    "SCHEMA",
    "SEVERITY",
    "Agenda",
    "AgendaItem",
    "Analysis",
    "Gap",
    "agenda_json",
    "analyse",
    "analyse_parts",
    "analyse_stored",
    "build_agenda",
    "to_json",
]
