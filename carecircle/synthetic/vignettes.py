"""The two seed vignettes: Mrs Piqué in Stedenwijk (ALTOO) and the six Emmen pilot clients."""

from datetime import date, timedelta

__all__ = ["emmen", "pique"]


def _ago(as_of: date, days: int | None) -> str:
    return "" if days is None else (as_of - timedelta(days=days)).isoformat()


def pique(as_of: date) -> dict[str, list[dict]]:
    """Mrs Piqué (84), Stedenwijk: district nurse, household help, volunteer and daughter.

    Her helpers partly know of each other: the daughter has the overview, the volunteer
    knows only the daughter, and daughter and household help both do household tasks
    without coordinating. Rows are dicts of cells by column name (a column left out is empty).
    """
    resident = "R-PIQUE"
    nurse, household, volunteer, daughter = (
        "H-PIQUE-NURSE",
        "H-PIQUE-HOUSEHOLD",
        "H-PIQUE-VOLUNTEER",
        "H-PIQUE-DAUGHTER",
    )
    # who is aware of whom, and how (in the order of the file)
    levels = [
        (nurse, household, "aware"),
        (household, nurse, "aware"),
        (nurse, daughter, "aware"),
        (daughter, nurse, "coordinating"),
        (daughter, household, "aware"),
        (household, daughter, "none"),
        (household, volunteer, "none"),
        (volunteer, daughter, "aware"),
        (daughter, volunteer, "aware"),
    ]
    # the daughter and the nurse agreed to be in touch every two weeks
    contacts = {(daughter, nurse): {"last_contact": _ago(as_of, 10), "contact_every_days": 14}}
    return {
        "organisations": [
            {"organisation_id": "ORG-ZORGGROEP-ALMERE", "name": "Zorggroep Almere", "type": "provider"},
            {"organisation_id": "ORG-THUISHULP-ALMERE", "name": "Thuishulp Almere", "type": "main_provider"},
        ],
        "residents": [
            {
                "resident_id": resident,
                "neighbourhood": "Stedenwijk",
                "name": "Mevrouw Piqué",
                "birth_year": as_of.year - 84,
                "lives_alone": "true",
                "needs": "administration|chores|household|nursing|social_contact",
            }
        ],
        "helpers": [
            {
                "helper_id": nurse,
                "role": "district_nurse",
                "name": "Anouk de Wit",
                "organisation_id": "ORG-ZORGGROEP-ALMERE",
            },
            {
                "helper_id": household,
                "role": "household_help",
                "name": "Samira El Idrissi",
                "organisation_id": "ORG-THUISHULP-ALMERE",
            },
            {"helper_id": volunteer, "role": "volunteer", "name": "Kees Bakker"},
            {"helper_id": daughter, "role": "informal_caregiver", "name": "Marie Piqué", "relation": "child"},
        ],
        "support": [
            _support(nurse, resident, domains="nursing", hours="3.0", start=_ago(as_of, 400), funding="zvw"),
            _support(
                household, resident, domains="household", hours="3.0", start=_ago(as_of, 700), funding="wmo"
            ),
            _support(
                volunteer,
                resident,
                domains="administration|chores",
                hours="2.0",
                start=_ago(as_of, 200),
                funding="informal",
            ),
            _support(
                daughter,
                resident,
                domains="household|meals|social_contact",
                hours="6.0",
                start=_ago(as_of, 1500),
                funding="informal",
            ),
        ],
        "awareness": [
            {
                "helper_id": helper,
                "about_helper_id": about,
                "resident_id": resident,
                "level": level,
                **contacts.get((helper, about), {}),
                "observed_on": _ago(as_of, 3),
            }
            for helper, about, level in levels
        ],
    }


def _support(
    helper: str, resident: str, *, domains: str, hours: str, start: str, funding: str, delegated_by: str = ""
) -> dict:
    """The support row of ``helper`` for ``resident``, without an end date."""
    return {
        "helper_id": helper,
        "resident_id": resident,
        "domains": domains,
        "hours_per_week": hours,
        "start_date": start,
        "funding": funding,
        "delegated_by": delegated_by,
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


def emmen(as_of: date) -> dict[str, list[dict]]:
    """Six Emmen clients: Dokter Schoonmaak does household help plus one delegated light task.

    Each practical supporter (a household-support worker in the new role) sorts the mail
    (administration) on behalf of the client's ambulant supporter of Icare, who coaches
    them in a contact every 14 days (the pilot of February 2024).
    """
    observed = _ago(as_of, 3)
    cleaning, icare = {"organisation_id": "ORG-DOKTER-SCHOONMAAK"}, {"organisation_id": "ORG-ICARE"}
    tables: dict[str, list[dict]] = {
        "organisations": [
            {**cleaning, "name": "Dokter Schoonmaak", "type": "main_provider"},
            {**icare, "name": "Icare Thuisbegeleiding", "type": "provider"},
        ],
        "residents": [],
        "helpers": [
            {
                "helper_id": "H-EMMEN-PO-1",
                "role": "practical_supporter",
                "name": "Linda Veenstra",
                **cleaning,
            },
            {"helper_id": "H-EMMEN-PO-2", "role": "practical_supporter", "name": "Ilse Boer", **cleaning},
            {
                "helper_id": "H-EMMEN-PO-3",
                "role": "practical_supporter",
                "name": "Monique Wolters",
                **cleaning,
            },
            {"helper_id": "H-EMMEN-AB-1", "role": "ambulant_supporter", "name": "Erik Zwiers", **icare},
            {"helper_id": "H-EMMEN-AB-2", "role": "ambulant_supporter", "name": "Sanne Oosting", **icare},
        ],
        "support": [],
        "awareness": [],
    }
    for client, (po, ab, last_contact, agreed) in _EMMEN_CLIENTS.items():
        resident, supporter, coach = f"R-EMMEN-{client}", f"H-EMMEN-PO-{po}", f"H-EMMEN-AB-{ab}"
        tables["residents"].append(
            {
                "resident_id": resident,
                "neighbourhood": "Emmen-Centrum",
                "name": _EMMEN_NAMES[client - 1],
                "birth_year": as_of.year - 70 - client * 2,
                "lives_alone": "true" if client % 2 else "false",
                "needs": "administration|daily_structure|household",
            }
        )
        tables["support"] += [
            _support(
                supporter, resident, domains="household", hours="3.0", start=_ago(as_of, 365), funding="wmo"
            ),
            _support(
                supporter,
                resident,
                domains="administration",
                hours="0.5",
                start=_ago(as_of, 120),
                funding="wmo",
                delegated_by=coach,
            ),
            _support(
                coach, resident, domains="daily_structure", hours="2.0", start=_ago(as_of, 500), funding="wmo"
            ),
        ]
        level, every = ("coordinating", 14) if agreed else ("aware", "")
        for helper, about in ((supporter, coach), (coach, supporter)):
            tables["awareness"].append(
                {
                    "helper_id": helper,
                    "about_helper_id": about,
                    "resident_id": resident,
                    "level": level,
                    "last_contact": _ago(as_of, last_contact),
                    "contact_every_days": every,
                    "observed_on": observed,
                }
            )
    return tables
