"""Published stage: disclosure-controlled tables (CSV, ODS and a snapshot), the only thing the
report reads."""
