"""Performance runs: ``make bench``; never part of the unit tests."""
