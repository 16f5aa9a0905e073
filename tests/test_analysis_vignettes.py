"""The two seed vignettes, with their gaps written out by hand (docs/SYNTHETIC_DATA.md)."""

from datetime import date

import pytest

from carecircle.synthetic import generate_dataset
from graph.analysis import analyse
from tests.datasets import ingest


@pytest.fixture(scope="module")
def analysis(tmp_path_factory):
    folder = tmp_path_factory.mktemp("vignettes")
    generate_dataset(folder, residents=60, seed=3, as_of=date(2024, 6, 1))
    return analyse(ingest(folder).snapshot)


def _gaps(analysis, resident):
    return [(g.type, g.helpers, g.domains) for g in analysis.gaps if g.resident_id == resident]


def test_mrs_piqué(analysis):
    assert _gaps(analysis, "R-PIQUE") == [
        ("one_sided_awareness", ("H-PIQUE-DAUGHTER", "H-PIQUE-HOUSEHOLD"), ()),
        ("unaware_pair", ("H-PIQUE-HOUSEHOLD", "H-PIQUE-VOLUNTEER"), ()),
        ("unaware_pair", ("H-PIQUE-NURSE", "H-PIQUE-VOLUNTEER"), ()),
        ("uncoordinated_overlap", ("H-PIQUE-DAUGHTER", "H-PIQUE-HOUSEHOLD"), ("household",)),
    ]
    row = next(r for r in analysis.residents if r["resident_id"] == "R-PIQUE")
    # 12 ordered pairs; known: N->H, H->N, N->D, D->N, D->H, V->D, D->V
    assert row["awareness_coverage"] == pytest.approx(7 / 12)
    # mutual: N-H, N-D, D-V of 6 pairs
    assert row["mutual_share"] == pytest.approx(3 / 6)
    assert (row["circle_size"], row["formal"], row["informal"], row["caregivers"], row["organisations"]) == (
        4,
        2,
        1,
        1,
        2,
    )


@pytest.mark.parametrize(
    ("client", "expected"),
    [
        (1, []),
        (2, []),
        (3, []),  # last contact exactly 28 days ago: not stale
        (4, ["delegation_without_contact", "stale_contact"]),  # 29 days
        (5, ["delegation_without_contact", "stale_contact"]),  # never recorded
        (6, ["delegation_without_contact"]),  # aware, no coordinating row
    ],
)
def test_emmen_clients(analysis, client, expected):
    gaps = _gaps(analysis, f"R-EMMEN-{client}")
    assert [gap_type for gap_type, _, _ in gaps] == expected
    supporter, coach = f"H-EMMEN-PO-{(client - 1) % 3 + 1}", f"H-EMMEN-AB-{1 if client <= 3 else 2}"
    assert all(helpers == tuple(sorted((supporter, coach))) for _, helpers, _ in gaps)
