"""The two seed vignettes: Mrs Piqué in Stedenwijk (ALTOO) and the six Emmen pilot clients."""

from datetime import date, timedelta

__all__ = ["emmen", "pique"]


def _ago(as_of: date, days: int | None) -> str:
    return "" if days is None else (as_of - timedelta(days=days)).isoformat()


def pique(as_of: date) -> dict[str, list[list]]:
    """Mrs Piqué (84), Stedenwijk: district nurse, household help, volunteer and daughter.

    Her helpers partly know of each other: the daughter has the overview, the volunteer
    knows only the daughter, and daughter and household help both do household tasks
    without coordinating.
    """
    observed = _ago(as_of, 3)
    return {
        "organisations": [
            ["ORG-ZORGGROEP-ALMERE", "Zorggroep Almere", "provider"],
            ["ORG-THUISHULP-ALMERE", "Thuishulp Almere", "main_provider"],
        ],
        "residents": [
            [
                "R-PIQUE",
                "Stedenwijk",
                "Mevrouw Piqué",
                "",
                as_of.year - 84,
                "true",
                "administration|chores|household|nursing|social_contact",
            ]
        ],
        "helpers": [
            ["H-PIQUE-NURSE", "district_nurse", "Anouk de Wit", "ORG-ZORGGROEP-ALMERE", ""],
            ["H-PIQUE-HOUSEHOLD", "household_help", "Samira El Idrissi", "ORG-THUISHULP-ALMERE", ""],
            ["H-PIQUE-VOLUNTEER", "volunteer", "Kees Bakker", "", ""],
            ["H-PIQUE-DAUGHTER", "informal_caregiver", "Marie Piqué", "", "child"],
        ],
        "support": [
            ["H-PIQUE-NURSE", "R-PIQUE", "nursing", "3.0", _ago(as_of, 400), "", "zvw", ""],
            ["H-PIQUE-HOUSEHOLD", "R-PIQUE", "household", "3.0", _ago(as_of, 700), "", "wmo", ""],
            [
                "H-PIQUE-VOLUNTEER",
                "R-PIQUE",
                "administration|chores",
                "2.0",
                _ago(as_of, 200),
                "",
                "informal",
                "",
            ],
            [
                "H-PIQUE-DAUGHTER",
                "R-PIQUE",
                "household|meals|social_contact",
                "6.0",
                _ago(as_of, 1500),
                "",
                "informal",
                "",
            ],
        ],
        "awareness": [
            ["H-PIQUE-NURSE", "H-PIQUE-HOUSEHOLD", "R-PIQUE", "aware", "", "", observed],
            ["H-PIQUE-HOUSEHOLD", "H-PIQUE-NURSE", "R-PIQUE", "aware", "", "", observed],
            ["H-PIQUE-NURSE", "H-PIQUE-DAUGHTER", "R-PIQUE", "aware", "", "", observed],
            ["H-PIQUE-DAUGHTER", "H-PIQUE-NURSE", "R-PIQUE", "coordinating", _ago(as_of, 10), 14, observed],
            ["H-PIQUE-DAUGHTER", "H-PIQUE-HOUSEHOLD", "R-PIQUE", "aware", "", "", observed],
            ["H-PIQUE-HOUSEHOLD", "H-PIQUE-DAUGHTER", "R-PIQUE", "none", "", "", observed],
            ["H-PIQUE-HOUSEHOLD", "H-PIQUE-VOLUNTEER", "R-PIQUE", "none", "", "", observed],
            ["H-PIQUE-VOLUNTEER", "H-PIQUE-DAUGHTER", "R-PIQUE", "aware", "", "", observed],
            ["H-PIQUE-DAUGHTER", "H-PIQUE-VOLUNTEER", "R-PIQUE", "aware", "", "", observed],
        ],
    }


# Emmen client -> (practical supporter, ambulant supporter, days since last contact or None,
# whether the pair has coordinating rows with contact every 14 days)
_EMMEN_CLIENTS = {
    1: (1, 1, 5, True),
    2: (2, 1, 20, True),
    3: (3, 1, 28, True),  # exactly 2 x 14 days: not yet stale
    4: (1, 2, 29, True),  # one day over: stale
    5: (2, 2, None, True),  # agreed contact, never recorded: stale
    6: (3, 2, None, False),  # aware of each other, no agreed contact at all
}
_EMMEN_NAMES = ("Jan Hoekstra", "Gerda Mulder", "Hendrik Bos", "Roelie Smit", "Albert Kuiper", "Jantje Dijk")


def emmen(as_of: date) -> dict[str, list[list]]:
    """Six Emmen clients: Dokter Schoonmaak does household help plus one delegated light task.

    Each practical supporter (a household-support worker in the new role) sorts the mail
    (administration) on behalf of the client's ambulant supporter of Icare, who coaches
    them in a contact every 14 days (the pilot of February 2024).
    """
    observed = _ago(as_of, 3)
    tables: dict[str, list[list]] = {
        "organisations": [
            ["ORG-DOKTER-SCHOONMAAK", "Dokter Schoonmaak", "main_provider"],
            ["ORG-ICARE", "Icare Thuisbegeleiding", "provider"],
        ],
        "residents": [],
        "helpers": [
            ["H-EMMEN-PO-1", "practical_supporter", "Linda Veenstra", "ORG-DOKTER-SCHOONMAAK", ""],
            ["H-EMMEN-PO-2", "practical_supporter", "Ilse Boer", "ORG-DOKTER-SCHOONMAAK", ""],
            ["H-EMMEN-PO-3", "practical_supporter", "Monique Wolters", "ORG-DOKTER-SCHOONMAAK", ""],
            ["H-EMMEN-AB-1", "ambulant_supporter", "Erik Zwiers", "ORG-ICARE", ""],
            ["H-EMMEN-AB-2", "ambulant_supporter", "Sanne Oosting", "ORG-ICARE", ""],
        ],
        "support": [],
        "awareness": [],
    }
    for client, (po, ab, last_contact, agreed) in _EMMEN_CLIENTS.items():
        resident, supporter, coach = f"R-EMMEN-{client}", f"H-EMMEN-PO-{po}", f"H-EMMEN-AB-{ab}"
        tables["residents"].append(
            [
                resident,
                "Emmen-Centrum",
                _EMMEN_NAMES[client - 1],
                "",
                as_of.year - 70 - client * 2,
                "true" if client % 2 else "false",
                "administration|daily_structure|household",
            ]
        )
        tables["support"] += [
            [supporter, resident, "household", "3.0", _ago(as_of, 365), "", "wmo", ""],
            [supporter, resident, "administration", "0.5", _ago(as_of, 120), "", "wmo", coach],
            [coach, resident, "daily_structure", "2.0", _ago(as_of, 500), "", "wmo", ""],
        ]
        level, every = ("coordinating", 14) if agreed else ("aware", "")
        for helper, about in ((supporter, coach), (coach, supporter)):
            tables["awareness"].append(
                [helper, about, resident, level, _ago(as_of, last_contact), every, observed]
            )
    return tables
