"""The carecircle domain: the snapshot model, the graph built from it, and its stores."""
