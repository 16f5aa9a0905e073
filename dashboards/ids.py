"""Component ids, in one place, and which of them carry resident-level data."""

# shell
URL = "url"
SNAPSHOT = "snapshot-select"
AREA = "neighbourhood-select"
LANGUAGE = "language-switch"
LANGUAGE_SINK = "language-sink"
#: the header's snapshot and neighbourhood selects together (hidden on pages with their own)
HEADER_PICKERS = "header-pickers"

# overview
OVERVIEW_CONTENT = "overview-content"
#: where a click on a bar of the overview's charts opens what it counts (team role)
OVERVIEW_GO = "overview-go"
#: the overview's two charts, whose bars open what they count
OVERVIEW_GAPS = "gaps-by-type"
OVERVIEW_COVERAGE = "coverage-distribution"

# residents
RESIDENTS_SEARCH = "residents-search"
RESIDENTS_GRID = "residents-grid"
RESIDENTS_COUNT = "residents-count"
#: the residents table's filter from the address (a gap type, a band of coverage or a pair of
#: groups: dashboards.drilldown)
RESIDENTS_FILTER = "residents-filter"
#: where Enter on a row of the residents grid opens the resident's circle
RESIDENTS_OPEN = "residents-open"

# resident circle
CIRCLE_RESIDENT = "circle-resident-id"
CIRCLE_CONTENT = "circle-content"
CIRCLE_PRINT = "circle-print"
CIRCLE_PRINT_SINK = "circle-print-sink"

# agenda
AGENDA_SINCE = "agenda-since"
AGENDA_CONTENT = "agenda-content"
AGENDA_PRINT = "agenda-print"
AGENDA_MORE = "agenda-more"
AGENDA_SHOWN = "agenda-shown"

# overlaps
OVERLAPS_TYPE = "overlaps-type"
OVERLAPS_DOMAIN = "overlaps-domain"
OVERLAPS_GRID = "overlaps-grid"
OVERLAPS_COUNT = "overlaps-count"
OVERLAPS_EXPORT = "overlaps-export"
OVERLAPS_DOWNLOAD = "overlaps-download"

# collaboration
COLLAB_CONTENT = "collaboration-content"
COLLAB_NETWORK = "collaboration-network"
COLLAB_SINCE = "collaboration-since"
COLLAB_COMPARISON = "collaboration-comparison-content"
#: the organisation heat map, whose team cells open what they count, and where a click opens it
COLLAB_HEATMAP = "organisation-heatmap"
COLLAB_GO = "collaboration-go"

# trends
TRENDS_PILOT = "trends-pilot"
TRENDS_CONTENT = "trends-content"
TRENDS_CONTROLS = "trends-controls"
TRENDS_FROM = "trends-from"
TRENDS_TO = "trends-to"

# data quality
QUALITY_CONTENT = "quality-content"

#: Outputs that hold data about individual residents or helpers: a policy session's
#: request for any of them is refused before the callback runs.
RESIDENT_LEVEL = frozenset(
    {
        RESIDENTS_GRID,
        RESIDENTS_COUNT,
        RESIDENTS_OPEN,
        CIRCLE_CONTENT,
        CIRCLE_PRINT,
        OVERLAPS_GRID,
        OVERLAPS_COUNT,
        OVERLAPS_DOWNLOAD,
        COLLAB_NETWORK,
        AGENDA_SINCE,
        AGENDA_CONTENT,
        AGENDA_PRINT,
        AGENDA_SHOWN,
    }
)
