"""The narrative's prose files, rendered with their placeholders filled from the snapshot.

One function for the report (sections/setup.qmd) and for `psw preview`, which re-renders a
changed prose file into the already-executed report without running the chunks again: in
preview the report prints a marker for each prose file (`marker(name)`), and the preview swaps
in the rendered file.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from assets.metrics.definitions import headline_measures
from assets.report.support.claims import placeholder_words
from assets.report.support.formatting import Md
from assets.report.support.narrative import render_prose
from assets.report.support.snapshot import Snapshot

# From the registry, as the published headline table takes it: importing
# assets.published.tables would load its disclosure solver (scipy) into every report kernel.
HEADLINE_MEASURES = headline_measures()


def figure_for(snap: Snapshot):
    def figure(measure: str, service: str = "all"):
        """A published headline figure for {{measure service}} in the authored prose."""
        if measure not in HEADLINE_MEASURES and not measure.startswith("health_check_"):
            raise KeyError(measure)
        return snap.f(measure, service)

    return figure


def describe_for(snap: Snapshot):
    figure = figure_for(snap)

    def describe(kind: str, measure: str, service: str = "all") -> str:
        """{{change|highest|lowest measure service}}: words that come from the data."""
        if measure != "health_check_favourable_*":
            figure(measure, service)  # an unknown measure raises KeyError: file and line shown
        return placeholder_words(snap, kind, measure, service)

    return describe


def render_text(text: str, shown: str, source: str, snap: Snapshot) -> Md:
    """Authored text (a prose file, or a YAML field) with its placeholders filled in."""
    return render_prose(text, shown, figure_for(snap), describe_for(snap), source)


def render_file(folder: Path, name: str, snap: Snapshot) -> Md:
    """One prose file of narrative/<year>/, as the report shows it."""
    source = (Path(folder) / name).read_text(encoding="utf-8")
    # The file's {{change}} placeholders take their wordings in turn from the file's start, not
    # from where the report has got to, so `psw preview` words them exactly as the build does.
    # They start from the last wording, the one the sections' turn-taking reaches least often.
    own = dataclasses.replace(snap, turns={}, first_turn=-1)
    return render_text(source.strip(), f"narrative/{Path(folder).name}/{name}", source, own)


def marker(name: str) -> str:
    """The line the report prints for a prose file in preview, swapped for the file later."""
    return f"PSWPROSE-{name}-PSWPROSE"
