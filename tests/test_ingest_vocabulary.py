"""Every code and Dutch name of SPEC §2, and every header alias of SPEC §3, written out here."""

import pytest

from graph.vocabulary import (
    DOMAINS,
    FUNDING,
    LEVELS,
    ORGANISATION_TYPES,
    RELATIONS,
    ROLES,
    normalise_token,
    role_kind,
)
from ingest.schemas import FILES
from tests.datasets import BASE, ingest, write_dataset

# SPEC §2, role table: canonical -> (kind, Dutch names)
ROLE_TABLE = {
    "district_nurse": ("formal", ["wijkverpleegkundige", "wijkverpleging"]),
    "household_help": ("formal", ["huishoudelijke hulp", "huishoudelijk ondersteuner"]),
    "practical_supporter": ("formal", ["praktisch ondersteuner"]),
    "ambulant_supporter": ("formal", ["ambulant begeleider", "begeleider"]),
    "social_worker": ("formal", ["wijkteammedewerker", "maatschappelijk werker"]),
    "case_manager": ("formal", ["casemanager", "regisseur"]),
    "gp": ("formal", ["huisarts", "praktijkondersteuner", "poh"]),
    "other_formal": ("formal", []),
    "volunteer": ("informal", ["vrijwilliger"]),
    "neighbour": ("informal", ["buur", "buurvrouw", "buurman"]),
    "other_informal": ("informal", []),
    "informal_caregiver": ("caregiver", ["mantelzorger"]),
}
DOMAIN_TABLE = {
    "household": ["huishouden"],
    "personal_care": ["persoonlijke verzorging"],
    "nursing": ["verpleging"],
    "medication": ["medicatie"],
    "administration": ["administratie", "post", "financiën"],
    "daily_structure": ["dagstructuur", "begeleiding"],
    "social_contact": ["sociaal contact", "eenzaamheid"],
    "mobility": ["vervoer", "mobiliteit"],
    "chores": ["klussen"],
    "meals": ["maaltijden"],
    "caregiver_support": ["mantelzorgondersteuning"],
    # not in SPEC §2: support for which a Network Canvas interview records no task (SPEC §12 import)
    "unrecorded": ["niet vastgelegd"],
}
LEVEL_TABLE = {"none": ["geen"], "aware": ["weet"], "coordinating": ["stemt af"]}
FUNDING_TABLE = {
    "wmo": [],
    "zvw": [],
    "wlz": [],
    "jeugdwet": [],
    "informal": ["informeel"],
    "private": ["particulier"],
    "other": [],
}
RELATION_TABLE = {
    "partner": [],
    "child": ["kind"],
    "parent": ["ouder"],
    "sibling": ["broer", "zus"],
    "other_family": ["familie"],
    "friend": ["vriend"],
    "neighbour": ["buur"],
}
ORGANISATION_TYPE_TABLE = {
    "provider": ["aanbieder"],
    "main_provider": ["hoofdaanbieder"],
    "subcontractor": ["onderaannemer"],
    "volunteer_org": ["vrijwilligersorganisatie"],
    "municipality": ["gemeente"],
    "gp_practice": ["huisartsenpraktijk"],
    "other": [],
}
# SPEC §3, header aliases: canonical -> Dutch names
HEADER_TABLE = {
    "resident_id": ["client_id", "clientnummer", "bewoner_id"],
    "neighbourhood": ["wijk", "buurt"],
    "name": ["naam"],
    "birth_year": ["geboortejaar"],
    "lives_alone": ["woont_alleen"],
    "needs": ["behoeften"],
    "helper_id": ["hulpverlener_id"],
    "role": ["rol"],
    "organisation_id": ["organisatie_id"],
    "relation": ["relatie"],
    "type": ["soort"],
    "domains": ["domein", "domeinen", "taken"],
    "hours_per_week": ["uren_per_week"],
    "start_date": ["startdatum"],
    "end_date": ["einddatum"],
    "funding": ["financiering"],
    "delegated_by": ["gedelegeerd_door"],
    "about_helper_id": ["over_helper_id"],
    "level": ["niveau"],
    "last_contact": ["laatste_contact"],
    "contact_every_days": ["contact_elke_dagen"],
    "observed_on": ["waargenomen_op"],
}


def _variants(name: str) -> list[str]:
    """The same name in other case, spacing, hyphens and underscores."""
    spaced = name.replace("_", " ")
    return [name, name.upper(), f"  {spaced.title()} ", spaced.replace(" ", "-"), spaced.replace(" ", "_")]


def _cases(table: dict) -> list[tuple[str, str]]:
    return [
        (code, variant)
        for code, names in table.items()
        for name in [code, *names]
        for variant in _variants(name)
    ]


@pytest.mark.parametrize(("role", "written"), _cases({r: n for r, (_, n) in ROLE_TABLE.items()}))
def test_every_role_and_dutch_name(role, written):
    assert ROLES.lookup(written) == role
    assert role_kind(role) == ROLE_TABLE[role][0]


@pytest.mark.parametrize(
    ("vocabulary", "table"),
    [
        (DOMAINS, DOMAIN_TABLE),
        (LEVELS, LEVEL_TABLE),
        (FUNDING, FUNDING_TABLE),
        (RELATIONS, RELATION_TABLE),
        (ORGANISATION_TYPES, ORGANISATION_TYPE_TABLE),
        (ROLES, {r: n for r, (_, n) in ROLE_TABLE.items()}),
    ],
    ids=["domains", "levels", "funding", "relations", "organisation types", "roles"],
)
def test_every_code_and_dutch_name_of_each_vocabulary(vocabulary, table):
    assert set(vocabulary.codes) == set(table)
    for code, written in _cases(table):
        assert vocabulary.lookup(written) == code, written
    assert vocabulary.lookup("iets anders") is None


def test_normalise_treats_spaces_hyphens_and_underscores_alike():
    assert normalise_token(" Stemt-Af ") == normalise_token("stemt_af") == normalise_token("STEMT  AF")


@pytest.mark.parametrize(
    ("canonical", "alias"), [(c, a) for c, aliases in HEADER_TABLE.items() for a in aliases]
)
def test_every_header_alias_is_accepted_where_the_column_exists(canonical, alias):
    specs = [column for spec in FILES.values() for column in spec.columns if column.name == canonical]
    assert specs, canonical
    for column in specs:
        for variant in _variants(alias):
            assert column.matches(variant), (canonical, variant)


def _dutch_headers(text: str) -> str:
    header, rest = text.split("\n", 1)
    dutch = {c: aliases[-1] for c, aliases in HEADER_TABLE.items()}
    return ",".join(dutch.get(h, h) for h in header.split(",")) + "\n" + rest


def _dutch_codes(text: str) -> str:
    replacements = {
        "district_nurse": "Wijkverpleegkundige",
        "household_help": "huishoudelijke hulp",
        "informal_caregiver": "MANTELZORGER",
        "volunteer": "vrijwilliger",
        "main_provider": "hoofdaanbieder",
        "provider": "aanbieder",
        "child": "kind",
        "nursing": "verpleging",
        "household": "huishouden",
        "meals|social_contact": "maaltijden|sociaal contact",
        "administration": "post",
        "coordinating": "stemt af",
        "aware": "weet",
        "informal": "informeel",
        "true": "ja",
        "false": "nee",
    }
    for canonical, dutch in replacements.items():
        text = text.replace(f",{canonical},", f",{dutch},").replace(f",{canonical}\n", f",{dutch}\n")
    return text


def test_a_dataset_with_only_dutch_headers_and_codes_gives_the_same_snapshot(tmp_path):
    canonical = ingest(write_dataset(tmp_path / "canonical"))
    dutch_files = {
        name: _dutch_codes(_dutch_headers(text)) for name, text in BASE.items() if name.endswith(".csv")
    }
    assert dutch_files["helpers.csv"].startswith("hulpverlener_id,rol,naam,organisatie_id,relatie\n")
    assert "mantelzorger".upper() in dutch_files["helpers.csv"]
    dutch = ingest(write_dataset(tmp_path / "dutch", dutch_files))

    assert dutch.report.rejected == [] and dutch.report.warnings == []
    for table in ("organisations", "helpers", "residents", "support", "awareness"):
        assert dutch.snapshot.records(table) == canonical.snapshot.records(table), table
