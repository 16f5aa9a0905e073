"""The frame around every page: header with snapshot, neighbourhood and language, and navigation."""

import dash
import dash_mantine_components as dmc
from dash import dcc, html

from dashboards import ids
from graph.language import N_, translate
from graph.stores import SnapshotInfo

__all__ = [
    "MAIN_CONTENT",
    "NAVIGATION",
    "OWN_CONTROLS",
    "ROLE_NAMES",
    "logout_control",
    "shell",
    "skip_link",
    "snapshot_options",
]

#: (path, the link's id after "nav-", its text, visible to the policy role)
NAVIGATION = (
    ("/", "overview", N_("Overview"), True),
    ("/residents", "residents", N_("Residents"), False),
    ("/agenda", "agenda", N_("Team agenda"), False),
    ("/overlaps", "overlaps", N_("Overlaps and needs"), False),
    ("/collaboration", "collaboration", N_("Finding each other"), True),
    ("/trends", "trends", N_("Trends"), True),
    ("/data-quality", "quality", N_("Data quality"), True),
)
#: the pages with controls of their own, where the header's snapshot and neighbourhood selects
#: would do nothing: hidden there
OWN_CONTROLS = ("/trends",)
#: the id of the page's own content, where the skip link takes the focus
MAIN_CONTENT = "main-content"
#: what the header calls each role
ROLE_NAMES = {"team": N_("district team"), "policy": N_("policy")}

THEME = {
    "primaryColor": "indigo",
    "fontFamily": "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif",
    "defaultRadius": "md",
    # WCAG AA contrast (4.5:1) for text on Mantine's colours: filled colours one shade darker than
    # Mantine's 6 (white on indigo.8 5.7:1, on red.8 4.5:1), and dark text on the light ones
    # (autoContrast: black on orange.8 5.9:1, on yellow.8 8.5:1); dimmed text and the light
    # variants' text are darkened in assets/carecircle.css
    "primaryShade": 8,
    "autoContrast": True,
    "luminanceThreshold": 0.2,
}


def snapshot_options(catalogue: list[SnapshotInfo]) -> list[dict]:
    """The snapshot select's options, newest first.

    Examples
    --------
    >>> from datetime import date
    >>> snapshot_options([SnapshotInfo(date(2024, 6, 1), "Almere", "2024-06-02T10:00:00", {})])
    [{'value': '2024-06-01', 'label': '2024-06-01 · Almere'}]
    """
    return [
        {"value": info.as_of.isoformat(), "label": f"{info.as_of.isoformat()} · {info.name}"}
        for info in reversed(catalogue)
    ]


def logout_control(user: str, csrf: str, lang: str) -> html.Form:
    """The header's logout: a form posting the session's token (Flask-WTF's) to /logout, its button
    looking like a link.

    A POST with the token, so that another site can neither log the user out nor in.

    Examples
    --------
    >>> form = logout_control("anna", "t0ken", "en")
    >>> form.method, form.action, form.children[0].value, form.children[1].children
    ('post', '/logout', 't0ken', 'Log out (anna)')
    """
    return html.Form(
        [
            dcc.Input(type="hidden", name="csrf", value=csrf),
            dmc.Button(
                translate("Log out ({user})", lang, user=user),
                variant="subtle",
                c="indigo.8",  # 5.7:1 on white; the variant's own indigo.6 gives 4.3:1, below WCAG AA
                size="compact-sm",
                buttonProps={"type": "submit"},
            ),
        ],
        method="post",
        action="/logout",
    )


def skip_link(lang: str) -> html.A:
    """The first tab stop of every page: a link past the header and the navigation to the page's
    own content, out of sight until it has the focus.

    Examples
    --------
    >>> link = skip_link("nl")
    >>> link.children, link.href
    ('Naar de inhoud', '#main-content')
    """
    return html.A(translate("Skip to content", lang), href=f"#{MAIN_CONTENT}", className="skip-link")


def shell(
    catalogue: list[SnapshotInfo],
    *,
    lang: str,
    role: str,
    user: str | None,
    accounts: bool,
    csrf: str | None = None,
) -> dmc.MantineProvider:
    """The whole page frame with ``dash.page_container`` in the middle.

    The logout control shows with accounts, for a logged-in ``user``, carrying the session's
    form token ``csrf``.
    """
    options = snapshot_options(catalogue)
    header = dmc.Group(
        [
            dmc.Group(
                [
                    html.Img(src=dash.get_asset_url("logo.svg"), height=34, alt=""),
                    dmc.Stack(
                        [
                            dmc.Text("carecircle", fw=700, size="lg", lh=1),
                            dmc.Text(
                                translate("Who supports whom, and who knows whom", lang),
                                size="xs",
                                c="dimmed",
                                lh=1.2,
                            ),
                        ],
                        gap=2,
                    ),
                ],
                gap="sm",
                wrap="nowrap",
            ),
            dmc.Group(
                [
                    dmc.Group(
                        [
                            dmc.Select(
                                id=ids.SNAPSHOT,
                                label=translate("Snapshot", lang),
                                data=options,
                                value=options[0]["value"] if options else None,
                                allowDeselect=False,
                                persistence=True,
                                persistence_type="session",
                                w=280,
                                size="xs",
                            ),
                            dmc.Select(
                                id=ids.AREA,
                                label=translate("Neighbourhood", lang),
                                data=[],
                                placeholder=translate("All neighbourhoods", lang),
                                clearable=True,
                                searchable=True,
                                persistence=True,
                                persistence_type="session",
                                w=210,
                                size="xs",
                            ),
                        ],
                        gap="sm",
                        align="flex-start",
                        wrap="nowrap",
                        id=ids.HEADER_PICKERS,
                    ),
                    dmc.SegmentedControl(
                        id=ids.LANGUAGE,
                        data=[{"value": "nl", "label": "NL"}, {"value": "en", "label": "EN"}],
                        value=lang,
                        size="xs",
                        mt=18,
                        **{"aria-label": translate("Language", lang)},
                    ),
                    dmc.Badge(
                        translate("Role: {role}", lang, role=translate(ROLE_NAMES[role], lang)),
                        color="teal" if role == "team" else "grape",
                        variant="light",
                        mt=18,
                        id="role-badge",
                    ),
                    *(
                        [dmc.Box(logout_control(user, csrf, lang), mt=16)]
                        if accounts and user and csrf
                        else []
                    ),
                ],
                gap="sm",
                align="flex-start",
                className="no-print",
            ),
        ],
        justify="space-between",
        h="100%",
        px="md",
        wrap="nowrap",
    )
    navigation = [
        dmc.NavLink(
            label=translate(text, lang),
            href=path,
            active="exact" if path == "/" else "partial",
            id=f"nav-{name}",
        )
        for path, name, text, for_policy in NAVIGATION
        if for_policy or role == "team"
    ]
    return dmc.MantineProvider(
        dmc.AppShell(
            [
                skip_link(lang),
                dmc.AppShellHeader(header, className="no-print"),
                dmc.AppShellNavbar(navigation, p="xs", className="no-print"),
                dmc.AppShellMain(
                    [
                        # focusable by the skip link (tabIndex -1), not a tab stop of its own
                        html.Div(
                            dash.page_container, id=MAIN_CONTENT, tabIndex="-1", className="main-content"
                        ),
                        html.Div(id=ids.LANGUAGE_SINK, hidden=True),
                    ],
                    className="main",
                ),
            ],
            header={"height": 72},
            navbar={"width": 220, "breakpoint": "sm"},
            padding="md",
        ),
        theme=THEME,
    )
