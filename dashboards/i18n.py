"""The dashboard's words in Dutch (the default) and English, and number formats for each."""

from graph.language import number as grouped

__all__ = ["COOKIE", "DEFAULT", "LANGUAGES", "current_language", "fmt_count", "fmt_share", "t"]

LANGUAGES = ("nl", "en")
DEFAULT = "nl"
COOKIE = "carecircle_lang"

# key -> (English, Dutch)
_TEXTS = {
    # shell
    "app.tagline": ("Who supports whom, and who knows whom", "Wie ondersteunt wie, en wie kent wie"),
    "nav.overview": ("Overview", "Overzicht"),
    "nav.residents": ("Residents", "Bewoners"),
    "nav.overlaps": ("Overlaps and needs", "Overlap en behoeften"),
    "nav.collaboration": ("Finding each other", "Elkaar vinden"),
    "nav.trends": ("Trends", "Trends"),
    "nav.quality": ("Data quality", "Datakwaliteit"),
    "shell.snapshot": ("Snapshot", "Peildatum"),
    "shell.neighbourhood": ("Neighbourhood", "Wijk"),
    "shell.all_neighbourhoods": ("All neighbourhoods", "Alle wijken"),
    "shell.role": ("Role", "Rol"),
    "role.team": ("district team", "wijkteam"),
    "role.policy": ("policy", "beleid"),
    "shell.logout": ("Log out", "Uitloggen"),
    "shell.language": ("Language", "Taal"),
    "empty.no_store.title": ("No data yet", "Nog geen gegevens"),
    "empty.no_store.text": (
        "This store holds no snapshot. Load a dataset with: carecircle ingest DATASET --store {store}",
        "Deze opslag bevat nog geen peildatum. "
        "Laad een dataset met: carecircle ingest DATASET --store {store}",
    ),
    "empty.no_rows": ("Nothing to show for this selection.", "Niets te tonen voor deze selectie."),
    "policy.unavailable.title": ("Not available in the policy role", "Niet beschikbaar in de rol beleid"),
    "policy.unavailable.text": (
        "This page shows individual residents; the policy role sees aggregated figures only.",
        "Deze pagina toont individuele bewoners; de rol beleid ziet alleen geaggregeerde cijfers.",
    ),
    "policy.suppressed": (
        "Counts from 1 to {k1} are shown as <{k}; shares over fewer than {k} items are left out.",
        "Aantallen van 1 tot en met {k1} staan als <{k}; aandelen over minder dan {k} items zijn weggelaten.",
    ),
    "not_found.title": ("Page not found", "Pagina niet gevonden"),
    "not_found.text": ("There is no page at this address.", "Op dit adres staat geen pagina."),
    "back.overview": ("Back to the overview", "Terug naar het overzicht"),
    # overview
    "overview.title": ("Overview", "Overzicht"),
    "kpi.residents": ("Residents", "Bewoners"),
    "kpi.residents_with_circle": ("With 2 or more helpers", "Met 2 of meer hulpverleners"),
    "kpi.coverage": ("Helpers who know each other", "Hulpverleners die elkaar kennen"),
    "kpi.coverage.help": (
        "Mean awareness coverage: share of helper pairs in a circle where one knows the other",
        "Gemiddelde bekendheid: aandeel van de paren hulpverleners in een kring waarvan de een de ander kent",
    ),
    "kpi.visibility": ("Caregivers seen by a professional", "Mantelzorgers in beeld bij een professional"),
    "kpi.with_gaps": ("Residents with a gap", "Bewoners met een knelpunt"),
    "kpi.helpers": ("Helpers", "Hulpverleners"),
    "overview.gaps_by_type": ("Gaps by type", "Knelpunten per soort"),
    "overview.coverage_distribution": (
        "How well the helpers of a resident know each other",
        "Hoe goed de hulpverleners van een bewoner elkaar kennen",
    ),
    "overview.coverage_axis": ("awareness coverage of the circle", "bekendheid binnen de kring"),
    "axis.residents": ("residents", "bewoners"),
    "axis.gaps": ("gaps", "knelpunten"),
    "axis.snapshot": ("snapshot", "peildatum"),
    # residents
    "residents.title": ("Residents", "Bewoners"),
    "residents.search": ("Search by id, name or neighbourhood", "Zoek op nummer, naam of wijk"),
    "col.resident_id": ("Resident", "Bewoner"),
    "col.name": ("Name", "Naam"),
    "col.neighbourhood": ("Neighbourhood", "Wijk"),
    "col.circle_size": ("Helpers", "Hulpverleners"),
    "col.formal": ("Formal", "Formeel"),
    "col.informal": ("Informal", "Informeel"),
    "col.caregivers": ("Caregivers", "Mantelzorgers"),
    "col.awareness_coverage": ("Coverage", "Bekendheid"),
    "col.gap_count": ("Gaps", "Knelpunten"),
    "col.high": ("High severity", "Ernstig"),
    "col.type": ("Gap", "Knelpunt"),
    "col.severity": ("Severity", "Ernst"),
    "col.helpers": ("Helpers", "Hulpverleners"),
    "col.domains": ("Domain", "Domein"),
    "col.message": ("What is wrong", "Wat er schort"),
    "col.action": ("Suggested action", "Voorgestelde actie"),
    "col.file": ("File", "Bestand"),
    "col.line": ("Line", "Regel"),
    "col.column": ("Column", "Kolom"),
    "col.code": ("Code", "Code"),
    "col.read": ("Read", "Gelezen"),
    "col.accepted": ("Accepted", "Opgenomen"),
    "col.rejected": ("Rejected", "Afgewezen"),
    "col.count": ("Count", "Aantal"),
    "col.group_a": ("Group", "Groep"),
    "col.group_b": ("Group", "Groep"),
    "col.cross_pairs": ("Pairs in a shared circle", "Paren in een gedeelde kring"),
    "col.aware_share": ("Know each other", "Kennen elkaar"),
    "col.mutual_share": ("Both ways", "Wederzijds"),
    "col.helper": ("Helper", "Hulpverlener"),
    "col.role": ("Role", "Rol"),
    "col.organisation": ("Organisation", "Organisatie"),
    "col.hours": ("Hours a week", "Uur per week"),
    "col.since": ("Since", "Sinds"),
    "col.until": ("Until", "Tot"),
    "col.betweenness": ("Betweenness", "Tussenpositie"),
    # resident circle
    "circle.title": ("Circle of support", "Kring van ondersteuning"),
    "circle.unknown": (
        "No resident {resident} in the snapshot of {as_of}.",
        "Geen bewoner {resident} op peildatum {as_of}.",
    ),
    "circle.print": ("Print for the team meeting", "Afdrukken voor het teamoverleg"),
    "circle.back": ("All residents", "Alle bewoners"),
    "circle.gaps": ("Gaps and suggested actions", "Knelpunten en voorgestelde acties"),
    "circle.no_gaps": (
        "No gaps: the helpers know of each other.",
        "Geen knelpunten: de hulpverleners weten van elkaar.",
    ),
    "circle.support": ("Who does what", "Wie doet wat"),
    "circle.empty": (
        "No helper supports this resident on this date.",
        "Geen hulpverlener ondersteunt deze bewoner op deze datum.",
    ),
    "circle.needs": ("Needs", "Behoeften"),
    "circle.lives_alone": ("lives alone", "woont alleen"),
    "circle.born": ("born {year}", "geboren {year}"),
    "circle.metrics": (
        "{size} helpers · coverage {coverage} · both ways {mutual}",
        "{size} hulpverleners · bekendheid {coverage} · wederzijds {mutual}",
    ),
    "legend.title": ("Legend", "Legenda"),
    "legend.resident": ("resident", "bewoner"),
    "legend.none": ("does not know (recorded)", "weet niet (vastgelegd)"),
    "legend.aware": ("knows of", "weet van"),
    "legend.coordinating": ("coordinates with", "stemt af met"),
    "legend.support": ("supports", "ondersteunt"),
    "legend.arrow": (
        "An arrow points from the helper who knows to the helper known.",
        "Een pijl wijst van wie weet naar over wie.",
    ),
    # overlaps
    "overlaps.title": ("Overlaps and unmet needs", "Overlap en onvervulde behoeften"),
    "overlaps.type": ("Show", "Toon"),
    "overlaps.both": ("Both", "Beide"),
    "overlaps.domain": ("Domain", "Domein"),
    "overlaps.all_domains": ("All domains", "Alle domeinen"),
    "export.csv": ("Export CSV", "Exporteer CSV"),
    # collaboration
    "collab.title": ("Finding each other", "Elkaar vinden"),
    "collab.heatmap": (
        "Share of pairs in a shared circle who know each other, between organisations",
        "Aandeel paren in een gedeelde kring dat elkaar kent, tussen organisaties",
    ),
    "collab.heatmap.hover": ("pairs in a shared circle", "paren in een gedeelde kring"),
    "collab.network": ("The helper network", "Het netwerk van hulpverleners"),
    "collab.network.help": (
        "Helpers are linked when one knows the other for any resident; "
        "brokers, who connect most others, are larger.",
        "Hulpverleners zijn verbonden als de een de ander kent bij een bewoner; "
        "makelaars, die de meeste anderen verbinden, zijn groter.",
    ),
    "collab.network.too_large": (
        "The network of all neighbourhoods is too large to draw; pick a neighbourhood.",
        "Het netwerk van alle wijken is te groot om te tekenen; kies een wijk.",
    ),
    "collab.brokers": ("Brokers", "Makelaars"),
    "collab.isolated": ("Isolated helpers", "Geïsoleerde hulpverleners"),
    "collab.isolated.help": (
        "In a circle of two or more, but linked to nobody.",
        "In een kring van twee of meer, maar met niemand verbonden.",
    ),
    "collab.stats": (
        "{helpers} helpers · {links} links · density {density} · {components} components",
        "{helpers} hulpverleners · {links} verbindingen · dichtheid {density} · {components} componenten",
    ),
    # trends
    "trends.title": ("Trends across snapshots", "Trends over peildata"),
    "trends.pilot": ("Pilot neighbourhood", "Pilotwijk"),
    "trends.rest": ("Other neighbourhoods", "Overige wijken"),
    "trends.coverage": ("Helpers who know each other", "Hulpverleners die elkaar kennen"),
    "trends.visibility": ("Caregivers seen by a professional", "Mantelzorgers in beeld"),
    "trends.gaps_per_resident": ("Gaps per resident", "Knelpunten per bewoner"),
    "trends.one_snapshot": (
        "Only one snapshot is stored; ingest another date to see change over time.",
        "Er is maar één peildatum opgeslagen; laad een andere datum om verandering te zien.",
    ),
    # data quality
    "quality.title": ("Data quality", "Datakwaliteit"),
    "quality.files": ("Files", "Bestanden"),
    "quality.rejected": ("Rejected rows", "Afgewezen rijen"),
    "quality.warnings": ("Warnings", "Waarschuwingen"),
    "quality.ignored": ("Ignored columns", "Genegeerde kolommen"),
    "quality.by_code": ("By code", "Per code"),
    "quality.none": ("None.", "Geen."),
    "quality.dataset": ("Dataset {name}, snapshot {as_of}", "Dataset {name}, peildatum {as_of}"),
    # data quality of large reports, the store's troubles, the cache (issue 12)
    "quality.counts": ("Rows per file and code", "Rijen per bestand en code"),
    "quality.examples": ("Examples", "Voorbeelden"),
    "quality.cut": (
        "{file}, {code}: showing the first {shown} of {total} rows with this code.",
        "{file}, {code}: de eerste {shown} van {total} rijen met deze code staan hieronder.",
    ),
    "store.trouble.title": ("The store cannot be read", "De opslag is niet te lezen"),
    "cache.setting": (
        "{variable} must be a number of megabytes above 0, found {found!r}",
        "{variable} moet een aantal megabytes boven 0 zijn, gevonden {found!r}",
    ),
    # login
    "login.title": ("Log in to carecircle", "Inloggen bij carecircle"),
    "login.user": ("User name", "Gebruikersnaam"),
    "login.password": ("Password", "Wachtwoord"),
    "login.submit": ("Log in", "Inloggen"),
    "login.failed": ("User name or password is wrong.", "Gebruikersnaam of wachtwoord klopt niet."),
    "login.throttled": (
        "Too many failed attempts. Try again in {seconds} seconds.",
        "Te veel mislukte pogingen. Probeer het over {seconds} seconden opnieuw.",
    ),
    "login.expired": (
        "The form expired; please try again.",
        "Het formulier is verlopen; probeer het opnieuw.",
    ),
    # sessions, logout and host names (dashboards/app.py)
    "login.ended": (
        "Your session has ended (logged out, not used for too long, the server restarted, or your"
        " account was changed). Please log in again.",
        "Uw sessie is beëindigd (uitgelogd, te lang niet gebruikt, de server is herstart, of uw account"
        " is gewijzigd). Log opnieuw in.",
    ),
    "logout.done": ("You are logged out.", "U bent uitgelogd."),
    "logout.title": ("Log out of carecircle", "Uitloggen bij carecircle"),
    "logout.signed_in": ("You are logged in as {user}.", "U bent ingelogd als {user}."),
    "logout.back": ("Back to the dashboard", "Terug naar het dashboard"),
    "host.refused": (
        "carecircle does not answer to the host name {host}. If this is the address of the dashboard,"
        " an administrator adds it to CARECIRCLE_ALLOWED_HOSTS and restarts carecircle serve.",
        "carecircle beantwoordt geen verzoeken voor de hostnaam {host}. Is dit het adres van het"
        " dashboard, dan voegt een beheerder het toe aan CARECIRCLE_ALLOWED_HOSTS en start carecircle"
        " serve opnieuw.",
    ),
}


def t(key: str, lang: str = DEFAULT, **values: object) -> str:
    """The text ``key`` in ``lang`` (nl or en), with ``values`` filled in.

    Examples
    --------
    >>> t("nav.residents", "nl"), t("nav.residents", "en")
    ('Bewoners', 'Residents')
    """
    english, dutch = _TEXTS[key]
    text = dutch if lang == "nl" else english
    return text.format(**values) if values else text


def current_language() -> str:
    """The language of the current request: the language cookie, else Dutch."""
    from flask import has_request_context, request

    if not has_request_context():
        return DEFAULT
    value = request.cookies.get(COOKIE, DEFAULT)
    return value if value in LANGUAGES else DEFAULT


def fmt_count(value: object, lang: str = DEFAULT) -> str:
    """A count for people: thousands grouped the Dutch or English way; ``"<5"`` and None kept readable.

    Examples
    --------
    >>> fmt_count(12345, "nl"), fmt_count(12345, "en"), fmt_count("<5"), fmt_count(None)
    ('12.345', '12,345', '<5', '–')
    """
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return grouped(value, lang)


def fmt_share(value: float | None, lang: str = DEFAULT) -> str:
    """A share between 0 and 1 as a whole percentage; None (not known or suppressed) as a dash.

    Examples
    --------
    >>> fmt_share(0.5634), fmt_share(None)
    ('56%', '–')
    """
    if value is None:
        return "–"
    return f"{round(100 * value)}%"
