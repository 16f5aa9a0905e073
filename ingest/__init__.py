"""Reading, validating and pseudonymising carecircle datasets (SPEC §2-4)."""
