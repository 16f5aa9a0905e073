"""The Network Canvas import's mapping file: each mistake is a file-level error naming file, table and key."""

import pytest

from ingest.catalogue import FileLevelError
from ingest.networkcanvas.mapping import load_mapping
from ingest.networkcanvas.pipeline import import_networkcanvas
from tests.networkcanvas_files import CARE_MAPPING, Alter, Interview, write_export


def load(tmp_path, text: str, lang: str = "en"):
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    return load_mapping(path, lang)


def refused(tmp_path, text: str, lang: str = "en") -> str:
    with pytest.raises(FileLevelError) as raised:
        load(tmp_path, text, lang)
    assert raised.value.problem.file == "mapping.toml"
    return str(raised.value)


def test_the_care_mapping_reads_with_canonical_codes_and_dutch_names(tmp_path):
    mapping = load(tmp_path, CARE_MAPPING)
    assert mapping.role_of("Support_worker") == "ambulant_supporter"  # "Support worker" in the mapping
    assert mapping.role_of("daughter") == "informal_caregiver"  # mantelzorger
    assert mapping.role_of("Neighbour") == "neighbour"  # buurman
    assert mapping.role_of("Hairdresser") is None
    assert mapping.domain_of("Personal_care") == "personal_care"
    assert mapping.domain_of("Meds") == "medication"  # medicatie
    assert mapping.edges == {"Knows": "aware", "WorksWith": "coordinating"}
    assert mapping.helpers.identity == "HelperCode"


@pytest.mark.parametrize(
    ("change", "in_message"),
    [
        (("[edges]", "[links]\nA = 'aware'\n[edges]"), "[links] cannot be used: no such table"),
        (('needs = "Needs"', 'needs = "Needs"\nage = "Age"'), "[ego] age cannot be used: no such key"),
        (('identity = "HelperCode"', 'identity = "HelperCode"\nrol = "Rol"'), "[helpers] rol cannot be used"),
        (
            ('Nurse = "district_nurse"', 'Nurse = "kapper"'),
            "[roles] Nurse cannot be used: unknown role 'kapper'",
        ),
        (
            ('WorksWith = "coordinating"', 'WorksWith = "close"'),
            "[edges] WorksWith cannot be used: unknown awareness",
        ),
        (
            ('resident_id = "ResidentID"\n', ""),
            "[ego] resident_id cannot be used: it is required and missing",
        ),
        (('node_type = "Person"\n', ""), "[helpers] node_type cannot be used: it is required and missing"),
        (
            ('neighbourhood = "Neighbourhood"', 'neighbourhood_for_all = "Haven"\nneighbourhood = "N"'),
            "[ego] cannot",
        ),
        (
            ('neighbourhood = "Neighbourhood"\n', ""),
            "give exactly one of neighbourhood, neighbourhood_for_all",
        ),
        (('role = "Role"', 'role = "Role"\nrole_for_all = "gp"'), "give exactly one of role, role_for_all"),
        (('role = "Role"\n', ""), "[helpers] cannot be used: give exactly one of role, role_for_all"),
        (('role = "Role"', 'role_for_all = "kapper"'), "[helpers] role_for_all cannot be used: unknown role"),
        (('name = "name"', "name = 3"), "[helpers] name cannot be used: expected a text in quotes"),
        (
            ('Daughter = "mantelzorger"', 'Daughter = "mantelzorger"\ndaughter = "gp"'),
            "the same option as Daughter",
        ),
        (("[ego]", "[ego\n"), "the mapping cannot be used: not valid TOML (line 1"),
    ],
)
def test_a_mistake_in_the_mapping_is_named(tmp_path, change, in_message):
    old, new = change
    assert old in CARE_MAPPING
    assert in_message in refused(tmp_path, CARE_MAPPING.replace(old, new, 1))


def test_role_for_all_and_neighbourhood_for_all_take_the_place_of_variables(tmp_path):
    text = CARE_MAPPING.replace('role = "Role"', 'role_for_all = "Vrijwilliger"').replace(
        'neighbourhood = "Neighbourhood"', 'neighbourhood_for_all = "Stedenwijk"'
    )
    mapping = load(tmp_path, text)
    assert (mapping.helpers.role, mapping.helpers.role_for_all) == (None, "volunteer")
    assert mapping.ego.neighbourhood_for_all == "Stedenwijk"


def test_a_missing_mapping_file_and_dutch_messages(tmp_path):
    with pytest.raises(FileLevelError) as raised:
        load_mapping(tmp_path / "absent.toml", "nl")
    assert str(raised.value) == "absent.toml: de koppeling is onbruikbaar: niets op die plek"
    message = refused(tmp_path, CARE_MAPPING.replace('Nurse = "district_nurse"', 'Nurse = "kapper"'), "nl")
    assert "[roles] Nurse in de koppeling is onbruikbaar: onbekende rol 'kapper'" in message


def test_the_mapping_is_checked_before_the_export_is_read(tmp_path, monkeypatch):
    export = write_export(
        tmp_path / "export", [Interview("case_1", "s1", resident="R1", alters=[Alter("u")])]
    )
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(CARE_MAPPING.replace("[edges]", "[egdes]"))
    from ingest.networkcanvas import pipeline

    monkeypatch.setattr(pipeline, "open_export", lambda *a: pytest.fail("the export was read"))
    with pytest.raises(FileLevelError, match=r"\[egdes\]"):
        import_networkcanvas(export, mapping, tmp_path / "out")
    assert not (tmp_path / "out").exists()
