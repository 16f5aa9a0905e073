"""Import of Network Canvas interview exports (SPEC §12): mapping, export files, conversion, output folder."""
