"""The carecircle dashboard (Plotly Dash): district teams and policy staff in a browser (SPEC §8)."""
